using BenchmarkDotNet.Attributes;
using NodaTime;

namespace AsrBilling.Benchmarks;

/// <summary>Pricing one daily total with the version in force on its date. Goal: at most 100 ns and no allocation.</summary>
[MemoryDiagnoser]
[MedianColumn]
public class DailyTotalPricingBenchmarks
{
    private readonly DailyTotal _tier2 = new("acct-00001", AsrService.RealTime, new LocalDate(2025, 9, 2), 1_134_000);
    private readonly DailyTotal _tier5 = new("acct-00001", AsrService.RecordingFileLargeModel, new LocalDate(2025, 9, 2), 20_000_001);
    private readonly PriceBook _book = PriceBook.TencentCloudInternational;

    [Benchmark]
    public decimal PriceDailyTotal_Tier2() => PriceCalculator.Compute(_tier2, _book).Fee.Amount;

    [Benchmark]
    public decimal PriceDailyTotal_Tier5() => PriceCalculator.Compute(_tier5, _book).Fee.Amount;
}
