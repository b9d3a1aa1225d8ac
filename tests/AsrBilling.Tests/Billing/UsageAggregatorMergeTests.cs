using static AsrBilling.Tests.Billing.UsageAggregatorTests;

namespace AsrBilling.Tests.Billing;

/// <summary>
/// Shards merged with <see cref="UsageAggregator.Merge"/> against the plain group-by model of
/// <see cref="UsageAggregatorTests"/>: the merge must give the totals of all the uses, however they
/// were split, over centuries of dates (blocks outside a slot's table) and twelve services.
/// </summary>
public class UsageAggregatorMergeTests
{
    [Theory]
    [InlineData(1, "Asia/Shanghai", 2)]
    [InlineData(2, "America/Santiago", 3)]
    [InlineData(3, "Pacific/Kiritimati", 5)]
    public void Shards_MergeToTheTotalsOfAllTheUses(int seed, string zoneId, int shards)
    {
        var zone = DateTimeZoneProviders.Tzdb[zoneId];
        var options = new BillingOptions(zone: zone);
        var uses = RandomUses(seed, count: 4000);
        var random = new Random(seed);
        var parts = uses.GroupBy(_ => random.Next(shards)).Select(g => g.ToList()).ToList();
        var aggregators = parts.Select((part, i) =>
        {
            var aggregator = new UsageAggregator(options);
            AddAll(aggregator, part, i % 2 == 0 ? AddPath.Keys : AddPath.ArrayRange);
            return aggregator;
        }).ToList();
        var combined = DailyTotal.Combine(aggregators.SelectMany(a => a.ToDailyTotals()));

        foreach (var other in aggregators.Skip(1))
        {
            aggregators[0].Merge(other);
        }

        var merged = aggregators[0].ToDailyTotals();
        Lines(merged).Should().Equal(Expected(uses, zone));
        Lines(merged).Should().Equal(Lines(combined));
        aggregators[0].DailyTotalCount.Should().Be(merged.Length);
        aggregators[0].RecordsRead.Should().Be(uses.Count);
    }

    [Fact]
    public void Merge_LeavesTheOtherAsItWas()
    {
        var (a, b) = (new UsageAggregator(), new UsageAggregator());
        a.Add(AsrService.RealTime, Instant.FromUtc(2025, 9, 1, 1, 0), 60, "acme", "x");
        b.Add(AsrService.RealTime, Instant.FromUtc(2025, 9, 1, 2, 0), 30, "acme", "y");
        var before = Lines(b.ToDailyTotals());

        a.Merge(b);

        Lines(b.ToDailyTotals()).Should().Equal(before);
        Lines(a.ToDailyTotals()).Should().Equal("acme|real-time|2025-09-01|90|x=60,y=30");
    }

    [Fact]
    public void Overflow_NamesTheDay_AndAddsNothing()
    {
        var (a, b) = (new UsageAggregator(), new UsageAggregator());
        var day = Instant.FromUtc(2025, 9, 1, 1, 0);
        a.Add(AsrService.RealTime, day, long.MaxValue - 1, "acme");
        a.Add(AsrService.RecordingFile, day, 5, "acme");
        b.Add(AsrService.RecordingFile, day, 7, "acme");
        b.Add(AsrService.RealTime, day, 2, "acme");
        b.Add(AsrService.RealTime, day, 3, "beta");
        var before = Lines(a.ToDailyTotals());

        var act = () => a.Merge(b);

        act.Should().Throw<UsageOverflowException>().WithMessage("*acme*real-time*2025-09-01*");
        Lines(a.ToDailyTotals()).Should().Equal(before);
        a.RecordsRead.Should().Be(2);
    }

    [Fact]
    public void Overflow_IsFoundOnAnyServiceAndBlock_AndOnlyAgainstTheSameAccount()
    {
        var day = Instant.FromUtc(2025, 9, 1, 1, 0);
        UsageAggregator Target()
        {
            var target = new UsageAggregator();
            target.Add(AsrService.RealTime, day, 10, "a0");
            target.Add(AsrService.RecordingFile, day, long.MaxValue - 5, "a1");
            return target;
        }

        // An account or tag the target does not have is never checked against another's totals.
        var fits = new UsageAggregator();
        fits.Add(AsrService.RecordingFile, day, 6, "new");
        fits.Add(AsrService.RecordingFile, day, 6, "a0", "u");
        fits.Add(AsrService.RecordingFile, day, 5, "a1");
        var merged = Target();
        merged.Merge(fits);
        Lines(merged.ToDailyTotals()).Should().Equal(
            "a0|real-time|2025-09-01|10|", "a0|recording-file|2025-09-01|6|u=6", $"a1|recording-file|2025-09-01|{long.MaxValue}|", "new|recording-file|2025-09-01|6|");

        // The overflow is in the other's second block, on the second service.
        var overflows = new UsageAggregator();
        overflows.Add(AsrService.RecordingFile, day, 1, "new");
        overflows.Add(AsrService.RecordingFile, day, 6, "a1");
        var target = Target();
        var before = Lines(target.ToDailyTotals());
        target.Invoking(t => t.Merge(overflows)).Should().Throw<UsageOverflowException>().WithMessage("*a1*recording-file*2025-09-01*");
        Lines(target.ToDailyTotals()).Should().Equal(before);
    }

    [Fact]
    public void IgnoredDuplicates_AddUp()
    {
        var options = new BillingOptions(duplicates: DuplicatePolicy.Ignore);
        var (a, b) = (new UsageAggregator(options), new UsageAggregator(options));
        var record = new UsageRecord(AsrService.RealTime, Instant.FromUtc(2025, 9, 1, 1, 0), Duration.FromSeconds(60), id: "r1");
        a.AddRange([record, record]);
        b.AddRange([record, record, record]);

        a.Merge(b);

        (a.RecordsRead, a.DuplicatesIgnored).Should().Be((5L, 3L));
    }

    [Fact]
    public void Arguments_AreChecked()
    {
        var a = new UsageAggregator();

        a.Invoking(x => x.Merge(null!)).Should().Throw<ArgumentNullException>().WithParameterName("other");
        a.Invoking(x => x.Merge(a)).Should().Throw<ArgumentException>().WithMessage("An aggregator cannot be merged into itself.*").WithParameterName("other");
        a.Invoking(x => x.Merge(new UsageAggregator(new BillingOptions(zone: DateTimeZone.Utc))))
            .Should().Throw<ArgumentException>().WithMessage("*zones*").WithParameterName("other");
    }

    [Theory]
    [InlineData(126, true)] // 4 built-in services + 2 × 126 = 256
    [InlineData(127, false)]
    public void At256ServicesBetweenThem_TheMergeStops_BeforeAnythingIsAdded(int eachOwn, bool merges)
    {
        var (a, b) = (new UsageAggregator(), new UsageAggregator());
        var day = Instant.FromUtc(2025, 9, 1, 1, 0);
        for (var i = 0; i < eachOwn; i++)
        {
            a.Add(AsrService.Create($"a-{i}", "A"), day, 1);
            b.Add(AsrService.Create($"b-{i}", "B"), day, 1);
        }

        b.Add(AsrService.RealTime, day, 1, "acme");

        if (merges)
        {
            a.Merge(b);
            a.ToDailyTotals().Should().HaveCount((2 * eachOwn) + 1);
        }
        else
        {
            a.Invoking(x => x.Merge(b)).Should().Throw<ArgumentException>().WithMessage("*256 services*");
            a.ToDailyTotals().Should().HaveCount(eachOwn);
        }
    }

    [Theory]
    [InlineData(1, "Asia/Shanghai", 1, 0)]
    [InlineData(2, "America/Santiago", 2, 0)]
    [InlineData(3, "Pacific/Kiritimati", 5, 0)]
    [InlineData(4, "Asia/Shanghai", 2, 3000)]
    [InlineData(5, "Europe/Berlin", 7, 40)]
    public void ToDailyTotalTable_OfShards_IsTheTotalsOfAllTheUses(int seed, string zoneId, int shards, int accounts)
    {
        // 20,000 uses spread over centuries make more blocks than one thread writes alone, so the
        // table is written in ranges of accounts; many accounts make many ranges.
        var zone = DateTimeZoneProviders.Tzdb[zoneId];
        var options = new BillingOptions(zone: zone);
        var random = new Random(seed);
        var uses = RandomUses(seed, count: 20_000)
            .Select(u => accounts == 0 ? u : u with { Account = $"acct-{random.Next(accounts):D4}" })
            .ToList();
        var aggregators = uses.GroupBy(_ => random.Next(shards)).Select((part, i) =>
        {
            var aggregator = new UsageAggregator(options);
            AddAll(aggregator, [.. part], i % 2 == 0 ? AddPath.Batch : AddPath.Seconds);
            return aggregator;
        }).ToList();
        var before = aggregators.Select(a => Lines(a.ToDailyTotals())).ToList();

        var table = UsageAggregator.ToDailyTotalTable(aggregators);

        Lines(table).Should().Equal(Expected(uses, zone));
        table.Accounts.Should().Equal(uses.Select(u => u.Account ?? string.Empty).Distinct().Order(StringComparer.Ordinal));
        var tagged = uses.Where(u => u.Tag is not null).Select(u => (u.Account ?? string.Empty, u.Service.Id, u.Start.InZone(zone).Date, u.Tag)).Distinct().Count();
        table.Tags!.Start[^1].Should().Be(tagged, "one entry per (account, service, date, tag)");
        table.Tags.Tag.Length.Should().BeGreaterThanOrEqualTo(tagged);
        aggregators.Select(a => Lines(a.ToDailyTotals())).Should().BeEquivalentTo(before, o => o.WithStrictOrdering(), "the aggregators are not changed");
    }

    [Fact]
    public void ToDailyTotalTable_AddsTagsOfTheSameDay_InNameOrder_WhateverOrderEachShardMetThem()
    {
        // acme's real-time day is in both: a has y 600 then x 1200; b has x 1800 and untagged 60.
        // Together: 3660 s, x 3000, y 600. beta is only in b, with z 5 then a 7.
        var day = Instant.FromUtc(2025, 9, 1, 1, 0); // 2025-09-01 09:00 in Shanghai
        var (a, b) = (new UsageAggregator(), new UsageAggregator());
        a.Add(AsrService.RealTime, day, 600, "acme", "y");
        a.Add(AsrService.RealTime, day, 1200, "acme", "x");
        b.Add(AsrService.RealTime, day, 1800, "acme", "x");
        b.Add(AsrService.RealTime, day, 60, "acme");
        b.Add(AsrService.RecordingFile, day, 5, "beta", "z");
        b.Add(AsrService.RecordingFile, day, 7, "beta", "a");

        var table = UsageAggregator.ToDailyTotalTable([a, b]);

        Lines(table).Should().Equal("acme|real-time|2025-09-01|3660|x=3000,y=600", "beta|recording-file|2025-09-01|12|a=7,z=5");
        table.Tags!.Names.Should().Equal("a", "x", "y", "z");
        table.Tags.Start.Should().Equal(0, 2, 4);
    }

    [Theory]
    [InlineData(63)] // the farthest ranks that are added by a bit each
    [InlineData(64)] // the nearest that are sorted
    [InlineData(99)]
    public void ToDailyTotalTable_AddsADaysTagsFromTwoShards_InNameOrder_HoweverFarApartTheirNamesRank(int spread)
    {
        // 100 tag names t000..t099 rank 0..99 (every one is used). The day of acme is in both shards, with the
        // tags t000, t{spread} and one between (t030); each shard met them in another order.
        // a: t{spread} 100, t000 1, t030 10; b: t000 2, t{spread} 3. Together: t000 3, t030 10, t{spread} 103.
        var day = Instant.FromUtc(2025, 9, 1, 1, 0);
        var (a, b) = (new UsageAggregator(), new UsageAggregator());
        var far = $"t{spread:D3}";
        a.Add(AsrService.RealTime, day, 100, "acme", far);
        a.Add(AsrService.RealTime, day, 1, "acme", "t000");
        a.Add(AsrService.RealTime, day, 10, "acme", "t030");
        b.Add(AsrService.RealTime, day, 2, "acme", "t000");
        b.Add(AsrService.RealTime, day, 3, "acme", far);
        for (var t = 0; t < 100; t++)
        {
            // Every name on another day of another account, so that each ranks by its number.
            (t % 2 == 0 ? a : b).Add(AsrService.RecordingFile, day, 1, "zeta", $"t{t:D3}");
        }

        var table = UsageAggregator.ToDailyTotalTable([a, b]);

        table.Tags!.Names.Should().HaveCount(100);
        Lines(table).First().Should().Be($"acme|real-time|2025-09-01|116|t000=3,t030=10,{far}=103");
        var (first, end) = (table.Tags.Start[0], table.Tags.Start[1]);
        table.Tags.Tag[first..end].Should().Equal([0, 30, spread], "a day's entries are in rank order, one per tag");
        table.Tags.Seconds[first..end].Should().Equal(3, 10, 103);
        Lines(table).Last().Should().Be("zeta|recording-file|2025-09-01|100|" + string.Join(",", Enumerable.Range(0, 100).Select(t => $"t{t:D3}=1")));
    }

    [Theory]
    [InlineData("acct-9")] // every account ASCII: put together as bytes
    [InlineData("acct-é")] // one that is not: as strings
    public void ToDailyTotalTable_AccountsFromShards_AreOrderedAsStringsAre_OnePerName(string last)
    {
        // Ordinal order: "acct-" < "acct-1" < "acct-10" < "acct-2" < last ("acct-9", or "acct-é" past every digit).
        var day = Instant.FromUtc(2025, 9, 1, 1, 0);
        var (a, b) = (new UsageAggregator(), new UsageAggregator());
        a.Add(AsrService.RealTime, day, 1, last);
        a.Add(AsrService.RealTime, day, 2, "acct-10");
        a.Add(AsrService.RealTime, day, 4, "acct-1");
        b.Add(AsrService.RealTime, day, 8, "acct-2");
        b.Add(AsrService.RealTime, day, 16, "acct-1");
        b.Add(AsrService.RealTime, day, 32, "acct-");

        var table = UsageAggregator.ToDailyTotalTable([a, b]);

        Lines(table).Should().Equal(
            "acct-|real-time|2025-09-01|32|", "acct-1|real-time|2025-09-01|20|", "acct-10|real-time|2025-09-01|2|",
            "acct-2|real-time|2025-09-01|8|", $"{last}|real-time|2025-09-01|1|");
    }

    [Fact]
    public void ToDailyTotalTable_WithoutTags_HasNoTagColumns_AndOfNoneIsEmpty()
    {
        var (a, b) = (new UsageAggregator(), new UsageAggregator());
        a.Add(AsrService.RealTime, Instant.FromUtc(2025, 9, 1, 1, 0), 60, "acme");
        b.Add(AsrService.RealTime, Instant.FromUtc(2025, 9, 2, 1, 0), 30, "acme");

        var table = UsageAggregator.ToDailyTotalTable([a, b]);

        table.HasTagSeconds.Should().BeFalse();
        Lines(table).Should().Equal("acme|real-time|2025-09-01|60|", "acme|real-time|2025-09-02|30|");
        UsageAggregator.ToDailyTotalTable([]).Should().BeEmpty();
        UsageAggregator.ToDailyTotalTable([new UsageAggregator(), new UsageAggregator()]).Should().BeEmpty();
    }

    [Fact]
    public void ToDailyTotalTable_AnOverflow_NamesTheFirstOverflowingDayInTableOrder()
    {
        // Both beta's and acme's days overflow; acme comes first in the table's order.
        var day = Instant.FromUtc(2025, 9, 1, 1, 0);
        var (a, b) = (new UsageAggregator(), new UsageAggregator());
        a.Add(AsrService.RealTime, day, long.MaxValue - 1, "beta");
        a.Add(AsrService.RecordingFile, day, long.MaxValue - 1, "acme");
        b.Add(AsrService.RealTime, day, 2, "beta");
        b.Add(AsrService.RecordingFile, day, 2, "acme");
        b.Add(AsrService.RealTime, day, 2, "acme");

        FluentActions.Invoking(() => UsageAggregator.ToDailyTotalTable([a, b]))
            .Should().Throw<UsageOverflowException>().WithMessage("*acme*recording-file*2025-09-01*");
    }

    [Fact]
    public void ToDailyTotalTable_Arguments_AreChecked()
    {
        var a = new UsageAggregator();

        FluentActions.Invoking(() => UsageAggregator.ToDailyTotalTable(null!)).Should().Throw<ArgumentNullException>().WithParameterName("aggregators");
        FluentActions.Invoking(() => UsageAggregator.ToDailyTotalTable([a, null!])).Should().Throw<ArgumentNullException>().WithParameterName("aggregators");
        FluentActions.Invoking(() => UsageAggregator.ToDailyTotalTable([a, new UsageAggregator(), a]))
            .Should().Throw<ArgumentException>().WithMessage("The aggregator at index 2 is listed twice*").WithParameterName("aggregators");
        FluentActions.Invoking(() => UsageAggregator.ToDailyTotalTable([a, new UsageAggregator(new BillingOptions(zone: DateTimeZone.Utc))]))
            .Should().Throw<ArgumentException>().WithMessage("The aggregator at index 1 bills with another price book or zone*").WithParameterName("aggregators");
    }

    [Fact]
    public void DayTotals_Past32Bits_StayExact_InOneShard_AcrossShards_AndMerged()
    {
        // 2^32 − 1 = 4,294,967,295. acme's day: 4,294,967,294 + 1 reaches it exactly, + 10 passes it: 4,294,967,305.
        // beta's day: one record of 5,000,000,000. gamma's day: 3,000,000,000 in each shard, 6,000,000,000 together.
        var day = Instant.FromUtc(2025, 9, 1, 1, 0);
        var (a, b) = (new UsageAggregator(), new UsageAggregator());
        a.Add(AsrService.RealTime, day, 4_294_967_294, "acme");
        a.Add(AsrService.RealTime, day, 1, "acme");
        b.Add(AsrService.RealTime, day, 10, "acme");
        a.Add(AsrService.RealTime, day, 5_000_000_000, "beta");
        a.Add(AsrService.RealTime, day, 3_000_000_000, "gamma");
        b.Add(AsrService.RealTime, day, 3_000_000_000, "gamma");
        string[] expected = ["acme|real-time|2025-09-01|4294967305|", "beta|real-time|2025-09-01|5000000000|", "gamma|real-time|2025-09-01|6000000000|"];

        Lines(UsageAggregator.ToDailyTotalTable([a, b])).Should().Equal(expected);
        a.ToDailyTotals().Select(t => t.BillableSeconds).Should().Equal(4_294_967_295L, 5_000_000_000L, 3_000_000_000L);
        a.Merge(b);
        Lines(a.ToDailyTotalTable()).Should().Equal(expected);
    }

    [Fact]
    public void DayTotals_Past32Bits_StillOverflowPastLongMax_NamingTheDay()
    {
        // A day held past 32 bits overflows at long.MaxValue as before: in one shard, and when two shards' days are summed.
        var day = Instant.FromUtc(2025, 9, 1, 1, 0);
        var (a, b) = (new UsageAggregator(), new UsageAggregator());
        a.Add(AsrService.RealTime, day, long.MaxValue - 5, "acme");
        b.Add(AsrService.RealTime, day, 6, "acme");

        FluentActions.Invoking(() => a.Add(AsrService.RealTime, day, 6, "acme")).Should().Throw<UsageOverflowException>()
            .Which.Date.Should().Be(new LocalDate(2025, 9, 1));
        FluentActions.Invoking(() => UsageAggregator.ToDailyTotalTable([a, b])).Should().Throw<UsageOverflowException>()
            .Which.Date.Should().Be(new LocalDate(2025, 9, 1));
        FluentActions.Invoking(() => a.Merge(b)).Should().Throw<UsageOverflowException>()
            .Which.Date.Should().Be(new LocalDate(2025, 9, 1));
        a.ToDailyTotals().Single().BillableSeconds.Should().Be(long.MaxValue - 5);
    }
}
