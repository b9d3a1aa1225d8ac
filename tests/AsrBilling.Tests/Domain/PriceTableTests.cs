namespace AsrBilling.Tests.Domain;

public class PriceTableTests
{
    private static readonly LocalDate Effective = new(2025, 8, 19);

    private static Money Usd(decimal amount) => new(amount, "USD");

    private static PriceTable RealTime(params PriceTier[] tiers) => new(AsrService.RealTime, Effective, tiers);

    private static PriceTableException Rejected(Func<PriceTable> build) =>
        FluentActions.Invoking(build).Should().Throw<PriceTableException>().Which;

    [Fact]
    public void Constructor_ValidTiers_KeepsThem()
    {
        var table = RealTime(new PriceTier(1, 0m, 300m, Usd(1.4m)), new PriceTier(2, 300m, null, Usd(1.2m)));

        table.Service.Should().BeSameAs(AsrService.RealTime);
        table.EffectiveFrom.Should().Be(Effective);
        table.Currency.Should().Be("USD");
        table.Source.Should().BeNull();
        table.Tiers.Select(t => t.Number).Should().Equal(1, 2);
    }

    [Fact]
    public void Constructor_FirstTierNotAtZero_Throws()
    {
        var error = Rejected(() => RealTime(new PriceTier(1, 10m, 300m, Usd(1.4m)), new PriceTier(2, 300m, null, Usd(1.2m))));

        error.TierNumber.Should().Be(1);
        error.ServiceId.Should().Be("real-time");
        error.Message.Should().Contain("must start at 0 h");
    }

    [Fact]
    public void Constructor_UnsortedThresholds_Throws()
    {
        var error = Rejected(() => RealTime(
            new PriceTier(1, 0m, 300m, Usd(1.4m)),
            new PriceTier(2, 300m, 1000m, Usd(1.2m)),
            new PriceTier(3, 200m, null, Usd(1m))));

        error.TierNumber.Should().Be(3);
        error.Message.Should().Contain("strictly ascending");
    }

    [Fact]
    public void FromThresholds_UnsortedThresholds_Throws()
    {
        var error = Rejected(() => PriceTable.FromThresholds(
            AsrService.RealTime, Effective, "USD", [(0m, 1.4m), (1000m, 1m), (300m, 1.2m)]));

        error.TierNumber.Should().Be(3);
        error.ServiceId.Should().Be("real-time");
        error.Message.Should().Contain("strictly ascending");
    }

    [Fact]
    public void Constructor_OverlappingTiers_Throws()
    {
        var error = Rejected(() => RealTime(new PriceTier(1, 0m, 400m, Usd(1.4m)), new PriceTier(2, 300m, null, Usd(1.2m))));

        error.TierNumber.Should().Be(2);
        error.Message.Should().Contain("overlap");
    }

    [Fact]
    public void Constructor_GapBetweenTiers_Throws()
    {
        var error = Rejected(() => RealTime(new PriceTier(1, 0m, 300m, Usd(1.4m)), new PriceTier(2, 400m, null, Usd(1.2m))));

        error.TierNumber.Should().Be(2);
        error.Message.Should().Contain("gap");
    }

    [Fact]
    public void FromThresholds_NegativePrice_Throws()
    {
        var error = Rejected(() => PriceTable.FromThresholds(
            AsrService.RecordingFile, Effective, "USD", [(0m, 1m), (300m, -0.95m)]));

        error.TierNumber.Should().Be(2);
        error.ServiceId.Should().Be("recording-file");
        error.Message.Should().Contain("recording-file").And.Contain("negative");
    }

    [Fact]
    public void Constructor_MixedCurrencies_Throws()
    {
        var error = Rejected(() => RealTime(new PriceTier(1, 0m, 300m, Usd(1.4m)), new PriceTier(2, 300m, null, new Money(1.2m, "EUR"))));

        error.TierNumber.Should().Be(2);
        error.Message.Should().Contain("EUR").And.Contain("USD").And.Contain("one currency");
    }

    [Fact]
    public void Constructor_NoTiers_Throws()
    {
        var error = Rejected(() => RealTime());

        error.TierNumber.Should().BeNull();
        error.Message.Should().Contain("no tiers");
    }

    [Fact]
    public void Constructor_OpenEndedTierNotLast_Throws()
    {
        var error = Rejected(() => RealTime(new PriceTier(1, 0m, null, Usd(1.4m)), new PriceTier(2, 300m, null, Usd(1.2m))));

        error.TierNumber.Should().Be(1);
        error.Message.Should().Contain("only the last tier may be open-ended");
    }

    [Fact]
    public void Constructor_LastTierNotOpenEnded_Throws()
    {
        var error = Rejected(() => RealTime(new PriceTier(1, 0m, 300m, Usd(1.4m)), new PriceTier(2, 300m, 1000m, Usd(1.2m))));

        error.TierNumber.Should().Be(2);
        error.Message.Should().Contain("must be open-ended");
    }

    [Fact]
    public void Constructor_TiersMisnumbered_Throws()
    {
        var error = Rejected(() => RealTime(new PriceTier(1, 0m, 300m, Usd(1.4m)), new PriceTier(3, 300m, null, Usd(1.2m))));

        error.TierNumber.Should().Be(2);
        error.Message.Should().Be("Tier 2 of real-time is numbered 3: tiers are numbered 1, 2, 3, … in order.");
    }

    [Fact]
    public void Constructor_NullTier_Throws()
    {
        var second = Rejected(() => RealTime(new PriceTier(1, 0m, 300m, Usd(1.4m)), null!));
        second.TierNumber.Should().Be(2);
        second.Message.Should().Be("Tier 2 of real-time is null.");

        var first = Rejected(() => RealTime(null!, new PriceTier(2, 300m, null, Usd(1.2m))));
        first.TierNumber.Should().Be(1);
        first.Message.Should().Be("Tier 1 of real-time is null.");
    }

    [Fact]
    public void FromThresholds_NotAscending_NamesTheLaterTier()
    {
        // The third threshold, 5 h, is not above the second, 5 h.
        var error = Rejected(() => PriceTable.FromThresholds(AsrService.RealTime, Effective, "USD", [(0m, 1.4m), (5m, 1.2m), (5m, 1m)]));

        error.TierNumber.Should().Be(3);
        error.Message.Should().Be("Tier 3 of real-time starts at 5 h, which is not above tier 2's start 5 h: thresholds must be strictly ascending.");
    }

    [Fact]
    public void ThresholdBeyondEveryWholeSecondTotal_IsNeverReached()
    {
        // 10^16 h is more than long.MaxValue s (about 2.56 × 10^15 h): no daily total reaches it,
        // not even one of exactly long.MaxValue s.
        var table = PriceTable.FromThresholds(AsrService.RealTime, Effective, "USD", [(0m, 1m), (10_000_000_000_000_000m, 0.5m)]);
        var book = new PriceBook("huge", [table]);

        var charge = PriceCalculator.Compute(new DailyTotal("a", AsrService.RealTime, Effective, long.MaxValue - 1), book);
        var largest = PriceCalculator.Compute(new DailyTotal("a", AsrService.RealTime, Effective, long.MaxValue), book);

        charge.Tier.Number.Should().Be(1);
        largest.Tier.Number.Should().Be(1);
        largest.Fee.Amount.Should().Be(2_562_047_788_015_215.50m); // 9,223,372,036,854,775,807 s ÷ 3600 × 1 USD = …215.5019…
        table.FindTier(10_000_000_000_000_000m).Number.Should().Be(2);
    }

    [Fact]
    public void FromThresholds_InvalidCurrency_ThrowsArgumentException()
    {
        FluentActions.Invoking(() => PriceTable.FromThresholds(AsrService.RealTime, Effective, "usd", [(0m, 1m)]))
            .Should().ThrowExactly<ArgumentException>().WithParameterName("currency");
    }

    [Fact]
    public void FromThresholds_BuildsContiguousTiersWithOpenLast()
    {
        var table = PriceTable.FromThresholds(AsrService.RealTime, Effective, "USD", [(0m, 1.4m), (300m, 1.2m), (1000m, 1m)], source: "test");

        table.Tiers.Should().Equal(
            new PriceTier(1, 0m, 300m, Usd(1.4m)),
            new PriceTier(2, 300m, 1000m, Usd(1.2m)),
            new PriceTier(3, 1000m, null, Usd(1m)));
        table.Source.Should().Be("test");
    }

    [Theory]
    [InlineData(0, 1)]
    [InlineData(299.99, 1)]
    [InlineData(300, 2)]
    [InlineData(999.99, 2)]
    [InlineData(1000, 3)]
    [InlineData(1000000000000, 3)]
    public void FindTier_UsesHalfOpenRanges(decimal hours, int expectedTier)
    {
        var table = PriceTable.FromThresholds(AsrService.RealTime, Effective, "USD", [(0m, 1.4m), (300m, 1.2m), (1000m, 1m)]);

        table.FindTier(hours).Number.Should().Be(expectedTier);
    }

    [Fact]
    public void FindTier_NegativeHours_ThrowsWithParamNameHours()
    {
        var table = PriceTable.FromThresholds(AsrService.RealTime, Effective, "USD", [(0m, 1.4m)]);

        FluentActions.Invoking(() => table.FindTier(-0.000001m)).Should().Throw<ArgumentOutOfRangeException>().WithParameterName("hours");
    }

    [Fact]
    public void Equals_SameContents_AreEqual()
    {
        PriceTable Build() => PriceTable.FromThresholds(AsrService.RealTime, Effective, "USD", [(0m, 1.4m), (300m, 1.2m)], source: "s");

        Build().Should().Be(Build());
        Build().GetHashCode().Should().Be(Build().GetHashCode());
        Build().Should().NotBe(PriceTable.FromThresholds(AsrService.RealTime, Effective, "USD", [(0m, 1.4m), (300m, 1.1m)], source: "s"));
        Build().Should().NotBe(PriceTable.FromThresholds(AsrService.RealTime, Effective.PlusDays(1), "USD", [(0m, 1.4m), (300m, 1.2m)], source: "s"));
        Build().Should().NotBe(PriceTable.FromThresholds(AsrService.RecordingFile, Effective, "USD", [(0m, 1.4m), (300m, 1.2m)], source: "s"));
    }

    [Fact]
    public void ToString_ListsServiceDateAndTiers()
    {
        PriceTable.FromThresholds(AsrService.RealTime, Effective, "USD", [(0m, 1.4m), (300m, 1.2m)]).ToString()
            .Should().Be("real-time (prices of 2025-08-19): tier 1 [0 h, 300 h) at 1.40 USD/h; tier 2 [300 h, ∞) at 1.20 USD/h");
    }
}
