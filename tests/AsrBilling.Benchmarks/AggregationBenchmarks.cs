using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Engines;
using NodaTime;

namespace AsrBilling.Benchmarks;

/// <summary>
/// Aggregating in-memory usage records into daily totals, on one thread: 10,000 accounts with
/// string ids, 4 services, 31 days, random order. The baseline is the naive LINQ GroupBy over
/// <c>InZone(...).Date</c>. Allocations staying flat from 1 M to 10 M records show that memory
/// grows with the daily totals (10,000 × 4 × 31 at most), not with the records.
/// </summary>
[MemoryDiagnoser]
[MedianColumn]
[SimpleJob(RunStrategy.Monitoring, launchCount: 1, warmupCount: 1, iterationCount: 5)]
public class AggregationBenchmarks
{
    private static readonly DateTimeZone Shanghai = DateTimeZoneProviders.Tzdb["Asia/Shanghai"];
    private UsageRecord[] _records = [];

    [Params(1_000_000, 10_000_000)]
    public int Records { get; set; }

    [GlobalSetup]
    public void Setup() => _records = UsageData.Records(Records, accounts: 10_000, days: 31, seed: 42);

    [Benchmark(Baseline = true)]
    public int LinqGroupBy() =>
        _records
            .GroupBy(r => (r.Account, r.Service, r.Start.InZone(Shanghai).Date))
            .Select(g => (g.Key, Seconds: g.Sum(r => r.BillableSeconds)))
            .Count();

    [Benchmark]
    public int UsageAggregator()
    {
        var aggregator = new UsageAggregator();
        aggregator.AddRange(_records);
        return aggregator.ToDailyTotals().Length;
    }
}
