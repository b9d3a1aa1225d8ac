using static AsrBilling.Tests.Billing.UsageAggregatorTests;

namespace AsrBilling.Tests.Billing;

public class DailyTotalTableTests
{
    private static readonly LocalDate Day = new(2025, 9, 1);

    [Fact]
    public void From_MergesEqualKeys_AndOrdersByAccountServiceAndDate()
    {
        var table = DailyTotalTable.From(
        [
            new DailyTotal("beta", AsrService.RecordingFile, Day, 10),
            new DailyTotal("acme", AsrService.RecordingFile, Day.PlusDays(1), 5),
            new DailyTotal("acme", AsrService.RealTime, Day, 7, [KeyValuePair.Create("x", 4L)]),
            new DailyTotal("acme", AsrService.RecordingFile, Day.PlusDays(1), 6),
            new DailyTotal(null, AsrService.RealTime, Day, 1),
        ]);

        table.Select(t => t.ToString()).Should().Equal(
            "(default account) real-time 2025-09-01: 1 s",
            "acme real-time 2025-09-01: 7 s",
            "acme recording-file 2025-09-02: 11 s",
            "beta recording-file 2025-09-01: 10 s");
        table.Count.Should().Be(4);
        table.HasTagSeconds.Should().BeTrue();
        table[1].TagSeconds.Should().Equal(new Dictionary<string, long> { ["x"] = 4 });
        table[2].TagSeconds.Should().BeEmpty();
        table.Accounts.Should().Equal(string.Empty, "acme", "beta");
        table.TotalSeconds.Should().Be(29);
    }

    [Fact]
    public void Indexer_OutOfRange_Throws()
    {
        var table = DailyTotalTable.From([new DailyTotal("acme", AsrService.RealTime, Day, 1)]);

        var act = () => table[1];

        act.Should().Throw<ArgumentOutOfRangeException>();
        DailyTotalTable.Empty.Should().BeEmpty();
    }

    [Fact]
    public void ADefaultTotal_IsRefused() =>
        FluentActions.Invoking(() => DailyTotalTable.From([default])).Should().Throw<ArgumentException>();

    [Theory]
    [InlineData(1, "Asia/Shanghai", 2)]
    [InlineData(2, "America/Santiago", 3)]
    [InlineData(3, "Pacific/Kiritimati", 5)]
    public void Combine_OfShardsTables_IsTheTotalsOfAllTheUses(int seed, string zoneId, int shards)
    {
        var zone = DateTimeZoneProviders.Tzdb[zoneId];
        var uses = RandomUses(seed, count: 4000);
        var random = new Random(seed);
        var tables = uses.GroupBy(_ => random.Next(shards)).Select(part =>
        {
            var aggregator = new UsageAggregator(new BillingOptions(zone: zone));
            AddAll(aggregator, [.. part], AddPath.Batch);
            return aggregator.ToDailyTotalTable();
        }).ToList();

        var combined = DailyTotalTable.Combine(tables);

        Lines(combined).Should().Equal(Expected(uses, zone));
        DailyTotalTable.Combine([combined, DailyTotalTable.Empty]).Should().BeSameAs(combined);
    }

    [Fact]
    public void Combine_AnOverflowingSum_NamesTheDay()
    {
        var a = DailyTotalTable.From([new DailyTotal("acme", AsrService.RealTime, Day, long.MaxValue - 1)]);
        var b = DailyTotalTable.From([new DailyTotal("acme", AsrService.RealTime, Day, 2)]);

        FluentActions.Invoking(() => DailyTotalTable.Combine([a, b])).Should().Throw<UsageOverflowException>().WithMessage("*acme*real-time*2025-09-01*");
    }

    [Fact]
    public void Combine_OfTablesSharingADay_KeepsTagsPerRow_AndAllocatesThem()
    {
        // acme's real-time day is in both tables: one row of 7200 s (x 3600 + y 1800 + 1800 untagged).
        // At 1.40 USD/h that is 2.80 USD: x 1.40, y 0.70, untagged 0.70.
        var a = DailyTotalTable.From([new DailyTotal("acme", AsrService.RealTime, Day, 3600, [KeyValuePair.Create("x", 1800L)])]);
        var b = DailyTotalTable.From([new DailyTotal("acme", AsrService.RealTime, Day, 3600, [KeyValuePair.Create("x", 1800L), KeyValuePair.Create("y", 1800L)])]);

        var combined = DailyTotalTable.Combine([a, b]);
        var statement = CostAllocation.Allocate(PriceCalculator.Compute(combined, BillingOptions.Default));

        combined.Tags!.Start.Should().Equal(0, 2); // one row: no room left over from the merge's bound of two
        combined.Should().ContainSingle().Which.TagSeconds.Should().Equal(new Dictionary<string, long> { ["x"] = 3600, ["y"] = 1800 });
        statement.Lines.Select(l => (l.Key, l.BillableSeconds, l.Fee.Amount)).Should().Equal(("", 1800L, 0.70m), ("x", 3600L, 1.40m), ("y", 1800L, 0.70m));
    }
}
