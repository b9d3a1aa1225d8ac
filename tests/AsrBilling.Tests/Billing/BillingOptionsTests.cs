namespace AsrBilling.Tests.Billing;

/// <summary>The settings of a billing run, and the rules of a price table: defaults, With… copies and argument checks.</summary>
public class BillingOptionsTests
{
    private static readonly DateTimeZone NewYork = DateTimeZoneProviders.Tzdb["America/New_York"];

    [Fact]
    public void WithMethods_ChangeOneSettingAndKeepTheOthers()
    {
        var book = new PriceBook("one", [PriceTable.FromThresholds(AsrService.RealTime, new LocalDate(2025, 1, 1), "USD", [(0m, 1m)])]);

        var options = BillingOptions.Default
            .WithFreeAllowance(AsrService.RealTime, 5m)
            .WithPriceBook(book)
            .WithZone(NewYork)
            .WithDuplicates(DuplicatePolicy.Ignore);

        (options.PriceBook, options.Zone, options.Duplicates).Should().Be((book, NewYork, DuplicatePolicy.Ignore));
        options.FreeHours.Should().Equal(new Dictionary<AsrService, decimal> { [AsrService.RealTime] = 5m });
        BillingOptions.Default.FreeHours.Should().BeEmpty();
        (BillingOptions.Default.PriceBook, BillingOptions.Default.Zone.Id, BillingOptions.Default.Duplicates)
            .Should().Be((PriceBook.TencentCloudInternational, "Asia/Shanghai", DuplicatePolicy.Reject));
    }

    [Fact]
    public void WithMethods_CheckTheirArguments()
    {
        var options = BillingOptions.Default;

        Param<ArgumentNullException>(() => options.WithFreeAllowance(null!, 1m)).Should().Be("service");
        Param<ArgumentOutOfRangeException>(() => options.WithFreeAllowance(AsrService.RealTime, -0.5m)).Should().Be("hoursPerMonth");
        Param<ArgumentNullException>(() => options.WithPriceBook(null!)).Should().Be("priceBook");
        Param<ArgumentNullException>(() => options.WithZone(null!)).Should().Be("zone");

        var undefined = FluentActions.Invoking(() => new BillingOptions(duplicates: (DuplicatePolicy)2)).Should().Throw<ArgumentOutOfRangeException>().Which;
        undefined.ParamName.Should().Be("duplicates");
        undefined.Message.Should().StartWith("Use DuplicatePolicy.Reject or DuplicatePolicy.Ignore.");
        Param<ArgumentOutOfRangeException>(() => options.WithDuplicates((DuplicatePolicy)(-1))).Should().Be("duplicates");
    }

    [Fact]
    public void PriceRules_UndefinedEnumValues_NameTheArgumentAndTheChoices()
    {
        var mode = FluentActions.Invoking(() => new PriceRules((TierMode)7)).Should().Throw<ArgumentOutOfRangeException>().Which;
        (mode.ParamName, mode.Message.Split(" (")[0]).Should().Be(("mode", "Use TierMode.Volume or TierMode.Graduated."));

        var rule = FluentActions.Invoking(() => new PriceRules(thresholdRule: (ThresholdRule)7)).Should().Throw<ArgumentOutOfRangeException>().Which;
        (rule.ParamName, rule.Message.Split(" (")[0]).Should().Be(("thresholdRule", "Use ThresholdRule.ReachMovesUp or ThresholdRule.UpToInclusive."));

        var window = FluentActions.Invoking(() => new PriceRules(window: (TierWindow)7)).Should().Throw<ArgumentOutOfRangeException>().Which;
        (window.ParamName, window.Message.Split(" (")[0]).Should().Be(("window", "Use TierWindow.Day or TierWindow.Month."));
    }

    [Fact]
    public void PriceRules_Text_NamesEveryRuleThatDiffersFromTencent()
    {
        new PriceRules(TierMode.Graduated, ThresholdRule.UpToInclusive, TierWindow.Month, 15, 30, 1.5m, freeHoursCountTowardTier: false).ToString()
            .Should().Be("graduated, up to inclusive, per month, 15 s increments, 30 s minimum, 1.5 h free a month (not counted toward the tier)");
        new PriceRules(freeHoursPerMonth: 5m).ToString()
            .Should().Be("volume, reach moves up, per day, 1 s increments, 5 h free a month");
    }

    private static string? Param<T>(Action act)
        where T : ArgumentException =>
        act.Should().Throw<T>().Which.ParamName;
}
