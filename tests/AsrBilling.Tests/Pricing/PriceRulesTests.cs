using AsrBilling.Tests.Billing;

namespace AsrBilling.Tests.Pricing;

/// <summary>
/// Tier modes, threshold rules, windows, increments, minimums and allowances. Expected values are
/// worked out by hand in the comments; Stripe's are from its published "Typographic" example
/// (tiers 1–5 at 7 USD, 6–10 at 6.50 USD, 11+ at 6 USD, <c>up_to</c> inclusive).
/// </summary>
public class PriceRulesTests
{
    private static readonly LocalDate Effective = new(2025, 1, 1);

    private static PriceTable Stripe(TierMode mode) =>
        PriceTable.FromThresholds(
            AsrService.Create("fonts", "Fonts"), Effective, "USD", [(0m, 7m), (5m, 6.5m), (10m, 6m)],
            new PriceRules(mode, ThresholdRule.UpToInclusive));

    [Theory]
    [InlineData(1, 7, 1)]
    [InlineData(5, 35, 1)]     // 5 × 7: up_to 5 keeps 5 in tier 1
    [InlineData(6, 39, 2)]     // 6 × 6.5
    [InlineData(10, 65, 2)]    // 10 × 6.5
    [InlineData(20, 120, 3)]   // 20 × 6
    [InlineData(25, 150, 3)]   // 25 × 6
    public void Volume_StripeExample(int units, int expectedFee, int expectedTier)
    {
        var charge = PriceCalculator.Compute(Stripe(TierMode.Volume), units);

        charge.Fee.Amount.Should().Be(expectedFee);
        charge.Tier.Number.Should().Be(expectedTier);
    }

    [Theory]
    [InlineData(1, "7")]
    [InlineData(5, "35")]      // 5 × 7
    [InlineData(6, "41.5")]    // 5 × 7 + 1 × 6.5
    [InlineData(10, "67.5")]   // 5 × 7 + 5 × 6.5
    [InlineData(20, "127.5")]  // 35 + 32.5 + 10 × 6
    [InlineData(25, "157.5")]  // 35 + 32.5 + 15 × 6
    public void Graduated_StripeExample(int units, string expectedFee)
    {
        var charge = PriceCalculator.Compute(Stripe(TierMode.Graduated), units);

        charge.Fee.Amount.Should().Be(decimal.Parse(expectedFee, System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public void Graduated_ExplainsEverySlice()
    {
        PriceCalculator.Compute(Stripe(TierMode.Graduated), 6m).ToString()
            .Should().Be("41.50 USD = 5 h × 7.00 USD/h + 1 h × 6.50 USD/h (fonts, graduated, tier 2 of 3: above 5 h to 10 h inclusive; prices of 2025-01-01)");
    }

    [Fact]
    public void Graduated_FromWholeSeconds_MultipliesFirst()
    {
        // 18,001 s = 5 h + 1 s: 5 × 7 + (1 × 6.5 ÷ 3600) = 35.0018… → 35.00.
        var table = Stripe(TierMode.Graduated);
        var charge = PriceCalculator.Compute(new DailyTotal("a", table.Service, Effective, 18_001), new PriceBook("stripe", [table]));

        charge.Tier.Number.Should().Be(2);
        charge.ExactFee.Amount.Should().Be(35m + (6.5m / 3600m));
        charge.Fee.Amount.Should().Be(35.00m);
    }

    [Theory]
    [InlineData(ThresholdRule.ReachMovesUp, 1_080_000, 2)]   // 300 h: Tencent moves up
    [InlineData(ThresholdRule.UpToInclusive, 1_080_000, 1)]  // 300 h: up_to 300 keeps it down
    [InlineData(ThresholdRule.UpToInclusive, 1_080_001, 2)]  // one second past
    [InlineData(ThresholdRule.ReachMovesUp, 1_079_999, 1)]
    public void ThresholdRule_DecidesATotalExactlyAtAThreshold(ThresholdRule rule, long seconds, int expectedTier)
    {
        var table = PriceTable.FromThresholds(AsrService.RealTime, Effective, "USD", [(0m, 1.4m), (300m, 1.2m)], new PriceRules(thresholdRule: rule));
        var book = new PriceBook("rule", [table]);

        PriceCalculator.Compute(new DailyTotal("a", AsrService.RealTime, Effective, seconds), book).Tier.Number.Should().Be(expectedTier);
        table.FindTier(seconds / 3600m).Number.Should().Be(expectedTier);
    }

    [Fact]
    public void MonthlyWindow_OneChargePerMonthFromItsDays()
    {
        // Tiers per month: [0, 100 h) at 1.00, 100 h and above at 0.50. 60 h on 2025-09-01 and
        // 60 h on 2025-09-15: 120 h in September, all at 0.50 = 60.00. 10 h on 2025-10-01: 10.00.
        var table = PriceTable.FromThresholds(AsrService.RecordingFile, Effective, "USD", [(0m, 1m), (100m, 0.5m)], new PriceRules(window: TierWindow.Month));
        var options = new BillingOptions(priceBook: new PriceBook("monthly", [table]));
        var records = new[]
        {
            BillingTestData.Record(BillingTestData.At("2025-09-01T01:00:00Z"), 60 * 3600, AsrService.RecordingFile),
            BillingTestData.Record(BillingTestData.At("2025-09-15T01:00:00Z"), 60 * 3600, AsrService.RecordingFile),
            BillingTestData.Record(BillingTestData.At("2025-10-01T01:00:00Z"), 10 * 3600, AsrService.RecordingFile),
        };

        var bill = PriceCalculator.Compute(records, options);

        bill.Charges.Select(c => (c.Period, c.Window, c.Days.Length, c.BillableSeconds, c.Charge.Tier.Number, c.Fee.Amount)).Should().Equal(
            ("2025-09", TierWindow.Month, 2, 120 * 3600L, 2, 60.00m),
            ("2025-10", TierWindow.Month, 1, 10 * 3600L, 1, 10.00m));
        bill.Charges[0].Days.Select(d => d.Date).Should().Equal(new LocalDate(2025, 9, 1), new LocalDate(2025, 9, 15));
        bill.Charges[0].ToString().Should().StartWith("2025-09 (default account): 60.00 USD = 120 h × 0.50 USD/h").And.EndWith("over 2 days");
    }

    [Fact]
    public void IncrementAndMinimum_ApplyPerRecordBeforeAggregation()
    {
        // A 15 s minimum: 3 s bills 15 s, 0 s bills 0, 20.2 s bills 21 s: 36 s in all.
        // 6 s increments: 7 s bills 12 s, 12 s bills 12 s: 24 s.
        var minimum = PriceTable.FromThresholds(AsrService.RecordingFile, Effective, "USD", [(0m, 3600m)], new PriceRules(minimumSeconds: 15));
        var increments = PriceTable.FromThresholds(AsrService.RealTime, Effective, "USD", [(0m, 3600m)], new PriceRules(incrementSeconds: 6));
        var options = new BillingOptions(priceBook: new PriceBook("per-record", [minimum, increments]));
        var records = new[]
        {
            BillingTestData.Record("2025-09-02T01:00:00Z", 3, AsrService.RecordingFile),
            BillingTestData.Record("2025-09-02T01:00:00Z", 0, AsrService.RecordingFile),
            BillingTestData.Record("2025-09-02T01:00:00Z", 20.2, AsrService.RecordingFile),
            BillingTestData.Record("2025-09-02T01:00:00Z", 7, AsrService.RealTime),
            BillingTestData.Record("2025-09-02T01:00:00Z", 12, AsrService.RealTime),
        };

        var bill = PriceCalculator.Compute(records, options);

        // At 3600 USD/h a second costs 1.00 USD.
        bill.Charges.Select(c => (c.Service.Id, c.BillableSeconds, c.Fee.Amount)).Should().Equal(
            ("real-time", 24L, 24.00m),
            ("recording-file", 36L, 36.00m));
    }

    [Fact]
    public void Allowance_IsUsedFirstInDateOrder_AndShownOnTheCharge()
    {
        // 5 free hours a month of real-time: 3 h on the 1st are all free; 4 h on the 2nd, 2 h free,
        // 2 h × 1.40 = 2.80; 1 h on the 3rd: 1.40. A new month starts a new allowance.
        var options = BillingOptions.Default.WithFreeAllowance(AsrService.RealTime, 5m);
        var records = new[]
        {
            BillingTestData.Record(BillingTestData.At("2025-09-03T01:00:00Z"), 3600),
            BillingTestData.Record(BillingTestData.At("2025-09-02T01:00:00Z"), 4 * 3600),
            BillingTestData.Record(BillingTestData.At("2025-09-01T01:00:00Z"), 3 * 3600),
            BillingTestData.Record(BillingTestData.At("2025-10-01T01:00:00Z"), 3600),
        };

        var bill = PriceCalculator.Compute(records, options);

        bill.Charges.Select(c => (c.Period, c.Charge.AllowanceSeconds, c.Fee.Amount)).Should().Equal(
            ("2025-09-01", 3 * 3600m, 0.00m),
            ("2025-09-02", 2 * 3600m, 2.80m),
            ("2025-09-03", 0m, 1.40m),
            ("2025-10-01", 3600m, 0.00m));
        bill.Charges[1].Charge.ToString().Should().Contain("2 h free allowance");
        bill.Total.Amount.Should().Be(4.20m);
    }

    [Theory]
    [InlineData(true, 2, "1.00")]   // 12 h reach tier 2: (12 − 10) h × 0.50
    [InlineData(false, 1, "2.00")]  // only the 2 uncovered hours count: tier 1, 2 h × 1.00
    public void Allowance_CountsTowardTheTier_AsTheRuleSays(bool counts, int expectedTier, string expectedFee)
    {
        var table = PriceTable.FromThresholds(AsrService.RealTime, Effective, "USD", [(0m, 1m), (5m, 0.5m)],
            new PriceRules(freeHoursPerMonth: 10m, freeHoursCountTowardTier: counts));
        var bill = PriceCalculator.Compute(
            [BillingTestData.Record(BillingTestData.At("2025-09-02T01:00:00Z"), 12 * 3600)],
            new BillingOptions(priceBook: new PriceBook("allowance", [table])));

        var charge = bill.Charges.Single().Charge;
        charge.Tier.Number.Should().Be(expectedTier);
        charge.Fee.Amount.Should().Be(decimal.Parse(expectedFee, System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public void Allowance_Graduated_CoversTheFirstSlices()
    {
        // Graduated [0, 5 h) at 1.00, then 0.50; 12 h with 3 h free: (5 × 1 + 7 × 0.5) − 3 × 1 = 5.50.
        var table = PriceTable.FromThresholds(AsrService.RealTime, Effective, "USD", [(0m, 1m), (5m, 0.5m)],
            new PriceRules(TierMode.Graduated, freeHoursPerMonth: 3m));
        var bill = PriceCalculator.Compute(
            [BillingTestData.Record(BillingTestData.At("2025-09-02T01:00:00Z"), 12 * 3600)],
            new BillingOptions(priceBook: new PriceBook("graduated allowance", [table])));

        bill.Total.Amount.Should().Be(5.50m);
    }

    [Fact]
    public void ChinaSiteAllowances_RealTimeAndRecordingFileOnly()
    {
        // 5 h of real-time and 10 h of recording file free a month; large-model versions get none.
        var options = BillingOptions.Default
            .WithFreeAllowance(AsrService.RealTime, 5m)
            .WithFreeAllowance(AsrService.RecordingFile, 10m);
        var records = AsrService.All.Select(s => BillingTestData.Record(BillingTestData.At("2025-09-02T01:00:00Z"), 12 * 3600, s)).ToList();

        var bill = PriceCalculator.Compute(records, options);

        // real-time 7 h × 1.4 = 9.80; real-time-large-model 12 h × 2 = 24.00;
        // recording-file 2 h × 1 = 2.00; recording-file-large-model 12 h × 1.8 = 21.60.
        bill.Charges.Select(c => (c.Service.Id, c.Fee.Amount)).Should().Equal(
            ("real-time", 9.80m), ("real-time-large-model", 24.00m), ("recording-file", 2.00m), ("recording-file-large-model", 21.60m));
    }

    [Fact]
    public void Rules_Validate()
    {
        FluentActions.Invoking(() => new PriceRules(incrementSeconds: 0)).Should().Throw<ArgumentOutOfRangeException>();
        FluentActions.Invoking(() => new PriceRules(minimumSeconds: -1)).Should().Throw<ArgumentOutOfRangeException>();
        FluentActions.Invoking(() => new PriceRules(freeHoursPerMonth: -1m)).Should().Throw<ArgumentOutOfRangeException>();
        FluentActions.Invoking(() => new PriceRules((TierMode)7)).Should().Throw<ArgumentOutOfRangeException>();
        PriceRules.Tencent.ToString().Should().Be("volume, reach moves up, per day, 1 s increments");
    }
}
