namespace AsrBilling.Tests.Domain;

public class MoneyTests
{
    public static TheoryData<decimal, decimal> RoundToCentsCases { get; } = new()
    {
        { 0.105m, 0.11m },
        { -0.105m, -0.11m },
        { 0.104999m, 0.10m },
        { -0.104999m, -0.10m },
        { 0.115m, 0.12m },
        { 0.125m, 0.13m }, // to even would give 0.12
        { 2.675m, 2.68m },
        { 0.005m, 0.01m },
        { -0.005m, -0.01m },
        { 378m, 378m },
        { 0m, 0m },
    };

    public static TheoryData<decimal, string> ToStringCases { get; } = new()
    {
        { 378.00m, "378.00 USD" },
        { 378m, "378.00 USD" },
        { 378.0000m, "378.00 USD" },
        { 0.105m, "0.105 USD" },
        { 0.1050m, "0.105 USD" },
        { -0.105m, "-0.105 USD" },
        { 0m, "0.00 USD" },
        { 1234567.5m, "1234567.50 USD" },
    };

    [Fact]
    public void Equals_SameAmountDifferentScale_AreEqual()
    {
        var a = new Money(378.00m, "USD");
        var b = new Money(378.0m, "USD");

        (a == b).Should().BeTrue();
        a.Equals((object)b).Should().BeTrue();
        a.GetHashCode().Should().Be(b.GetHashCode());
    }

    [Fact]
    public void Equals_DifferentCurrencyOrAmount_AreNotEqual()
    {
        (new Money(1m, "USD") != new Money(1m, "EUR")).Should().BeTrue();
        (new Money(1m, "USD") != new Money(1.01m, "USD")).Should().BeTrue();
        new Money(1m, "USD").Equals("1.00 USD").Should().BeFalse();
    }

    [Fact]
    public void Add_SameCurrency_SumsExactly()
    {
        var sum = new Money(0.1m, "USD") + new Money(0.2m, "USD");

        sum.Should().Be(new Money(0.3m, "USD"));
        new Money(1.005m, "USD").Add(new Money(2m, "USD")).Amount.Should().Be(3.005m);
        new Money(1m, "USD").Subtract(new Money(0.25m, "USD")).Should().Be(new Money(0.75m, "USD"));
    }

    [Fact]
    public void Add_DifferentCurrencies_ThrowsInvalidOperation()
    {
        FluentActions.Invoking(() => new Money(1m, "USD") + new Money(1m, "EUR"))
            .Should().Throw<InvalidOperationException>().WithMessage("*USD*EUR*");
        FluentActions.Invoking(() => new Money(1m, "USD") - new Money(1m, "EUR"))
            .Should().Throw<InvalidOperationException>();
        FluentActions.Invoking(() => new Money(1m, "USD").CompareTo(new Money(1m, "EUR")))
            .Should().Throw<InvalidOperationException>();
    }

    [Theory]
    [InlineData("usd")]
    [InlineData("US")]
    [InlineData("USDX")]
    [InlineData("")]
    [InlineData("U5D")]
    public void Constructor_InvalidCurrency_ThrowsArgumentException(string code)
    {
        FluentActions.Invoking(() => new Money(1m, code))
            .Should().ThrowExactly<ArgumentException>().WithParameterName("currency").WithMessage($"*'{code}'*");
    }

    [Fact]
    public void Constructor_NullCurrency_ThrowsArgumentNullException()
    {
        FluentActions.Invoking(() => new Money(1m, null!)).Should().Throw<ArgumentNullException>().WithParameterName("currency");
    }

    [Theory]
    [MemberData(nameof(ToStringCases))]
    public void ToString_FormatsInvariantlyWithAtLeastTwoDecimals(decimal amount, string expected)
    {
        new Money(amount, "USD").ToString().Should().Be(expected);
    }

    [Theory]
    [MemberData(nameof(RoundToCentsCases))]
    public void RoundToCents_RoundsHalfAwayFromZero(decimal amount, decimal expected)
    {
        var rounded = new Money(amount, "USD").RoundToCents();

        rounded.Amount.Should().Be(expected);
        rounded.Currency.Should().Be("USD");
    }

    [Fact]
    public void Default_IsZeroInNoCurrency()
    {
        default(Money).Currency.Should().Be("XXX");
        default(Money).Amount.Should().Be(0m);
        default(Money).Should().Be(Money.Zero("XXX"));
    }

    [Fact]
    public void Compare_SameCurrency_OrdersByAmount()
    {
        var small = new Money(1m, "USD");
        var large = new Money(2m, "USD");

        (small < large).Should().BeTrue();
        (large > small).Should().BeTrue();
        (small <= new Money(1.00m, "USD")).Should().BeTrue();
        (large >= small).Should().BeTrue();
        small.CompareTo(large).Should().BeNegative();
    }
}
