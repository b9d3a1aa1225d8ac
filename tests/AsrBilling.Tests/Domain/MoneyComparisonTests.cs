namespace AsrBilling.Tests.Domain;

public class MoneyComparisonTests
{
    private static readonly Money One = new(1m, "USD");
    private static readonly Money Two = new(2m, "USD");

    [Fact]
    public void Operators_CompareAmounts()
    {
        (One < Two, One <= Two, One > Two, One >= Two).Should().Be((true, true, false, false));
        (Two < One, Two <= One, Two > One, Two >= One).Should().Be((false, false, true, true));
        var alsoOne = new Money(1.00m, "USD");
        (One < alsoOne, One <= alsoOne, One > alsoOne, One >= alsoOne).Should().Be((false, true, false, true));
        One.CompareTo(Two).Should().BeNegative();
    }

    [Fact]
    public void DifferentCurrencies_CannotBeCompared()
    {
        FluentActions.Invoking(() => One < new Money(2m, "EUR")).Should().Throw<InvalidOperationException>().WithMessage("Cannot compare amounts in different currencies: 1.00 USD and 2.00 EUR.");
        FluentActions.Invoking(() => One - new Money(2m, "EUR")).Should().Throw<InvalidOperationException>().WithMessage("Cannot subtract*");
        FluentActions.Invoking(() => One.Add(new Money(2m, "EUR"))).Should().Throw<InvalidOperationException>().WithMessage("Cannot add*");
    }

    [Fact]
    public void RoundToCents_AlwaysTwoDecimals()
    {
        new Money(378.0m, "USD").RoundToCents().Amount.ToString(System.Globalization.CultureInfo.InvariantCulture).Should().Be("378.00");
        new Money(-0.005m, "USD").RoundToCents().Amount.Should().Be(-0.01m);
        One.Subtract(Two).Should().Be(new Money(-1m, "USD"));
        default(Money).Currency.Should().Be("XXX");
    }
}
