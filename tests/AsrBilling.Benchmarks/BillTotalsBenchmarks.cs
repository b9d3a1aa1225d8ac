using System.Collections.Immutable;
using BenchmarkDotNet.Attributes;
using NodaTime;

namespace AsrBilling.Benchmarks;

/// <summary>
/// Pricing a month of daily totals into a bill, as <c>asr-billing bill</c> does after reading: 50
/// accounts × 4 services × 31 days (6,200 totals, the 10-million-row sample's shape), each with
/// six tags. The totals come ordered and merged, as an aggregator gives them.
/// </summary>
[MemoryDiagnoser]
[MedianColumn]
public class BillTotalsBenchmarks
{
    private ImmutableArray<DailyTotal> _totals;

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(7);
        var tags = new[] { "meetings", "support", "captions", "voicemail", "sales", "ops" };
        var aggregator = new UsageAggregator();
        for (var account = 0; account < 50; account++)
        {
            foreach (var service in AsrService.All)
            {
                for (var day = 0; day < 31; day++)
                {
                    var start = Instant.FromUtc(2025, 9, 1, 0, 0) + Duration.FromDays(day);
                    foreach (var tag in tags)
                    {
                        aggregator.Add(service, start, random.Next(1, 400_000), $"acct-{account:D4}", tag);
                    }
                }
            }
        }

        _totals = aggregator.ToDailyTotals();
    }

    [Benchmark]
    public decimal BillMonthOfTotals() => PriceCalculator.Compute(_totals, BillingOptions.Default).Total.Amount;
}
