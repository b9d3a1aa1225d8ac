using System.Collections.Immutable;
using static AsrBilling.Tests.Billing.BillingTestData;

namespace AsrBilling.Tests.Billing;

/// <summary>
/// The aggregator against a plain model: group the uses by (account, service id, date of the start
/// in the billing zone), add their seconds rounded up per use, and order by account, service id and
/// date (ordinal). The model is written here with LINQ and NodaTime's own <c>InZone</c>, so it shares
/// nothing with the aggregator's day arithmetic, block tables and caches.
/// </summary>
public class UsageAggregatorTests
{
    /// <summary>The ways a caller can hand usage to an aggregator.</summary>
    public enum AddPath
    {
        RecordByRecord,
        ArrayRange,
        ListRange,
        ImmutableArrayRange,
        LazyRange,
        Seconds,
        Keys,
        Batch,
    }

    /// <summary>Twelve services: the four built-in ones and eight others, each other one made twice (equal, not the same object).</summary>
    private static readonly AsrService[][] Services =
    [
        .. AsrService.All.Select(s => new[] { s }),
        .. new[] { "zz-top", "aa-first", "m-9", "real-time-x", "b2", "yy", "c-c", "a" }
            .Select(id => new[] { AsrService.Create(id, id), AsrService.Create(id, id) }),
    ];

    private static readonly string?[] Accounts = [null, string.Empty, "acme", "beta", "acme-2", new string('x', 1500)];

    private static readonly string?[] Tags = [null, "t1", "team-b", "t", new string('q', 1100)];

    public static TheoryData<AddPath, string> PathsAndZones()
    {
        var data = new TheoryData<AddPath, string>();
        foreach (var path in Enum.GetValues<AddPath>())
        {
            foreach (var zone in new[] { "Asia/Shanghai", "America/Santiago", "Pacific/Kiritimati" })
            {
                data.Add(path, zone);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(PathsAndZones))]
    public void EveryPath_MatchesAPlainGroupBy_OverCenturiesAndManyServices(AddPath path, string zoneId)
    {
        var zone = DateTimeZoneProviders.Tzdb[zoneId];
        var uses = RandomUses(seed: zoneId.Length * 31 + (int)path, count: 3000);
        var aggregator = new UsageAggregator(new BillingOptions(zone: zone));

        AddAll(aggregator, uses, path);
        var totals = aggregator.ToDailyTotals();

        Lines(totals).Should().Equal(Expected(uses, zone));
        aggregator.DailyTotalCount.Should().Be(totals.Length);
        aggregator.RecordsRead.Should().Be(uses.Count);
        aggregator.DuplicatesIgnored.Should().Be(0);
    }

    [Theory]
    [InlineData(AddPath.RecordByRecord)]
    [InlineData(AddPath.ArrayRange)]
    [InlineData(AddPath.Seconds)]
    [InlineData(AddPath.Keys)]
    [InlineData(AddPath.Batch)]
    public void AroundTheUnixEpoch_DaysBeforeIt_EndAtMidnight(AddPath path)
    {
        // In UTC: 1969-12-30T23:59:59.999 is on the 30th; 1969-12-31T00:00 and 23:59:59.999 are on
        // the 31st; 1970-01-01T00:00, epoch day 0, is on the 1st. 1 s each.
        var uses = new[] { "1969-12-31T00:00:00Z", "1970-01-01T00:00:00Z", "1969-12-31T23:59:59.999Z", "1969-12-30T23:59:59.999Z" }
            .Select(s => new Use(AsrService.RealTime, At(s), 1000, "a", "t"))
            .ToList();
        var aggregator = new UsageAggregator(new BillingOptions(zone: DateTimeZone.Utc));

        AddAll(aggregator, uses, path);

        Lines(aggregator.ToDailyTotals()).Should().Equal(
            "a|real-time|1969-12-30|1|t=1",
            "a|real-time|1969-12-31|2|t=2",
            "a|real-time|1970-01-01|1|t=1");
    }

    [Theory]
    [InlineData(AddPath.RecordByRecord)]
    [InlineData(AddPath.ListRange)]
    [InlineData(AddPath.Seconds)]
    [InlineData(AddPath.Keys)]
    public void AtTheInstantOfAZoneTransition_TheNewOffsetApplies(AddPath path)
    {
        // Santiago leaves summer time on 2025-04-06 at 00:00 local (03:00Z): clocks go from UTC−3
        // back to 23:00 of the 5th at UTC−4. 02:59:59Z is 23:59:59 (−3) on the 5th; 03:00:00Z is
        // 23:00 (−4) on the 5th, not 00:00 of the 6th; 03:59:59Z is 23:59:59 on the 5th; 04:00Z is
        // 00:00 on the 6th. The records come in time order, so the one at 03:00Z follows one in
        // the interval before it.
        var uses = new[] { "2025-04-06T02:59:59Z", "2025-04-06T03:00:00Z", "2025-04-06T03:59:59Z", "2025-04-06T04:00:00Z" }
            .Select(s => new Use(AsrService.RealTime, At(s), 60_000, "a", null))
            .ToList();
        var aggregator = new UsageAggregator(new BillingOptions(zone: DateTimeZoneProviders.Tzdb["America/Santiago"]));

        AddAll(aggregator, uses, path);

        Lines(aggregator.ToDailyTotals()).Should().Equal("a|real-time|2025-04-05|180|", "a|real-time|2025-04-06|60|");
    }

    [Theory]
    [InlineData(AddPath.Seconds)]
    [InlineData(AddPath.Keys)]
    [InlineData(AddPath.ArrayRange)]
    public void SixHundredAccountsSharingOneTagString_KeepTheirOwnTagSeconds(AddPath path)
    {
        // One tag object for every account, as a parser that interns strings passes it. Account k
        // uses k + 1 seconds, all of them tagged.
        const string Tag = "shared";
        var day = At("2025-09-02T01:00:00Z");
        var uses = Enumerable.Range(0, 600).Select(k => new Use(AsrService.RealTime, day, (k + 1) * 1000L, $"acct-{k:D3}", Tag)).ToList();
        var aggregator = new UsageAggregator();

        AddAll(aggregator, uses, path);

        Lines(aggregator.ToDailyTotals()).Should().Equal(
            Enumerable.Range(0, 600).Select(k => $"acct-{k:D3}|real-time|2025-09-02|{k + 1}|shared={k + 1}"));
    }

    [Fact]
    public void ManyCells_SpanSeveralPagesOfCells_AndKeepEveryDay()
    {
        // 20,000 accounts × 2 services × 2 days five months apart: 80,000 blocks of a month, 2.56 M
        // cells, past the first pages. Account k uses k + 1 seconds of real time on 1 January and
        // 2(k + 1) of recording on 1 June; the same again, once more, to add to cells already made.
        var aggregator = new UsageAggregator();
        var (january, june) = (At("2025-01-01T03:00:00Z"), At("2025-06-01T03:00:00Z"));
        for (var round = 0; round < 2; round++)
        {
            for (var k = 0; k < 20_000; k++)
            {
                aggregator.Add(AsrService.RealTime, january, k + 1, $"a{k:D5}");
                aggregator.Add(AsrService.RecordingFile, june, 2 * (k + 1), $"a{k:D5}");
            }
        }

        var totals = aggregator.ToDailyTotals();

        totals.Length.Should().Be(40_000);
        // Twice (1 + 2 + ... + 20,000) × 3 = 2 × 200,010,000 × 3.
        totals.Sum(t => t.BillableSeconds).Should().Be(1_200_060_000);
        Lines(totals[..2]).Should().Equal("a00000|real-time|2025-01-01|2|", "a00000|recording-file|2025-06-01|4|");
        Lines(totals[^2..]).Should().Equal("a19999|real-time|2025-01-01|40000|", "a19999|recording-file|2025-06-01|80000|");
    }

    [Fact]
    public void DaysAroundMonthEnds_LeapDays_AndTheEpoch_KeepTheirOwnTotals()
    {
        // Cells are kept by calendar month: each day here is next to a month's end or start, and
        // 2025-09-30 and 2028-07-20 are 1,024 days apart, so they take turns in one slot of the
        // day cache. Day i gets i seconds from each of two records, added in alternating order.
        string[] days = ["1969-12-31", "1970-01-01", "2024-02-28", "2024-02-29", "2024-03-01", "2025-09-30", "2028-07-20", "2025-10-01"];
        var aggregator = new UsageAggregator();
        for (var round = 0; round < 2; round++)
        {
            for (var i = 0; i < days.Length; i++)
            {
                aggregator.Add(AsrService.RealTime, At($"{days[i]}T03:00:00Z"), i + 1, "a");
            }
        }

        Lines(aggregator.ToDailyTotals()).Should().Equal(
            "a|real-time|1969-12-31|2|",
            "a|real-time|1970-01-01|4|",
            "a|real-time|2024-02-28|6|",
            "a|real-time|2024-02-29|8|",
            "a|real-time|2024-03-01|10|",
            "a|real-time|2025-09-30|12|",
            "a|real-time|2025-10-01|16|",
            "a|real-time|2028-07-20|14|");
    }

    [Fact]
    public void RecordByRecord_CountsReadAndIgnoredDuplicates()
    {
        var aggregator = new UsageAggregator(new BillingOptions(duplicates: DuplicatePolicy.Ignore));

        aggregator.Add(Record("2025-09-02T01:00:00Z", 10, id: "r1", account: "a"));
        aggregator.Add(Record("2025-09-02T02:00:00Z", 20, id: "r1", account: "a"));
        aggregator.Add(Record("2025-09-02T03:00:00Z", 30, id: "r2", account: "a"));

        // The second r1 is skipped: 10 + 30 = 40 s.
        (aggregator.RecordsRead, aggregator.DuplicatesIgnored, aggregator.DailyTotalCount).Should().Be((3L, 1L, 1));
        Lines(aggregator.ToDailyTotals()).Should().Equal("a|real-time|2025-09-02|40|");
    }

    [Fact]
    public void RecordByRecord_NamesThePositionsOfADuplicate()
    {
        var aggregator = new UsageAggregator();
        aggregator.Add(Record("2025-09-02T01:00:00Z", 10, id: "r1"));
        aggregator.Add(Record("2025-09-02T01:00:00Z", 10, id: "r2"));

        var act = () => aggregator.Add(Record("2025-09-02T01:00:00Z", 10, id: "r1"));

        var error = act.Should().Throw<DuplicateUsageRecordException>().Which;
        (error.Id, error.FirstPosition, error.SecondPosition).Should().Be(("r1", 1L, 3L));
        error.Message.Should().StartWith("Duplicate record id 'r1': record 3 repeats record 1.");
        aggregator.RecordsRead.Should().Be(2);
    }

    [Theory]
    [InlineData(null, "record")]
    [InlineData("line", "line")]
    public void ARecordWithoutService_IsNamedByItsPosition(string? positionName, string expectedName)
    {
        // A lazy sequence is added record by record; the third record is default(UsageRecord).
        var aggregator = new UsageAggregator(positionName: positionName!);
        aggregator.Add(Record("2025-09-02T01:00:00Z", 10));

        var act = () => aggregator.AddRange(Sequence(Record("2025-09-02T01:00:00Z", 10), default));

        act.Should().Throw<ArgumentException>()
            .WithMessage($"The {expectedName} at position 3 has no service: a default(UsageRecord) cannot be billed.");
        aggregator.RecordsRead.Should().Be(2);
    }

    [Fact]
    public void Arguments_AreCheckedWithTheirNames()
    {
        var aggregator = new UsageAggregator();
        var start = At("2025-09-02T01:00:00Z");
        var key = aggregator.GetKey("a", null);

        FluentActions.Invoking(() => aggregator.Add(null!, start, 1)).Should().Throw<ArgumentNullException>().Which.ParamName.Should().Be("service");
        FluentActions.Invoking(() => aggregator.Add(key, null!, start, 1)).Should().Throw<ArgumentNullException>().Which.ParamName.Should().Be("service");
        FluentActions.Invoking(() => aggregator.Add(AsrService.RealTime, start, -1)).Should().Throw<ArgumentOutOfRangeException>()
            .Which.ParamName.Should().Be("billableSeconds");
        FluentActions.Invoking(() => aggregator.Add(key, AsrService.RealTime, start, -1)).Should().Throw<ArgumentOutOfRangeException>()
            .Which.ParamName.Should().Be("billableSeconds");
        FluentActions.Invoking(() => aggregator.AddRange(null!)).Should().Throw<ArgumentNullException>().Which.ParamName.Should().Be("records");

        var foreign = new UsageAggregator().GetKey("a", null);
        var error = FluentActions.Invoking(() => aggregator.Add(foreign, AsrService.RealTime, start, 1)).Should().Throw<ArgumentException>().Which;
        error.ParamName.Should().Be("key");
        error.Message.Should().StartWith("The key comes from another aggregator: get it from this one's GetKey.");
        FluentActions.Invoking(() => aggregator.Add(default(UsageKey), AsrService.RealTime, start, 1)).Should().Throw<ArgumentException>()
            .Which.ParamName.Should().Be("key");

        aggregator.RecordsRead.Should().Be(0);
        aggregator.ToDailyTotals().Should().BeEmpty();
    }

    [Fact]
    public void Keys_AreEqualForTheSamePairOfTheSameAggregator()
    {
        var aggregator = new UsageAggregator();
        var other = new UsageAggregator();
        var key = aggregator.GetKey("a", "t");

        var same = aggregator.GetKey("a", "t");
        (key == same).Should().BeTrue();
        (key != same).Should().BeFalse();
        key.Equals((object)same).Should().BeTrue();
        key.GetHashCode().Should().Be(same.GetHashCode());

        // Another tag, no tag, another account, another aggregator: all differ.
        foreach (var different in new[] { aggregator.GetKey("a", "u"), aggregator.GetKey("a", null), aggregator.GetKey("b", "t"), other.GetKey("a", "t") })
        {
            (key == different).Should().BeFalse();
            (key != different).Should().BeTrue();
            key.Equals(different).Should().BeFalse();
        }

        // Slot 0 and tag slot −1 in both aggregators: only the owner differs.
        (aggregator.GetKey("a", null) == other.GetKey("a", null)).Should().BeFalse();
        key.Equals("a").Should().BeFalse();
    }

    [Fact]
    public void Overflow_NamesTheKey_OnEveryPath()
    {
        // Each aggregator holds long.MaxValue − 5 s for the key already; 10 s more overflow.
        var start = At("2025-09-02T01:00:00Z");
        var date = new LocalDate(2025, 9, 2);
        var cases = new (string? Account, Action<UsageAggregator> Add)[]
        {
            (null, a => a.Add(Record(start, 10))),
            ("acme", a => a.Add(Record(start, 10, account: "acme"))),
            ("acme", a => a.AddRange([Record(start, 10, account: "acme", tag: "t")])),
            ("acme", a => a.Add(a.GetKey("acme", "t"), AsrService.RealTime, start, 10)),
            (null, a => a.Add(a.GetKey(null, null), AsrService.RealTime, start, 10)),
        };

        foreach (var (account, add) in cases)
        {
            var aggregator = new UsageAggregator();
            aggregator.Add(AsrService.RealTime, start, long.MaxValue - 5, account);

            var error = FluentActions.Invoking(() => add(aggregator)).Should().Throw<UsageOverflowException>().Which;

            (error.Account, error.ServiceId, error.Date).Should().Be((account ?? string.Empty, "real-time", date));
            aggregator.ToDailyTotals().Should().ContainSingle().Which.BillableSeconds.Should().Be(long.MaxValue - 5);
        }
    }

    [Fact]
    public void OneAggregator_CountsAtMost256Services()
    {
        // The four built-in services and 252 others fill it; the 257th is refused, and a service
        // equal to one it counts (another object with the same id) still goes to that one.
        var aggregator = new UsageAggregator();
        var start = At("2025-09-02T01:00:00Z");
        for (var i = 0; i < 252; i++)
        {
            aggregator.Add(AsrService.Create($"s{i:D3}", "other"), start, 1);
        }

        var error = FluentActions.Invoking(() => aggregator.Add(AsrService.Create("s252", "other"), start, 1))
            .Should().Throw<ArgumentException>().Which;
        error.ParamName.Should().Be("service");
        error.Message.Should().StartWith("One aggregator counts at most 256 services.");

        aggregator.Add(AsrService.Create("s000", "again"), start, 1);
        aggregator.Add(AsrService.RecordingFile, start, 1);
        var totals = aggregator.ToDailyTotals();
        totals.Should().HaveCount(253);
        totals.Select(t => t.Service.Id).Should().StartWith(["recording-file", "s000", "s001"]);
        totals[1].BillableSeconds.Should().Be(2);
    }

    [Theory]
    [InlineData(AddPath.RecordByRecord)]
    [InlineData(AddPath.ArrayRange)]
    [InlineData(AddPath.Seconds)]
    [InlineData(AddPath.Keys)]
    public void Increments_FollowTheVersionInForceOnEachDay(AddPath path)
    {
        // Real-time bills 60 s increments until 2025-09-09 and whole seconds from 2025-09-10
        // (Shanghai dates); recording-file bills whole seconds throughout. Both dates fall in one
        // block (a month) of the aggregator. Before 2025 there is no price, so seconds stay as they are.
        var book = new PriceBook("increments",
        [
            PriceTable.FromThresholds(AsrService.RealTime, new LocalDate(2025, 1, 1), "USD", [(0m, 1m)], new PriceRules(incrementSeconds: 60)),
            PriceTable.FromThresholds(AsrService.RealTime, new LocalDate(2025, 9, 10), "USD", [(0m, 1m)]),
            PriceTable.FromThresholds(AsrService.RecordingFile, new LocalDate(2025, 1, 1), "USD", [(0m, 1m)]),
        ]);
        var uses = new List<Use>
        {
            new(AsrService.RealTime, At("2025-09-09T01:00:00Z"), 61_000, "a", "t"), // 120 s
            new(AsrService.RealTime, At("2025-09-09T02:00:00Z"), 500, "a", null),   // 1 s → 60 s
            new(AsrService.RealTime, At("2025-09-09T03:00:00Z"), 0, "a", null),     // 0 s stays 0
            new(AsrService.RealTime, At("2025-09-10T01:00:00Z"), 61_000, "a", "t"), // 61 s
            new(AsrService.RecordingFile, At("2025-09-09T01:00:00Z"), 61_000, "a", null), // 61 s
            new(AsrService.RealTime, At("1969-07-20T20:17:00Z"), 61_000, "a", null), // no price: 61 s
        };
        var aggregator = new UsageAggregator(new BillingOptions(priceBook: book));

        AddAll(aggregator, uses, path);

        Lines(aggregator.ToDailyTotals()).Should().Equal(
            "a|real-time|1969-07-21|61|",
            "a|real-time|2025-09-09|180|t=120",
            "a|real-time|2025-09-10|61|t=61",
            "a|recording-file|2025-09-09|61|");
    }

    /// <summary>One use of a service: whole milliseconds, so that the model can round up to seconds by itself.</summary>
    internal sealed record Use(AsrService Service, Instant Start, long Millis, string? Account, string? Tag)
    {
        /// <summary>Whole seconds, rounded up (billing rule 4).</summary>
        public long Seconds => (Millis + 999) / 1000;

        public UsageRecord ToRecord(string? id) => new(Service, Start, Duration.FromMilliseconds(Millis), id, Account, Tag);
    }

    /// <summary>
    /// Uses spread over three eras: a little over a year either side of the Unix epoch (negative
    /// day numbers), 2024 to 2027, and around the year 5000 (day numbers past 2^20); in random order.
    /// </summary>
    internal static List<Use> RandomUses(int seed, int count)
    {
        var random = new Random(seed);
        (Instant Center, int Days)[] eras = [(At("1970-01-01T00:00:00Z"), 420), (At("2025-09-01T00:00:00Z"), 600), (At("5000-01-01T00:00:00Z"), 40)];
        var uses = new List<Use>(count);
        for (var i = 0; i < count; i++)
        {
            var (center, days) = eras[random.Next(10) switch { < 4 => 0, < 9 => 1, _ => 2 }];
            var start = center + Duration.FromMilliseconds(random.NextInt64(-days * 86_400_000L, days * 86_400_000L));
            var service = Services[random.Next(Services.Length)];
            uses.Add(new Use(
                service[random.Next(service.Length)],
                start,
                random.Next(10) == 0 ? 0 : random.NextInt64(3_600_000),
                Accounts[random.Next(Accounts.Length)],
                Tags[random.Next(Tags.Length)]));
        }

        return uses;
    }

    internal static void AddAll(UsageAggregator aggregator, IReadOnlyList<Use> uses, AddPath path)
    {
        var records = uses.Select((u, i) => u.ToRecord($"id-{i}")).ToList();
        switch (path)
        {
            case AddPath.RecordByRecord:
                records.ForEach(r => aggregator.Add(r));
                break;
            case AddPath.ArrayRange:
                aggregator.AddRange(records.ToArray());
                break;
            case AddPath.ListRange:
                aggregator.AddRange(records);
                break;
            case AddPath.ImmutableArrayRange:
                aggregator.AddRange(records.ToImmutableArray());
                break;
            case AddPath.LazyRange:
                aggregator.AddRange(records.Select(r => r));
                break;
            case AddPath.Seconds:
                foreach (var u in uses)
                {
                    aggregator.Add(u.Service, u.Start, u.Seconds, u.Account, u.Tag);
                }

                break;
            case AddPath.Keys:
                foreach (var u in uses)
                {
                    aggregator.Add(aggregator.GetKey(u.Account, u.Tag), u.Service, u.Start, u.Seconds);
                }

                break;
            case AddPath.Batch:
                // In uneven batches, so that chunks of the batch add end part-way.
                for (var start = 0; start < uses.Count; start += 100)
                {
                    var batch = uses.Skip(start).Take(100).ToList();
                    var overflowed = new int[batch.Count];
                    aggregator.AddBatch(
                        [.. batch.Select(u => aggregator.GetKey(u.Account, u.Tag))], [.. batch.Select(u => u.Service)],
                        [.. batch.Select(u => u.Start.ToUnixTimeTicks())], [.. batch.Select(u => u.Seconds)], overflowed).Should().Be(0);
                }

                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(path), path, null);
        }
    }

    /// <summary>The model: the daily totals as lines <c>account|service|date|seconds|tag=seconds,…</c>, in bill order.</summary>
    internal static List<string> Expected(IEnumerable<Use> uses, DateTimeZone zone) =>
    [
        .. uses.GroupBy(u => (Account: u.Account ?? string.Empty, u.Service.Id, u.Start.InZone(zone).Date))
            .OrderBy(g => g.Key.Account, StringComparer.Ordinal)
            .ThenBy(g => g.Key.Id, StringComparer.Ordinal)
            .ThenBy(g => g.Key.Date)
            .Select(g => Line(g.Key.Account, g.Key.Id, g.Key.Date, g.Sum(u => u.Seconds),
                g.Where(u => u.Tag is not null).GroupBy(u => u.Tag!).Select(t => (t.Key, t.Sum(u => u.Seconds))))),
    ];

    internal static List<string> Lines(IEnumerable<DailyTotal> totals) =>
        [.. totals.Select(t => Line(t.Account, t.Service.Id, t.Date, t.BillableSeconds, t.TagSeconds.Select(p => (p.Key, p.Value))))];

    [Theory]
    [InlineData("aaa")]
    [InlineData("zzz")]
    [InlineData("acct-0999")]
    public void AccountsWhoseCacheHashIsLarge_AreCountedLikeAnyOther(string account)
    {
        // The account cache takes the text's length and last three characters: "aaa" gives
        // 3·97 + 97·31 + 97·7 + 97 = 4074, which must be folded into the cache's 1024 slots.
        var aggregator = new UsageAggregator();
        var start = Instant.FromUtc(2025, 9, 2, 1, 0); // 09:00 in Shanghai

        aggregator.Add(AsrService.RealTime, start, 60, account, "t");
        aggregator.Add(AsrService.RealTime, start, 30, account);

        var total = aggregator.ToDailyTotals().Should().ContainSingle().Subject;
        (total.Account, total.Date, total.BillableSeconds).Should().Be((account, new LocalDate(2025, 9, 2), 90L));
        total.TagSeconds.Should().Equal(new Dictionary<string, long> { ["t"] = 60 });
    }

    internal static string Line(string account, string serviceId, LocalDate date, long seconds, IEnumerable<(string Tag, long Seconds)> tags) =>
        $"{account}|{serviceId}|{date:uuuu-MM-dd}|{seconds}|{string.Join(",", tags.OrderBy(t => t.Tag, StringComparer.Ordinal).Select(t => $"{t.Tag}={t.Seconds}"))}";

    private static IEnumerable<UsageRecord> Sequence(params UsageRecord[] records)
    {
        foreach (var record in records)
        {
            yield return record;
        }
    }
}
