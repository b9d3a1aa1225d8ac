using BenchmarkDotNet.Attributes;
using NodaTime;

namespace AsrBilling.Benchmarks;

/// <summary>
/// Pricing a table of daily totals into a <see cref="Bill"/>: 10,000 accounts × 4 services × 30 days
/// (1.2 M totals), as a reseller's month gives. Goal: at most 150 ns and 100 bytes per daily total.
/// The baseline prices the same totals one <see cref="PriceCalculator.Compute(DailyTotal, PriceBook?)"/> call each.
/// </summary>
[MemoryDiagnoser]
[MedianColumn]
public class BillPricingBenchmarks
{
    private DailyTotalTable _totals = DailyTotalTable.Empty;

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(3);
        var totals = new List<DailyTotal>(1_200_000);
        for (var a = 0; a < 10_000; a++)
        {
            var account = $"acct-{a:D5}";
            foreach (var service in AsrService.All)
            {
                for (var d = 0; d < 30; d++)
                {
                    // Mostly tier 1, some days in the higher tiers.
                    var seconds = random.Next(10) == 0 ? random.NextInt64(1_000_000, 20_000_000) : random.NextInt64(0, 1_000_000);
                    totals.Add(new DailyTotal(account, service, new LocalDate(2025, 9, 1).PlusDays(d), seconds));
                }
            }
        }

        _totals = DailyTotalTable.From(totals);
    }

    [Benchmark]
    public decimal ComputeBill() => PriceCalculator.Compute(_totals, BillingOptions.Default).Total.Amount;

    [Benchmark(Baseline = true)]
    public decimal PriceEachTotal()
    {
        var sum = 0m;
        var book = PriceBook.TencentCloudInternational;
        for (var i = 0; i < _totals.Count; i++)
        {
            sum += PriceCalculator.Compute(_totals[i], book).Fee.Amount;
        }

        return sum;
    }
}
