using BenchmarkDotNet.Attributes;

namespace AsrBilling.Benchmarks;

/// <summary>
/// The cost of pricing one day's total: tier lookup, one decimal multiply, one rounding. Inputs sit
/// in fields so the JIT cannot treat them as constants; each benchmark returns the charge so the
/// work is not eliminated.
/// </summary>
[MemoryDiagnoser]
[MedianColumn]
public class PriceCalculatorBenchmarks
{
    private readonly AsrService _realTime = AsrService.RealTime;
    private readonly PriceTable _recordingFile = PriceBook.TencentCloudInternational.GetLatestTable(AsrService.RecordingFile);
    private readonly decimal _workedExampleHours = 315m;
    private readonly decimal _openTierHours = 10_000_000m;
    private readonly decimal _thirdTierHours = 1234.56m;

    /// <summary>The source's worked example: 315 h of real-time at 1.20 USD/h.</summary>
    [Benchmark(Baseline = true)]
    public Charge Compute_RealTime_315h() => PriceCalculator.Compute(_realTime, _workedExampleHours);

    /// <summary>The open last tier: the tier search stops at the first step.</summary>
    [Benchmark]
    public Charge Compute_RealTime_OpenTier_10000000h() => PriceCalculator.Compute(_realTime, _openTierHours);

    /// <summary>A given table, skipping the book lookup.</summary>
    [Benchmark]
    public Charge Compute_Table_RecordingFile_1234_56h() => PriceCalculator.Compute(_recordingFile, _thirdTierHours);
}
