using System.Collections.Immutable;
using static AsrBilling.Tests.Billing.BillingTestData;

namespace AsrBilling.Tests.Billing;

/// <summary>Validation, equality and text of the billing values: daily totals, subtotals and usage records.</summary>
public class BillingValueTests
{
    private static readonly LocalDate Day = new(2025, 9, 2);

    [Fact]
    public void DailyTotal_Constructor_NamesTheBadArgument()
    {
        FluentActions.Invoking(() => new DailyTotal("a", null!, Day, 10)).Should().Throw<ArgumentNullException>()
            .Which.ParamName.Should().Be("service");

        var nullTag = FluentActions.Invoking(() => new DailyTotal("a", AsrService.RealTime, Day, 10, [new(null!, 1)])).Should().Throw<ArgumentException>().Which;
        nullTag.ParamName.Should().Be("tagSeconds");
        nullTag.Message.Should().StartWith("A tag should not be null.");

        var negative = FluentActions.Invoking(() => new DailyTotal("a", AsrService.RealTime, Day, 10, [new("x", -1)])).Should().Throw<ArgumentOutOfRangeException>().Which;
        negative.ParamName.Should().Be("tagSeconds");
        negative.Message.Should().StartWith("Tag 'x' has negative seconds.");
    }

    [Fact]
    public void DailyTotal_TagsOfZeroSeconds_AndTagsFillingTheWholeTotal_AreValid()
    {
        // 0 + 4 + 6 = 10 s: every second is tagged, none untagged.
        var total = new DailyTotal("a", AsrService.RealTime, Day, 10, [new("idle", 0), new("x", 4), new("y", 6)]);

        total.TagSeconds.Should().Equal(new Dictionary<string, long> { ["idle"] = 0, ["x"] = 4, ["y"] = 6 });
        total.UntaggedSeconds.Should().Be(0);
    }

    [Fact]
    public void DailyTotal_UntaggedSeconds_AreTheTotalLessEveryTag()
    {
        // 100 − (40 + 25) = 35.
        new DailyTotal("a", AsrService.RealTime, Day, 100, [new("x", 40), new("y", 25)]).UntaggedSeconds.Should().Be(35);
        new DailyTotal("a", AsrService.RealTime, Day, 100).UntaggedSeconds.Should().Be(100);
    }

    [Fact]
    public void DefaultDailyTotal_HasNoAccountNoTagsAndCannotBeCombined()
    {
        var empty = default(DailyTotal);
        empty.Account.Should().BeEmpty();
        empty.TagSeconds.Should().BeEmpty();
        empty.UntaggedSeconds.Should().Be(0);

        var error = FluentActions.Invoking(() => DailyTotal.Combine([new DailyTotal("a", AsrService.RealTime, Day, 1), default]))
            .Should().Throw<ArgumentException>().Which;
        error.ParamName.Should().Be("totals");
        error.Message.Should().StartWith("A default(DailyTotal) has no service and cannot be billed.");
        FluentActions.Invoking(() => DailyTotal.Combine(null!)).Should().Throw<ArgumentNullException>().Which.ParamName.Should().Be("totals");
    }

    [Fact]
    public void Combine_OfAnImmutableArray_MergesAndOrdersUnlessItIsAlreadyMerged()
    {
        var a = new DailyTotal("a", AsrService.RealTime, Day, 10, [new("x", 4)]);
        var aLater = new DailyTotal("a", AsrService.RealTime, Day.PlusDays(1), 5);
        var aOther = new DailyTotal("a", AsrService.RecordingFile, Day, 7);
        var b = new DailyTotal("b", AsrService.RealTime, Day, 1);

        DailyTotal.Combine(ImmutableArray.Create(a, aLater, aOther, b)).Should().Equal(a, aLater, aOther, b);
        DailyTotal.Combine(ImmutableArray.Create(b, aOther, a, aLater)).Should().Equal(a, aLater, aOther, b);
        DailyTotal.Combine(ImmutableArray.Create(a, a, b)).Should().Equal(new DailyTotal("a", AsrService.RealTime, Day, 20, [new("x", 8)]), b);
        FluentActions.Invoking(() => DailyTotal.Combine(ImmutableArray.Create(a, default(DailyTotal))))
            .Should().Throw<ArgumentException>().WithParameterName("totals");
    }

    [Fact]
    public void DailyTotal_Equality_ComparesKeySecondsAndEveryTag()
    {
        var total = new DailyTotal("a", AsrService.RealTime, Day, 10, [new("x", 1), new("y", 2)]);
        var same = new DailyTotal("a", AsrService.RealTime, Day, 10, [new("y", 2), new("x", 1)]);

        (total == same).Should().BeTrue();
        (total != same).Should().BeFalse();
        total.Equals((object)same).Should().BeTrue();
        total.GetHashCode().Should().Be(same.GetHashCode());

        var different = new[]
        {
            new DailyTotal("b", AsrService.RealTime, Day, 10, [new("x", 1), new("y", 2)]),
            new DailyTotal("a", AsrService.RecordingFile, Day, 10, [new("x", 1), new("y", 2)]),
            new DailyTotal("a", AsrService.RealTime, Day.PlusDays(1), 10, [new("x", 1), new("y", 2)]),
            new DailyTotal("a", AsrService.RealTime, Day, 11, [new("x", 1), new("y", 2)]),
            new DailyTotal("a", AsrService.RealTime, Day, 10, [new("x", 1), new("y", 3)]),
            new DailyTotal("a", AsrService.RealTime, Day, 10, [new("x", 1), new("z", 2)]),
            new DailyTotal("a", AsrService.RealTime, Day, 10, [new("x", 1)]),
        };
        foreach (var other in different)
        {
            (total == other).Should().BeFalse(other.ToString());
            (total != other).Should().BeTrue(other.ToString());
        }
    }

    [Fact]
    public void DailyTotal_Text_NamesTheDefaultAccount()
    {
        new DailyTotal("acme", AsrService.RealTime, Day, 3600).ToString().Should().Be("acme real-time 2025-09-02: 3600 s");
        new DailyTotal(null, AsrService.RealTime, Day, 5).ToString().Should().Be("(default account) real-time 2025-09-02: 5 s");

        var act = () => new DailyTotal(string.Empty, AsrService.RealTime, Day, 1).Merge(new DailyTotal("acme", AsrService.RealTime, Day, 1));
        var error = act.Should().Throw<ArgumentException>().Which;
        error.ParamName.Should().Be("other");
        error.Message.Should().StartWith("Only totals for the same account, service and date merge: (default account) real-time 2025-09-02 and acme real-time 2025-09-02.");
    }

    [Fact]
    public void Subtotal_KeyTextAndEquality()
    {
        var fee = new Money(1.40m, "USD");
        var subtotal = new Subtotal("acme", fee, 3600, 1);

        new Subtotal(null!, fee, 3600, 1).Key.Should().BeEmpty();
        subtotal.ToString().Should().Be("acme: 1.40 USD (1 charge, 3600 s)");
        new Subtotal(string.Empty, fee, 5, 2).ToString().Should().Be("(default account): 1.40 USD (2 charges, 5 s)");

        var same = new Subtotal("acme", new Money(1.4m, "USD"), 3600, 1);
        (subtotal == same).Should().BeTrue();
        (subtotal != same).Should().BeFalse();
        subtotal.Equals((object)same).Should().BeTrue();
        subtotal.GetHashCode().Should().Be(same.GetHashCode());
        foreach (var other in new[]
        {
            new Subtotal("beta", fee, 3600, 1),
            new Subtotal("acme", new Money(1.41m, "USD"), 3600, 1),
            new Subtotal("acme", fee, 3601, 1),
            new Subtotal("acme", fee, 3600, 2),
        })
        {
            (subtotal == other).Should().BeFalse(other.ToString());
            (subtotal != other).Should().BeTrue(other.ToString());
        }
    }

    [Fact]
    public void UsageRecord_Equality_ComparesEveryField()
    {
        var record = Record("2025-09-02T01:00:00Z", 90, id: "r1", account: "acme", tag: "t");
        var same = Record("2025-09-02T01:00:00Z", 90, id: "r1", account: "acme", tag: "t");

        (record == same).Should().BeTrue();
        (record != same).Should().BeFalse();
        record.Equals((object)same).Should().BeTrue();
        record.GetHashCode().Should().Be(same.GetHashCode());
        foreach (var other in new[]
        {
            Record("2025-09-02T01:00:00Z", 90, AsrService.RecordingFile, id: "r1", account: "acme", tag: "t"),
            Record("2025-09-02T01:00:01Z", 90, id: "r1", account: "acme", tag: "t"),
            Record("2025-09-02T01:00:00Z", 90.5, id: "r1", account: "acme", tag: "t"),
            Record("2025-09-02T01:00:00Z", 90, id: "r2", account: "acme", tag: "t"),
            Record("2025-09-02T01:00:00Z", 90, id: "r1", account: "beta", tag: "t"),
            Record("2025-09-02T01:00:00Z", 90, id: "r1", account: "acme", tag: "u"),
        })
        {
            (record == other).Should().BeFalse(other.ToString());
            (record != other).Should().BeTrue(other.ToString());
        }
    }

    [Fact]
    public void UsageRecord_Text_WithoutExtrasOrService()
    {
        Record("2025-09-02T01:00:00Z", 90).ToString().Should().Be("real-time at 2025-09-02T01:00:00Z for 90 s");
        default(UsageRecord).ToString().Should().Be("(no service) at 1970-01-01T00:00:00Z for 0 s");
    }
}
