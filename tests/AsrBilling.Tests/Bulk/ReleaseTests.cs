using static AsrBilling.Tests.Billing.UsageAggregatorTests;

namespace AsrBilling.Tests.Bulk;

/// <summary>
/// <see cref="UsageAggregatorBulk.ToDailyTotalTableAndRelease"/> gives the same totals as the table of aggregators
/// that keep their memory, holds none of the memory it gives back, and leaves the aggregators unusable: a later
/// use throws rather than reading cells that are gone.
/// </summary>
public class ReleaseTests
{
    private static readonly Instant Day = Instant.FromUtc(2025, 9, 1, 1, 0); // 2025-09-01 in Shanghai

    [Fact]
    public void ReleasedShards_GiveTheTotalsOfKeptOnes()
    {
        // 40,000 accounts a shard, a month's block of 32 cells each: 1.28 M cells, several whole 2 MB pages given back;
        // and 8 tags an account, 320,000 tag entries a shard, whose columns pass 2 MB too.
        var released = (First: Shard(0), Second: Shard(1));
        var kept = (First: Shard(0), Second: Shard(1));

        var table = UsageAggregatorBulk.ToDailyTotalTableAndRelease([released.First, released.Second]);
        var expected = UsageAggregator.ToDailyTotalTable([kept.First, kept.Second]);

        // Account a's day: 8 tags of (a % 7 + 1) s from each shard, the second shard's doubled: 24 × (a % 7 + 1) s.
        table.Count.Should().Be(40_000);
        table.TotalSeconds.Should().Be(Enumerable.Range(0, 40_000).Sum(a => 24L * ((a % 7) + 1)));
        Lines(table.ToImmutableArray()).Should().Equal(Lines(expected.ToImmutableArray()));
        Lines(table.ToImmutableArray())[6].Should().Be("acct-00006|real-time|2025-09-01|168|t0=21,t1=21,t2=21,t3=21,t4=21,t5=21,t6=21,t7=21");
    }

    [Fact]
    public void AReleasedAggregator_ThrowsOnEveryUse_ButAnEmptyBatch()
    {
        var aggregator = new UsageAggregator();
        var other = new UsageAggregator();
        aggregator.Add(AsrService.RealTime, Day, 60, "acme", "support");
        var key = aggregator.GetKey("acme", "support");

        UsageAggregatorBulk.ToDailyTotalTableAndRelease([aggregator]).TotalSeconds.Should().Be(60);

        var uses = new Action[]
        {
            () => aggregator.Add(AsrService.RealTime, Day, 60, "acme"),
            () => aggregator.Add(new UsageRecord(AsrService.RealTime, Day, Duration.FromSeconds(60), account: "acme")),
            () => aggregator.AddRange([new UsageRecord(AsrService.RealTime, Day, Duration.FromSeconds(60), account: "acme")]),
            () => aggregator.AddAtUnixTicks(key, AsrService.RealTime, Day.ToUnixTimeTicks(), 60),
            () => aggregator.AddBatch([key], [AsrService.RealTime], [Day.ToUnixTimeTicks()], [60L], new int[1]),
            () => aggregator.ToDailyTotalTable(),
            () => aggregator.ToDailyTotals(),
            () => UsageAggregator.ToDailyTotalTable([other, aggregator]),
            () => UsageAggregatorBulk.ToDailyTotalTableAndRelease([aggregator]),
            () => aggregator.Merge(other),
            () => other.Merge(aggregator),
        };
        foreach (var use in uses)
        {
            use.Should().Throw<ObjectDisposedException>().WithMessage("*ToDailyTotalTableAndRelease*");
        }

        aggregator.AddBatch([], [], [], [], []).Should().Be(0, "an empty batch touches no cell");
        other.ToDailyTotalTable().Count.Should().Be(0, "the other aggregator is untouched");
    }

    [Fact]
    public void AMergeThatOverflows_GivesNothingBack()
    {
        var (a, b) = (new UsageAggregator(), new UsageAggregator());
        a.Add(AsrService.RealTime, Day, (long.MaxValue / 2) + 1, "acme");
        b.Add(AsrService.RealTime, Day, (long.MaxValue / 2) + 1, "acme");

        FluentActions.Invoking(() => UsageAggregatorBulk.ToDailyTotalTableAndRelease([a, b])).Should().Throw<UsageOverflowException>();

        a.ToDailyTotalTable().TotalSeconds.Should().Be((long.MaxValue / 2) + 1);
        b.ToDailyTotalTable().TotalSeconds.Should().Be((long.MaxValue / 2) + 1);
    }

    /// <summary>40,000 accounts on one day, each with 8 tags of (a % 7 + 1) s, times 2 in the second shard.</summary>
    private static UsageAggregator Shard(int shard)
    {
        var aggregator = new UsageAggregator();
        string[] tags = ["t0", "t1", "t2", "t3", "t4", "t5", "t6", "t7"];
        for (var a = 0; a < 40_000; a++)
        {
            var account = aggregator.GetKey($"acct-{a:D5}", null);
            foreach (var tag in tags)
            {
                aggregator.AddAtUnixTicks(account.WithTag(aggregator.GetTagKey(tag)), AsrService.RealTime, Day.ToUnixTimeTicks(), ((a % 7) + 1) * (shard + 1));
            }
        }

        return aggregator;
    }
}
