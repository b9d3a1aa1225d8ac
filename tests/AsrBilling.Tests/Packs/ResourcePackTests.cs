namespace AsrBilling.Tests.Packs;

public class ResourcePackTests
{
    private static readonly LocalDate January1 = new(2026, 1, 1);
    private static readonly LocalDate December31 = new(2026, 12, 31);

    private static ResourcePack Pack(
        string id = "rt-1000", decimal hours = 1000m, Money? price = null, string? account = "acme", AsrService? service = null) =>
        new(id, service ?? AsrService.RealTime, hours, January1, December31, price, account);

    [Fact]
    public void Constructor_KeepsEveryField()
    {
        var pack = Pack(price: new Money(1800m, "CNY"));

        pack.Id.Should().Be("rt-1000");
        pack.Service.Should().Be(AsrService.RealTime);
        pack.Hours.Should().Be(1000m);
        pack.Seconds.Should().Be(3_600_000L);
        pack.ValidFrom.Should().Be(January1);
        pack.ValidTo.Should().Be(December31);
        pack.Price.Should().Be(new Money(1800m, "CNY"));
        pack.Account.Should().Be("acme");
    }

    [Fact]
    public void Constructor_NoAccount_IsTheDefaultAccount()
    {
        Pack(account: null).Account.Should().Be(string.Empty);
        Pack(account: null).Should().Be(Pack(account: string.Empty));
    }

    [Theory]
    [InlineData("0.5", 1800L)]
    [InlineData("1000", 3_600_000L)]
    [InlineData("30.0125", 108_045L)]
    public void Seconds_WholeSeconds_AreExact(string hours, long expected)
    {
        Pack(hours: decimal.Parse(hours, System.Globalization.CultureInfo.InvariantCulture)).Seconds.Should().Be(expected);
    }

    [Fact]
    public void Seconds_HoursOfOneSecond_CannotBeWrittenAsADecimal_SoAreRefused()
    {
        // 1 s is 1/3600 h, a repeating decimal: the nearest decimal is not a whole number of seconds.
        // The smallest whole-second decimal hours are 9 s = 0.0025 h.
        FluentActions.Invoking(() => Pack(hours: 1m / 3600m)).Should().Throw<ArgumentException>().Which.ParamName.Should().Be("hours");
        Pack(hours: 0.0025m).Seconds.Should().Be(9L);
    }

    [Fact]
    public void Constructor_HoursNotWholeSeconds_Throws()
    {
        FluentActions.Invoking(() => Pack(hours: 0.0001m)).Should().Throw<ArgumentException>()
            .WithMessage("A pack's hours should be a whole number of seconds (a multiple of 1/3600 h), but 0.0001 h is 0.3600 s.*")
            .Which.ParamName.Should().Be("hours");
    }

    [Theory]
    [InlineData("0")]
    [InlineData("-1")]
    public void Constructor_HoursNotPositive_Throws(string hours)
    {
        var value = decimal.Parse(hours, System.Globalization.CultureInfo.InvariantCulture);
        FluentActions.Invoking(() => Pack(hours: value)).Should().Throw<ArgumentOutOfRangeException>()
            .WithMessage($"A pack's hours should be more than 0, but were {hours}.*")
            .Which.ParamName.Should().Be("hours");
    }

    [Fact]
    public void Constructor_HoursBeyondLongSeconds_Throws()
    {
        FluentActions.Invoking(() => Pack(hours: 1e20m)).Should().Throw<ArgumentOutOfRangeException>()
            .WithMessage("A pack's hours should be at most 2562047788015215, but were 100000000000000000000.*")
            .Which.ParamName.Should().Be("hours");
    }

    [Fact]
    public void Constructor_ValidToBeforeValidFrom_Throws()
    {
        FluentActions.Invoking(() => new ResourcePack("p", AsrService.RealTime, 1m, December31, January1))
            .Should().Throw<ArgumentException>()
            .WithMessage("The last valid date should not be before the first, but 2026-01-01 is before 2026-12-31.*")
            .Which.ParamName.Should().Be("validTo");
    }

    [Fact]
    public void Constructor_OneDayPack_IsAllowed()
    {
        new ResourcePack("p", AsrService.RealTime, 1m, January1, January1).IsValidOn(January1).Should().BeTrue();
    }

    [Fact]
    public void Constructor_NegativePrice_Throws()
    {
        FluentActions.Invoking(() => Pack(price: new Money(-0.01m, "CNY"))).Should().Throw<ArgumentOutOfRangeException>()
            .WithMessage("A pack's price should not be negative, but was -0.01 CNY.*")
            .Which.ParamName.Should().Be("price");
    }

    [Fact]
    public void Constructor_FreePack_IsAllowed()
    {
        Pack(price: Money.Zero("CNY")).Price.Should().Be(new Money(0m, "CNY"));
    }

    [Theory]
    [InlineData("")]
    [InlineData("  ")]
    public void Constructor_BlankId_Throws(string id)
    {
        FluentActions.Invoking(() => Pack(id: id)).Should().Throw<ArgumentException>()
            .WithMessage("A pack id should not be blank.*").Which.ParamName.Should().Be("id");
    }

    [Fact]
    public void Constructor_Nulls_Throw()
    {
        FluentActions.Invoking(() => Pack(id: null!)).Should().Throw<ArgumentNullException>().Which.ParamName.Should().Be("id");
        FluentActions.Invoking(() => new ResourcePack("p", null!, 1m, January1, January1))
            .Should().Throw<ArgumentNullException>().Which.ParamName.Should().Be("service");
    }

    [Fact]
    public void Constructor_DateNotIso_Throws()
    {
        var julian = new LocalDate(2026, 1, 1, CalendarSystem.Julian);
        FluentActions.Invoking(() => new ResourcePack("p", AsrService.RealTime, 1m, julian, julian))
            .Should().Throw<ArgumentException>().WithMessage("A pack's dates should be in the ISO calendar*").Which.ParamName.Should().Be("validFrom");
    }

    [Fact]
    public void IsValidOn_BothEdgesIncluded_NeighboursExcluded()
    {
        var pack = Pack();

        pack.IsValidOn(new LocalDate(2025, 12, 31)).Should().BeFalse();
        pack.IsValidOn(new LocalDate(2026, 1, 1)).Should().BeTrue();
        pack.IsValidOn(new LocalDate(2026, 6, 15)).Should().BeTrue();
        pack.IsValidOn(new LocalDate(2026, 12, 31)).Should().BeTrue();
        pack.IsValidOn(new LocalDate(2027, 1, 1)).Should().BeFalse();
    }

    [Fact]
    public void Covers_OnlyItsAccountServiceAndDates()
    {
        var pack = Pack();
        var june = new LocalDate(2026, 6, 1);

        pack.Covers("acme", AsrService.RealTime, june).Should().BeTrue();
        pack.Covers("ACME", AsrService.RealTime, june).Should().BeFalse();
        pack.Covers("other", AsrService.RealTime, june).Should().BeFalse();
        pack.Covers(null, AsrService.RealTime, june).Should().BeFalse();
        pack.Covers("acme", AsrService.RealTimeLargeModel, june).Should().BeFalse();
        pack.Covers("acme", AsrService.RealTime, new LocalDate(2027, 1, 1)).Should().BeFalse();
    }

    [Fact]
    public void Covers_DefaultAccount_MatchesNullAndEmpty()
    {
        var pack = Pack(account: null);

        pack.Covers(null, AsrService.RealTime, January1).Should().BeTrue();
        pack.Covers(string.Empty, AsrService.RealTime, January1).Should().BeTrue();
        pack.Covers("acme", AsrService.RealTime, January1).Should().BeFalse();
    }

    [Fact]
    public void ToString_IsInvariantAndComplete()
    {
        Pack(price: new Money(1800m, "CNY")).ToString().Should().Be("rt-1000: 1000 h of real-time for acme, 2026-01-01 to 2026-12-31, 1800.00 CNY");
        Pack(hours: 30.5m, account: null).ToString().Should().Be("rt-1000: 30.5 h of real-time for (default account), 2026-01-01 to 2026-12-31");
    }

    [Fact]
    public void Equality_ComparesEveryField()
    {
        var pack = Pack(price: new Money(1800m, "CNY"));

        pack.Should().Be(Pack(price: new Money(1800m, "CNY")));
        pack.Should().Be(Pack(hours: 1000.0m, price: new Money(1800.00m, "CNY")));
        pack.GetHashCode().Should().Be(Pack(hours: 1000.0m, price: new Money(1800.00m, "CNY")).GetHashCode());
        pack.Should().NotBe(Pack(id: "rt-1001", price: new Money(1800m, "CNY")));
        pack.Should().NotBe(Pack(hours: 999m, price: new Money(1800m, "CNY")));
        pack.Should().NotBe(Pack(price: new Money(1800m, "USD")));
        pack.Should().NotBe(Pack());
        pack.Should().NotBe(Pack(account: "Acme", price: new Money(1800m, "CNY")));
        pack.Should().NotBe(Pack(service: AsrService.RecordingFile, price: new Money(1800m, "CNY")));
        pack.Should().NotBe(new ResourcePack("rt-1000", AsrService.RealTime, 1000m, January1, new LocalDate(2026, 12, 30), new Money(1800m, "CNY"), "acme"));
        pack.Should().NotBe(new ResourcePack("rt-1000", AsrService.RealTime, 1000m, new LocalDate(2026, 1, 2), December31, new Money(1800m, "CNY"), "acme"));
        pack.Equals(null).Should().BeFalse();
    }
}
