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
    [Fact]
    public void Subtract_TakesUsageOut_AndLeavesOutWhatItBringsToZero()
    {
        // acme real-time on the 1st: 100 s (x 60, y 40) less 40 s (y 40) is 60 s (x 60); y is left out at 0 s.
        // acme real-time on the 2nd: 30 s less 30 s is nothing; beta's only day goes too, and beta with it.
        var totals = DailyTotalTable.From(
        [
            new DailyTotal("acme", AsrService.RealTime, Day, 100, [KeyValuePair.Create("x", 60L), KeyValuePair.Create("y", 40L)]),
            new DailyTotal("acme", AsrService.RealTime, Day.PlusDays(1), 30, [KeyValuePair.Create("x", 30L)]),
            new DailyTotal("acme", AsrService.RecordingFile, Day, 5),
            new DailyTotal("beta", AsrService.RecordingFile, Day, 20),
        ]);
        var usage = DailyTotalTable.From(
        [
            new DailyTotal("acme", AsrService.RealTime, Day, 40, [KeyValuePair.Create("y", 40L)]),
            new DailyTotal("acme", AsrService.RealTime, Day.PlusDays(1), 30, [KeyValuePair.Create("x", 30L)]),
            new DailyTotal("beta", AsrService.RecordingFile, Day, 20),
        ]);

        var left = totals.Subtract(usage);

        Lines(left).Should().Equal(
            Line("acme", "real-time", Day, 60, [("x", 60L)]),
            Line("acme", "recording-file", Day, 5, []));
        left.Accounts.Should().Equal("acme");
        left.HasTagSeconds.Should().BeTrue();
        totals.Subtract(DailyTotalTable.Empty).Should().BeSameAs(totals);
    }

    [Fact]
    public void Subtract_KeepsADayOrTagAtZero_WhereKeepHasIt()
    {
        // The 2nd, brought to 0 s, stays with tag x at 0 s; on the 1st, y at 0 s stays, z at 0 s does not.
        var totals = DailyTotalTable.From(
        [
            new DailyTotal("acme", AsrService.RealTime, Day, 100, [KeyValuePair.Create("x", 60L), KeyValuePair.Create("y", 30L), KeyValuePair.Create("z", 10L)]),
            new DailyTotal("acme", AsrService.RealTime, Day.PlusDays(1), 30, [KeyValuePair.Create("x", 30L)]),
        ]);
        var usage = DailyTotalTable.From(
        [
            new DailyTotal("acme", AsrService.RealTime, Day, 40, [KeyValuePair.Create("y", 30L), KeyValuePair.Create("z", 10L)]),
            new DailyTotal("acme", AsrService.RealTime, Day.PlusDays(1), 30, [KeyValuePair.Create("x", 30L)]),
        ]);
        var keep = DailyTotalTable.From(
        [
            new DailyTotal("acme", AsrService.RealTime, Day, 0, [KeyValuePair.Create("y", 0L)]),
            new DailyTotal("acme", AsrService.RealTime, Day.PlusDays(1), 0, [KeyValuePair.Create("x", 0L)]),
        ]);

        Lines(totals.Subtract(usage, keep)).Should().Equal(
            Line("acme", "real-time", Day, 60, [("x", 60L), ("y", 0L)]),
            Line("acme", "real-time", Day.PlusDays(1), 0, [("x", 0L)]));
    }

    [Theory]
    [InlineData("beta", 10, null)]
    [InlineData("acme", 101, null)]
    [InlineData("acme", 30, "y")]
    [InlineData("acme", 30, "w")]
    public void Subtract_UsageNotWithinTheTotals_IsRefused(string account, long seconds, string? tag)
    {
        // acme has 100 s on the 1st, 50 of them x and 20 y; beta has nothing.
        var totals = DailyTotalTable.From([new DailyTotal("acme", AsrService.RealTime, Day, 100, [KeyValuePair.Create("x", 50L), KeyValuePair.Create("y", 20L)])]);
        var tags = tag is null ? null : new[] { KeyValuePair.Create(tag, tag == "y" ? 21L : 1L) };
        var usage = DailyTotalTable.From([new DailyTotal(account, AsrService.RealTime, Day, seconds, tags)]);

        FluentActions.Invoking(() => totals.Subtract(usage)).Should().Throw<ArgumentException>().WithParameterName("usage");
    }

    [Theory]
    [InlineData(1, "Asia/Shanghai")]
    [InlineData(2, "America/Santiago")]
    [InlineData(3, "Pacific/Kiritimati")]
    public void Subtract_OfSomeUses_LeavesTheTotalsOfTheRest(int seed, string zoneId)
    {
        // The rest's uses of 0 s are what keeps a day, or a tag on it, at 0 s.
        var zone = DateTimeZoneProviders.Tzdb[zoneId];
        var uses = RandomUses(seed, count: 4000);
        var random = new Random(seed);
        var isTaken = uses.Select(_ => random.Next(4) == 0).ToList();
        var taken = uses.Where((_, i) => isTaken[i]).ToList();
        var rest = uses.Where((_, i) => !isTaken[i]).ToList();

        var left = Table(uses, zone).Subtract(Table(taken, zone), Table([.. rest.Where(u => u.Seconds == 0)], zone));

        taken.Should().NotBeEmpty();
        Lines(left).Should().Equal(Expected(rest, zone));
        left.Accounts.Should().Equal(rest.Select(u => u.Account ?? string.Empty).Distinct().Order(StringComparer.Ordinal));
    }

    private static DailyTotalTable Table(List<Use> uses, DateTimeZone zone)
    {
        var aggregator = new UsageAggregator(new BillingOptions(zone: zone));
        AddAll(aggregator, uses, AddPath.Batch);
        return aggregator.ToDailyTotalTable();
    }

    [Fact]
    public void Subtract_TakingOutTheOnlyTaggedUsage_LeavesNoTagSeconds()
    {
        // As From and the aggregator give it: no tag columns when no total has a tag.
        var totals = DailyTotalTable.From([new DailyTotal("acme", AsrService.RealTime, Day, 90, [KeyValuePair.Create("x", 30L)])]);
        var usage = DailyTotalTable.From([new DailyTotal("acme", AsrService.RealTime, Day, 30, [KeyValuePair.Create("x", 30L)])]);

        var left = totals.Subtract(usage);

        Lines(left).Should().Equal(Line("acme", "real-time", Day, 60, []));
        left.HasTagSeconds.Should().BeFalse();
    }
}
