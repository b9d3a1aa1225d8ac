namespace AsrBilling.Tests.Domain;

public class PriceTierTests
{
    private static Money Usd(decimal amount) => new(amount, "USD");

    [Fact]
    public void ToString_BoundedTier_ShowsHalfOpenRange()
    {
        new PriceTier(2, 300m, 1000m, Usd(1.2m)).ToString().Should().Be("tier 2 [300 h, 1000 h) at 1.20 USD/h");
    }

    [Fact]
    public void ToString_OpenTier_ShowsInfinity()
    {
        new PriceTier(5, 5000m, null, Usd(0.7m)).ToString().Should().Be("tier 5 [5000 h, ∞) at 0.70 USD/h");
    }

    [Fact]
    public void DescribeRange_ReadsAsText()
    {
        new PriceTier(2, 300m, 1000m, Usd(1.2m)).DescribeRange().Should().Be("300 h to 1000 h");
        new PriceTier(5, 5000m, null, Usd(0.7m)).DescribeRange().Should().Be("5000 h and above");
    }

    [Fact]
    public void DescribeRange_RoundsHoursToHundredths_AndMarksRoundedOnes()
    {
        // 250,000 min = 4166.666… h and 1,000,000 min = 16666.666… h (Amazon Transcribe's thresholds):
        // to 2 decimals half away from zero, 4166.67 and 16666.67; 12.345 is a midpoint and rounds up to 12.35.
        new PriceTier(2, 4166.6666666666666666666666667m, 16666.666666666666666666666667m, Usd(0.9m)).DescribeRange()
            .Should().Be("≈4166.67 h to ≈16666.67 h");
        new PriceTier(2, 12.345m, null, Usd(0.9m)).DescribeRange().Should().Be("≈12.35 h and above");
        new PriceTier(2, 12.5m, 299.99m, Usd(0.9m)).ToString().Should().Be("tier 2 [12.5 h, 299.99 h) at 0.90 USD/h");
    }

    [Fact]
    public void Properties_AreAsGiven()
    {
        var tier = new PriceTier(2, 300m, 1000m, Usd(1.2m));

        tier.Number.Should().Be(2);
        tier.FromHours.Should().Be(300m);
        tier.ToHours.Should().Be(1000m);
        tier.UnitPrice.Should().Be(Usd(1.2m));
        tier.IsOpenEnded.Should().BeFalse();
        new PriceTier(5, 5000m, null, Usd(0.7m)).IsOpenEnded.Should().BeTrue();
    }

    [Fact]
    public void Equals_ComparesEveryComponent()
    {
        var tier = new PriceTier(2, 300m, 1000m, Usd(1.2m));

        tier.Should().Be(new PriceTier(2, 300.0m, 1000m, Usd(1.20m)));
        tier.GetHashCode().Should().Be(new PriceTier(2, 300.0m, 1000m, Usd(1.20m)).GetHashCode());
        tier.Should().NotBe(new PriceTier(3, 300m, 1000m, Usd(1.2m)));
        tier.Should().NotBe(new PriceTier(2, 301m, 1000m, Usd(1.2m)));
        tier.Should().NotBe(new PriceTier(2, 300m, null, Usd(1.2m)));
        tier.Should().NotBe(new PriceTier(2, 300m, 1000m, Usd(1.1m)));
        tier.Should().NotBe(new PriceTier(2, 300m, 1000m, new Money(1.2m, "EUR")));
    }

    [Fact]
    public void Constructor_NumberBelowOne_Throws()
    {
        FluentActions.Invoking(() => new PriceTier(0, 0m, null, Usd(1m)))
            .Should().Throw<PriceTableException>().WithMessage("*start at 1*").Which.TierNumber.Should().Be(0);
    }

    [Fact]
    public void Constructor_NegativeThreshold_Throws()
    {
        FluentActions.Invoking(() => new PriceTier(1, -1m, null, Usd(1m)))
            .Should().Throw<PriceTableException>().WithMessage("*-1 h*negative*").Which.TierNumber.Should().Be(1);
    }

    [Fact]
    public void Constructor_UpperBoundNotAboveLower_Throws()
    {
        FluentActions.Invoking(() => new PriceTier(2, 300m, 300m, Usd(1m)))
            .Should().Throw<PriceTableException>().WithMessage("*strictly ascending*").Which.TierNumber.Should().Be(2);
    }

    [Fact]
    public void Constructor_NegativePrice_Throws()
    {
        FluentActions.Invoking(() => new PriceTier(3, 1000m, null, Usd(-0.01m)))
            .Should().Throw<PriceTableException>().WithMessage("*negative unit price*").Which.TierNumber.Should().Be(3);
    }

    [Fact]
    public void Constructor_ZeroPrice_IsAllowed()
    {
        new PriceTier(1, 0m, null, Usd(0m)).UnitPrice.Amount.Should().Be(0m);
    }
}
