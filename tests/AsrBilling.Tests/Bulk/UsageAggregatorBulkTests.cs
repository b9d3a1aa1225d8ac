namespace AsrBilling.Tests.Bulk;

public class UsageAggregatorBulkTests
{
    private static readonly long Start = Instant.FromUtc(2025, 9, 1, 2, 0).ToUnixTimeTicks(); // 10:00 in Shanghai, 2025-09-01

    [Fact]
    public void AddBatch_ARowThatWouldOverflow_IsLeftOut_AndTheOthersAreAdded()
    {
        var aggregator = new UsageAggregator();
        var acme = aggregator.GetKey("acme", null);
        var beta = aggregator.GetKey("beta", "x");
        var overflowed = new int[4];

        var failed = aggregator.AddBatch(
            [acme, acme, beta, acme], [AsrService.RealTime, AsrService.RealTime, AsrService.RealTime, AsrService.RealTime],
            [Start, Start, Start, Start], [long.MaxValue - 10, 11, 7, 10], overflowed);

        failed.Should().Be(1);
        overflowed[0].Should().Be(1);
        aggregator.RecordsRead.Should().Be(3);
        aggregator.ToDailyTotals().Select(t => $"{t} {string.Join(",", t.TagSeconds.Select(p => $"{p.Key}={p.Value}"))}").Should().Equal(
            $"acme real-time 2025-09-01: {long.MaxValue} s ",
            "beta real-time 2025-09-01: 7 s x=7");
    }

    [Fact]
    public void AddBatch_SpansOfDifferentLengths_AreRefused()
    {
        var aggregator = new UsageAggregator();
        var key = aggregator.GetKey("acme", null);

        var act = () => aggregator.AddBatch([key, key], [AsrService.RealTime], [Start, Start], [1, 1], new int[2]);

        act.Should().Throw<ArgumentException>().WithParameterName("keys");
    }

    [Fact]
    public void AddBatch_AKeyOfAnotherAggregator_IsRefused_AndNothingIsAdded()
    {
        var aggregator = new UsageAggregator();
        var foreign = new UsageAggregator().GetKey("acme", null);
        var own = aggregator.GetKey("acme", null);

        var act = () => aggregator.AddBatch([own, foreign], [AsrService.RealTime, AsrService.RealTime], [Start, Start], [5, 5], new int[2]);

        act.Should().Throw<ArgumentException>().WithParameterName("key");
        aggregator.ToDailyTotals().Should().BeEmpty();
    }

    [Fact]
    public void WithTag_JoinsAnAccountKeyAndATagKey_AsThePairsKey()
    {
        var aggregator = new UsageAggregator();
        var acme = aggregator.GetKey("acme", null);
        var support = aggregator.GetTagKey("support");

        var joined = acme.WithTag(support);
        aggregator.AddAtUnixTicks(joined, AsrService.RealTime, Start, 60);
        aggregator.AddAtUnixTicks(aggregator.GetKey("acme", "support"), AsrService.RealTime, Start, 30);
        aggregator.AddAtUnixTicks(acme, AsrService.RealTime, Start, 10);

        joined.Should().Be(aggregator.GetKey("acme", "support"));
        aggregator.ToDailyTotals().Select(t => $"{t} {string.Join(",", t.TagSeconds.Select(p => $"{p.Key}={p.Value}"))}").Should().Equal(
            "acme real-time 2025-09-01: 100 s support=90");
    }

    [Fact]
    public void WithTag_KeysThatDoNotJoin_AreRefused_AndATagKeyAddsNothing()
    {
        var aggregator = new UsageAggregator();
        var other = new UsageAggregator();
        var acme = aggregator.GetKey("acme", null);
        var tag = aggregator.GetTagKey("support");

        FluentActions.Invoking(() => acme.WithTag(other.GetTagKey("support"))).Should().Throw<ArgumentException>().WithParameterName("tag");
        FluentActions.Invoking(() => acme.WithTag(acme)).Should().Throw<ArgumentException>();
        FluentActions.Invoking(() => aggregator.GetKey("acme", "x").WithTag(tag)).Should().Throw<ArgumentException>();
        FluentActions.Invoking(() => tag.WithTag(tag)).Should().Throw<ArgumentException>();
        FluentActions.Invoking(() => default(UsageKey).WithTag(tag)).Should().Throw<ArgumentException>();
        FluentActions.Invoking(() => aggregator.AddAtUnixTicks(tag, AsrService.RealTime, Start, 5))
            .Should().Throw<ArgumentException>().WithMessage("A tag key adds no usage by itself*");
        aggregator.ToDailyTotals().Should().BeEmpty();
    }

    [Fact]
    public void AddAtUnixTicks_OutsideTheRangeOfInstant_IsRefused()
    {
        var aggregator = new UsageAggregator();

        var act = () => aggregator.AddAtUnixTicks(aggregator.GetKey(null, null), AsrService.RealTime, long.MaxValue, 1);

        act.Should().Throw<ArgumentOutOfRangeException>().WithParameterName("unixTicks");
    }
}
