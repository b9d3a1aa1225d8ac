using System.Text;
using static AsrBilling.Tests.Billing.UsageAggregatorTests;

namespace AsrBilling.Tests.Bulk;

/// <summary>
/// Tag keys made from UTF-8 names without a lookup (<see cref="UsageAggregatorBulk.NewTagKey"/>): a name given
/// more than once is still one tag, and names given as bytes are ordered as their strings are.
/// </summary>
public class NewTagKeyTests
{
    private static readonly Instant Day = Instant.FromUtc(2025, 9, 1, 1, 0); // 2025-09-01 in Shanghai

    [Fact]
    public void ANameGivenTwice_OrAsAStringToo_IsOneTag_AndAnEmptyNameIsATag()
    {
        var aggregator = new UsageAggregator();
        var acme = aggregator.GetKey("acme", null);
        var first = UsageAggregatorBulk.NewTagKey(aggregator, "support"u8);
        var again = UsageAggregatorBulk.NewTagKey(aggregator, "support"u8);

        aggregator.AddAtUnixTicks(acme.WithTag(first), AsrService.RealTime, Day.ToUnixTimeTicks(), 60);
        aggregator.AddAtUnixTicks(acme.WithTag(again), AsrService.RealTime, Day.ToUnixTimeTicks(), 30);
        aggregator.AddAtUnixTicks(aggregator.GetKey("acme", "support"), AsrService.RealTime, Day.ToUnixTimeTicks(), 10);
        aggregator.Add(AsrService.RealTime, Day, 5, "acme", "support");
        aggregator.AddAtUnixTicks(acme.WithTag(aggregator.NewTagKey("ops"u8)), AsrService.RealTime, Day.ToUnixTimeTicks(), 1);
        aggregator.AddAtUnixTicks(acme.WithTag(aggregator.NewTagKey(""u8)), AsrService.RealTime, Day.ToUnixTimeTicks(), 2);

        first.Should().NotBe(again, "each call takes a new id");
        aggregator.GetTagKey("support").Should().Be(first, "a name looked up by its string finds its first id");
        FluentActions.Invoking(() => UsageAggregatorBulk.NewTagKey(null!, "x"u8)).Should().Throw<ArgumentNullException>().WithParameterName("aggregator");
        var table = aggregator.ToDailyTotalTable();
        Lines(table).Should().Equal("acme|real-time|2025-09-01|108|=2,ops=1,support=105");
        table.Tags!.Names.Should().Equal("", "ops", "support");
        table.Tags.Tag.Take(table.Tags.Start[1]).Should().Equal([0, 1, 2], "one entry a tag");
    }

    [Fact]
    public void NamesFromTwoShards_AreOrderedAsStringsAre_AndTheSameNameInBothIsOneTag()
    {
        // Shard a's names all start with "acct-0001", one of them is just that; b's share only "acct-". Ordinal order:
        // "acct-" < "acct-0001" < "acct-0001-t1" < "acct-0001-t1\0" < "acct-0001-t10" ('\0' < '0', '-' < '1')
        // < "acct-00011111111111x" < "acct-00011111111111y". In a, x and y agree in the 8 bytes after the prefix,
        // and so do "-t1" and "-t1\0" (a byte past the end counts as 0): each pair is met in the wrong order.
        var (a, b) = (new UsageAggregator(), new UsageAggregator());
        Add(a, "acct-0001-t10", 1);
        Add(a, "acct-00011111111111y", 2);
        Add(a, "acct-00011111111111x", 16);
        Add(a, "acct-0001-t1\0", 4);
        Add(a, "acct-0001-t1", 32);
        Add(a, "acct-0001", 8);
        Add(b, "acct-", 64);
        Add(b, "acct-0001-t10", 128);

        var table = UsageAggregator.ToDailyTotalTable([a, b]);

        table.Tags!.Names.Should().Equal("acct-", "acct-0001", "acct-0001-t1", "acct-0001-t1\0", "acct-0001-t10", "acct-00011111111111x", "acct-00011111111111y");
        Lines(table).Should().Equal(
            "acme|real-time|2025-09-01|255|acct-=64,acct-0001=8,acct-0001-t1=32,acct-0001-t1\0=4,acct-0001-t10=129,acct-00011111111111x=16,acct-00011111111111y=2");
        table.Tags.Tag.Take(table.Tags.Start[1]).Should().Equal([0, 1, 2, 3, 4, 5, 6]);
    }

    [Fact]
    public void NamesThatAreNotAscii_AreDecoded_AndInvalidBytesAreOneReplacementCharacter()
    {
        // 0xFF and 0xFE are no UTF-8: each reads as U+FFFD, as does the string "\uFFFD". "é" (U+00E9) orders before it.
        var (a, b) = (new UsageAggregator(), new UsageAggregator());
        Add(a, [0xFF], 1);
        Add(a, Encoding.UTF8.GetBytes("é"), 2);
        Add(b, [0xFE], 4);
        b.Add(AsrService.RealTime, Day, 8, "acme", "\uFFFD");
        Add(b, "plain"u8.ToArray(), 16);

        var table = UsageAggregator.ToDailyTotalTable([a, b]);

        table.Tags!.Names.Should().Equal("plain", "é", "\uFFFD");
        Lines(table).Should().Equal("acme|real-time|2025-09-01|31|plain=16,é=2,\uFFFD=13");
    }

    [Fact]
    public void ShardsWhoseNamesShareOtherPrefixes_AndOneWithoutTags_AreMergedInOrder()
    {
        // a's names share "ops-", c's "on-", d's one name is "ops-2"; all of them share only "o": each is compared past that alone.
        var (a, b, c, d) = (new UsageAggregator(), new UsageAggregator(), new UsageAggregator(), new UsageAggregator());
        Add(a, "ops-1", 1);
        Add(a, "ops-2", 2);
        b.Add(AsrService.RealTime, Day, 4, "acme");
        Add(c, "on-2", 8);
        Add(c, "on-1", 16);
        Add(d, "ops-2", 32);

        var table = UsageAggregator.ToDailyTotalTable([a, b, c, d]);

        table.Tags!.Names.Should().Equal("on-1", "on-2", "ops-1", "ops-2");
        Lines(table).Should().Equal("acme|real-time|2025-09-01|63|on-1=16,on-2=8,ops-1=1,ops-2=34");
    }

    [Fact]
    public void Merge_TakesNamesGivenAsBytes_RepeatedOrNot_AsOneTagEach()
    {
        var (a, b) = (new UsageAggregator(), new UsageAggregator());
        Add(a, "ops", 1);
        Add(b, "ops", 2);
        Add(b, "ops", 4);
        Add(b, [0xFF], 8);
        b.Add(AsrService.RealTime, Day, 16, "acme", "\uFFFD");

        a.Merge(b);

        Lines(a.ToDailyTotalTable()).Should().Equal("acme|real-time|2025-09-01|31|ops=7,\uFFFD=24");
    }

    [Fact]
    public void ManyAccountsAndNames_PutTogetherOnAllCores_AreInOrder()
    {
        // 6,000 accounts on a day each are 6,000 blocks: past the 4,096 from which the table is made on all cores.
        var (a, b) = (new UsageAggregator(), new UsageAggregator());
        var expected = new List<string>();
        for (var i = 0; i < 6_000; i++)
        {
            var account = $"acct-{i:D4}";
            var shard = i % 3 == 0 ? a : b;
            var tag = $"{account}-t{i % 7}";
            shard.AddAtUnixTicks(
                shard.GetKey(account, null).WithTag(UsageAggregatorBulk.NewTagKey(shard, Encoding.UTF8.GetBytes(tag))),
                AsrService.RealTime, Day.ToUnixTimeTicks(), i + 1);
            expected.Add($"{account}|real-time|2025-09-01|{i + 1}|{tag}={i + 1}");
        }

        var table = UsageAggregator.ToDailyTotalTable([a, b]);

        Lines(table).Should().Equal(expected);
        table.Tags!.Names.Should().Equal(expected.Select(e => e.Split('|')[4].Split('=')[0]));
    }

    private static void Add(UsageAggregator aggregator, string tag, long seconds) => Add(aggregator, Encoding.UTF8.GetBytes(tag), seconds);

    private static void Add(UsageAggregator aggregator, byte[] tag, long seconds) =>
        aggregator.AddAtUnixTicks(aggregator.GetKey("acme", null).WithTag(UsageAggregatorBulk.NewTagKey(aggregator, tag)), AsrService.RealTime, Day.ToUnixTimeTicks(), seconds);
}
