using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Engines;

namespace AsrBilling.Benchmarks;

/// <summary>
/// Gathering per-tag seconds by (daily cell, tag), as <c>bill --allocate-by tag</c> does while it
/// reads: 4 M rows on one thread, then grouped by cell. Shapes: 10,000 accounts × 50 tags in random
/// order (nearly every row a new pair, as in a reseller's log), and 50 accounts × 5 tags (few pairs,
/// many rows each). The baseline is one open-addressing table of every pair, doubling as it fills,
/// as the store was before the recent table spilled to sorted runs.
/// </summary>
[MemoryDiagnoser]
[MedianColumn]
[SimpleJob(RunStrategy.Monitoring, launchCount: 1, warmupCount: 1, iterationCount: 5)]
public class TagAllocationBenchmarks
{
    private const int Rows = 4_000_000;
    private int[] _cells = [];
    private int[] _tags = [];
    private int _cellCount;

    [Params("10000x50", "50x5")]
    public string Shape { get; set; } = "10000x50";

    [GlobalSetup]
    public void Setup()
    {
        var parts = Shape.Split('x');
        var (accounts, tagsPerAccount) = (int.Parse(parts[0], System.Globalization.CultureInfo.InvariantCulture), int.Parse(parts[1], System.Globalization.CultureInfo.InvariantCulture));
        const int servicesTimesDays = 4 * 32; // a cell per (account, service, day), as the store numbers them
        _cellCount = accounts * servicesTimesDays;
        var random = new Random(42);
        (_cells, _tags) = (new int[Rows], new int[Rows]);
        for (var i = 0; i < Rows; i++)
        {
            (_cells[i], _tags[i]) = (random.Next(_cellCount), random.Next(tagsPerAccount));
        }
    }

    [Benchmark(Baseline = true)]
    public int OneHashTable() => Gather(new TagCellTable(recentLimit: 1 << 28)); // never spills: one table that doubles as it fills

    [Benchmark]
    public int Tiered() => Gather(new TagCellTable());

    private int Gather(TagCellTable table)
    {
        for (var i = 0; i < Rows; i++)
        {
            table.Add(_cells[i], _tags[i], 60);
        }

        return table.GroupByCell(_cellCount).Start[_cellCount];
    }
}
