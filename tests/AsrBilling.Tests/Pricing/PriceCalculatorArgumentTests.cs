using static AsrBilling.Tests.Billing.BillingTestData;

namespace AsrBilling.Tests.Pricing;

/// <summary>Argument checks of every entry point, and edge cases of allowances and windows.</summary>
public class PriceCalculatorArgumentTests
{
    private static readonly PriceTable RealTime = PriceBook.TencentCloudInternational.GetLatestTable(AsrService.RealTime);
    private static readonly LocalDate Day = new(2025, 9, 2);

    [Fact]
    public void NullArguments_NameTheParameter()
    {
        Param(() => PriceCalculator.Compute((AsrService)null!, 1m)).Should().Be("service");
        Param(() => PriceCalculator.Compute((AsrService)null!, Duration.Zero)).Should().Be("service");
        Param(() => PriceCalculator.Compute((PriceTable)null!, 1m)).Should().Be("table");
        Param(() => PriceCalculator.Compute(null!, AsrService.RealTime, 1m, Day)).Should().Be("book");
        Param(() => PriceCalculator.Compute(PriceBook.TencentCloudInternational, null!, 1m, Day)).Should().Be("service");
        Param(() => PriceCalculator.Compute((IEnumerable<UsageRecord>)null!)).Should().Be("records");
        Param(() => PriceCalculator.Compute((IEnumerable<DailyTotal>)null!)).Should().Be("totals");
        Param(() => PriceCalculator.Compute(default(DailyTotal))).Should().Be("total");
    }

    [Fact]
    public void NegativeQuantities_NameTheParameter()
    {
        FluentActions.Invoking(() => PriceCalculator.Compute(AsrService.RealTime, -0.01m)).Should().Throw<ArgumentOutOfRangeException>().Which.ParamName.Should().Be("hours");
        FluentActions.Invoking(() => PriceCalculator.Compute(RealTime, -1m)).Should().Throw<ArgumentOutOfRangeException>().Which.ParamName.Should().Be("hours");
        FluentActions.Invoking(() => PriceCalculator.Compute(PriceBook.TencentCloudInternational, AsrService.RealTime, -1m, Day))
            .Should().Throw<ArgumentOutOfRangeException>().Which.ParamName.Should().Be("hours");
    }

    [Fact]
    public void Allowance_Graduated_NotCountedTowardTier_PricesTheRest()
    {
        // Graduated [0, 5 h) at 1.00 then 0.50; 12 h with 3 h free that do not count: 9 h priced
        // from the bottom, 5 × 1 + 4 × 0.5 = 7.00.
        var table = PriceTable.FromThresholds(AsrService.RealTime, new LocalDate(2025, 1, 1), "USD", [(0m, 1m), (5m, 0.5m)],
            new PriceRules(TierMode.Graduated, freeHoursPerMonth: 3m, freeHoursCountTowardTier: false));

        var charge = PriceCalculator.Compute([Record(At("2025-09-02T01:00:00Z"), 12 * 3600)], new BillingOptions(priceBook: new PriceBook("g", [table])))
            .Charges.Single().Charge;

        charge.Fee.Amount.Should().Be(7.00m);
        charge.BillableSeconds.Should().Be(12 * 3600);
        charge.BillableHours.Should().Be(12m);
        charge.AllowanceSeconds.Should().Be(3 * 3600);
    }

    [Fact]
    public void Graduated_AtAThreshold_HasNoEmptySlice()
    {
        var table = PriceTable.FromThresholds(AsrService.RealTime, new LocalDate(2025, 1, 1), "USD", [(0m, 1m), (5m, 0.5m)], new PriceRules(TierMode.Graduated));

        PriceCalculator.Compute(table, 5m).ToString().Should().StartWith("5.00 USD = 5 h × 1.00 USD/h (real-time, graduated, tier 2 of 2");
    }

    [Fact]
    public void MonthlyWindow_SumBeyondLongMax_IsAClearOverflow()
    {
        var table = PriceTable.FromThresholds(AsrService.RealTime, new LocalDate(2025, 1, 1), "USD", [(0m, 1m)], new PriceRules(window: TierWindow.Month));
        var totals = new[]
        {
            new DailyTotal("acme", AsrService.RealTime, new LocalDate(2025, 9, 1), long.MaxValue / 2 + 1),
            new DailyTotal("acme", AsrService.RealTime, new LocalDate(2025, 9, 2), long.MaxValue / 2 + 1),
        };

        var act = () => PriceCalculator.Compute(totals, new BillingOptions(priceBook: new PriceBook("m", [table])));

        act.Should().Throw<UsageOverflowException>().Which.Account.Should().Be("acme");
    }

    private static string? Param(Action act) => act.Should().Throw<ArgumentException>().Which.ParamName;
}
