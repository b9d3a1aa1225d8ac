namespace AsrBilling.Tests.Insights;

public class PackOfferTests
{
    private static readonly Money Cny1800 = new(1800m, "CNY");

    [Fact]
    public void Defaults_OneYearAndAGeneratedName()
    {
        var offer = new PackOffer(AsrService.RealTime, 1000m, Cny1800);

        offer.Validity.Should().Be(Period.FromYears(1));
        offer.Name.Should().Be("real-time 1000 h");
        offer.Seconds.Should().Be(3_600_000);
        offer.ToString().Should().Be("real-time 1000 h: 1000 h of real-time for 1800.00 CNY, valid 1 year");
    }

    [Fact]
    public void LastValidDate_IsTheDayBeforeTheValidityEnds()
    {
        // One year from 2026-01-01 ends before 2027-01-01; six months from 2026-03-10 before 2026-09-10.
        new PackOffer(AsrService.RealTime, 30m, Cny1800).LastValidDate(new LocalDate(2026, 1, 1)).Should().Be(new LocalDate(2026, 12, 31));
        new PackOffer(AsrService.RealTime, 30m, Cny1800, Period.FromMonths(6)).LastValidDate(new LocalDate(2026, 3, 10)).Should().Be(new LocalDate(2026, 9, 9));
    }

    [Fact]
    public void DescribeValidity_NamesEachUnit()
    {
        var period = new PeriodBuilder { Years = 1, Months = 2, Weeks = 1, Days = 3 }.Build();

        new PackOffer(AsrService.RealTime, 30m, Cny1800, period).DescribeValidity().Should().Be("1 year 2 months 1 week 3 days");
    }

    [Fact]
    public void Equality_ComparesEveryField()
    {
        var a = new PackOffer(AsrService.RealTime, 1000m, Cny1800, name: "rt-1000");

        a.Should().Be(new PackOffer(AsrService.RealTime, 1000.0m, new Money(1800.00m, "CNY"), Period.FromYears(1), "rt-1000"));
        a.GetHashCode().Should().Be(new PackOffer(AsrService.RealTime, 1000.0m, Cny1800, name: "rt-1000").GetHashCode());
        a.Should().NotBe(new PackOffer(AsrService.RealTime, 1000m, Cny1800, Period.FromMonths(12), "rt-1000"));
        a.Should().NotBe(new PackOffer(AsrService.RecordingFile, 1000m, Cny1800, name: "rt-1000"));
        a.Should().NotBe(new PackOffer(AsrService.RealTime, 1000m, new Money(1799m, "CNY"), name: "rt-1000"));
        a.Should().NotBe(new PackOffer(AsrService.RealTime, 1000m, Cny1800, name: "rt-1k"));
    }

    [Theory]
    [InlineData(0, "A pack's hours should be more than 0, but were 0.")]
    [InlineData(-30, "A pack's hours should be more than 0, but were -30.")]
    [InlineData(0.0001, "A pack's hours should be a whole number of seconds (a multiple of 1/3600 h), but 0.0001 h is 0.3600 s.")]
    public void BadHours_AreRefused(double hours, string message)
    {
        var act = () => new PackOffer(AsrService.RealTime, (decimal)hours, Cny1800);

        act.Should().Throw<ArgumentException>().Where(e => e.ParamName == "hours").Which.Message.Should().StartWith(message);
    }

    [Fact]
    public void NegativePrice_IsRefused()
    {
        var act = () => new PackOffer(AsrService.RealTime, 30m, new Money(-1m, "CNY"));

        act.Should().Throw<ArgumentOutOfRangeException>().Which.Message.Should().StartWith("An offer's price should not be negative, but was -1.00 CNY.");
    }

    [Theory]
    [InlineData("PT1H")]
    [InlineData("P0D")]
    [InlineData("P-1M")]
    [InlineData("P1Y-1D")]
    public void BadValidity_IsRefused(string text)
    {
        var period = NodaTime.Text.PeriodPattern.Roundtrip.Parse(text).Value;

        var act = () => new PackOffer(AsrService.RealTime, 30m, Cny1800, period);

        act.Should().Throw<ArgumentException>().Where(e => e.ParamName == "validity")
            .Which.Message.Should().StartWith($"An offer's validity should be a positive number of days, weeks, months or years, such as P1Y, but was {text}.");
    }

    [Fact]
    public void ChinaList_HoldsTheIssuesTenOffers()
    {
        // Issue 15's list: real-time 30 h ¥90 … 300,000 h ¥300,000; recording file 60 h ¥90 … 300,000 h ¥210,000; one year each.
        var china = PackOfferList.TencentCloudChina;

        china.Select(o => (o.Name, o.Service.Id, o.Hours, o.Price.Amount)).Should().Equal(
            ("rt-30", "real-time", 30m, 90m),
            ("rt-1000", "real-time", 1000m, 1800m),
            ("rt-10000", "real-time", 10_000m, 15_000m),
            ("rt-100000", "real-time", 100_000m, 120_000m),
            ("rt-300000", "real-time", 300_000m, 300_000m),
            ("rf-60", "recording-file", 60m, 90m),
            ("rf-1000", "recording-file", 1000m, 1200m),
            ("rf-10000", "recording-file", 10_000m, 10_000m),
            ("rf-100000", "recording-file", 100_000m, 80_000m),
            ("rf-300000", "recording-file", 300_000m, 210_000m));
        china.Should().OnlyContain(o => o.Price.Currency == "CNY" && o.Validity == Period.FromYears(1));
        china.Source.Should().Contain("216/35246").And.Contain("carries no date").And.Contain("not known to be current");
        PackOfferList.TryGetBuiltIn("tencent-cloud-china", out var named).Should().BeTrue();
        named.Should().BeSameAs(china);
        PackOfferList.TryGetBuiltIn("Tencent-Cloud-China", out _).Should().BeFalse();
        PackOfferList.BuiltInNames.Should().Equal("tencent-cloud-china");
    }

    [Fact]
    public void List_RefusesRepeatedNamesAndNulls()
    {
        var offer = new PackOffer(AsrService.RealTime, 30m, Cny1800, name: "x");

        FluentActions.Invoking(() => new PackOfferList("l", [offer, offer])).Should().Throw<ArgumentException>()
            .WithMessage("Offer names should be unique, but 'x' is at positions 0 and 1.*");
        FluentActions.Invoking(() => new PackOfferList("l", [offer, null!])).Should().Throw<ArgumentException>()
            .WithMessage("The offer at position 1 is null.*");
    }
}
