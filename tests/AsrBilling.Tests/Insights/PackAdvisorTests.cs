namespace AsrBilling.Tests.Insights;

/// <summary>
/// The pack advisor against the China book: real-time at daily all-units tiers 0 / 300 / 1000 / 3000 / 5000 h
/// at 3.2 / 2.8 / 2.2 / 1.6 / 1.2 CNY/h with 5 free hours a month; recording file at monthly tiers
/// 0 / 120,000 / 300,000 h at 1.75 / 1.40 / 0.95 CNY/h with 10 free hours a month. Packs: rt-30 ¥90,
/// rt-1000 ¥1,800, rt-10000 ¥15,000, rt-100000 ¥120,000, rt-300000 ¥300,000; rf-60 ¥90, rf-1000 ¥1,200,
/// rf-10000 ¥10,000, rf-100000 ¥80,000, rf-300000 ¥210,000.
/// </summary>
public class PackAdvisorTests
{
    private static readonly BillingOptions China = new(priceBook: PriceBook.TencentCloudChina);

    private static readonly PackOfferList Offers = PackOfferList.TencentCloudChina;

    private static PackAdvice Advise(UsageProfile profile, AsrService service, IEnumerable<PackOffer>? offers = null) =>
        PackAdvisor.Advise(profile, service, offers ?? Offers, China);

    private static (string Name, long Count)[] Bought(PackAdvice advice) => [.. advice.Purchases.Select(p => (p.Offer.Name, p.Count))];

    private static PackOffer Offer(string name, decimal hours, decimal price) => new(AsrService.RealTime, hours, new Money(price, "CNY"), name: name);

    [Fact]
    public void OneDayOf700Hours_OneThousandHourPackWins()
    {
        // 700 h is tier 2 (2.8); March's 5 free hours leave 695 h: pay-as-you-go 695 × 2.8 = 1946.00.
        // rt-1000 covers all 695 h for 1800.00. k × rt-30 costs 90k and saves 84k (30 h × 2.8): worse for every k;
        // 24 × rt-30 (720 h) cost 2160.00. So 1 × rt-1000: 1800.00, saving 146.00.
        var advice = Advise(UsageProfile.Daily(new LocalDate(2026, 3, 10), [700m]), AsrService.RealTime);

        Bought(advice).Should().Equal(("rt-1000", 1L));
        advice.PayAsYouGo.Should().Be(new Money(1946.00m, "CNY"));
        advice.PackCost.Should().Be(new Money(1800.00m, "CNY"));
        advice.RemainingPayAsYouGo.Amount.Should().Be(0.00m);
        advice.WithPacks.Should().Be(new Money(1800.00m, "CNY"));
        advice.Saving.Should().Be(new Money(146.00m, "CNY"));
        advice.CoverableSeconds.Should().Be(695m * 3600);
        advice.CoveredSeconds.Should().Be(695m * 3600);
        advice.PurchaseDate.Should().Be(new LocalDate(2026, 3, 10));
        advice.LastValidDate.Should().Be(new LocalDate(2027, 3, 9));
        advice.Offers.Select(o => o.Name).Should().Equal("rt-30", "rt-1000", "rt-10000", "rt-100000", "rt-300000");
        advice.ToString().Should().Be("real-time: buy 1 × rt-1000 (1000 h, 1800.00 CNY): 1800.00 CNY instead of 1946.00 CNY, saving 146.00 CNY");
    }

    [Fact]
    public void OneDayOf700Hours_BreakEvensAtTier2()
    {
        // Every hour is at tier 2, so p = 2.8 CNY/h and break-even = price ÷ 2.8:
        // rt-30: 90 ÷ 2.8 = 32.14 h > 30 h, never; rt-1000: 1800 ÷ 2.8 = 642.857… h; rt-10000: 5357.14…;
        // rt-100000: 42857.14…; rt-300000: 107142.857… h.
        // One rt-30: 90 + (695 − 30) × 2.8 = 90 + 1862 = 1952.00, saving −6.00. One rt-10000: saving 1946 − 15000 = −13054.00.
        var advice = Advise(UsageProfile.Daily(new LocalDate(2026, 3, 10), [700m]), AsrService.RealTime);

        advice.PricePerHour.Should().Be(new Money(2.8m, "CNY"));
        advice.BreakEvens.Select(b => (b.Offer.Name, Math.Round(b.BreakEvenHours!.Value, 2, MidpointRounding.AwayFromZero), b.PaysOff)).Should().Equal(
            ("rt-30", 32.14m, false), ("rt-1000", 642.86m, true), ("rt-10000", 5357.14m, true), ("rt-100000", 42857.14m, true), ("rt-300000", 107142.86m, true));
        advice.BreakEvens[0].CostWithOne.Amount.Should().Be(1952.00m);
        advice.BreakEvens.Select(b => b.SavingWithOne.Amount).Should().Equal(-6.00m, 146.00m, -13054.00m, -118054.00m, -298054.00m);
    }

    [Fact]
    public void TierFiveDays_NoPackPaysOff()
    {
        // 6000 h a day is tier 5 (1.2). Two days less March's 5 free hours: 11,995 h × 1.2 = 14,394.00.
        // Every pack costs at least 1.2 per hour it holds (rt-100000: exactly 1.2) except rt-300000 (1.0), which costs 300,000.
        var advice = Advise(UsageProfile.Daily(new LocalDate(2026, 3, 1), [6000m, 6000m]), AsrService.RealTime);

        advice.BuysPacks.Should().BeFalse();
        advice.Purchases.Should().BeEmpty();
        advice.PayAsYouGo.Amount.Should().Be(14_394.00m);
        advice.WithPacks.Amount.Should().Be(14_394.00m);
        advice.Saving.Amount.Should().Be(0.00m);
        advice.ToString().Should().Be("real-time: no pack pays off: 14394.00 CNY pay-as-you-go");

        // Break-even at 1.2: rt-30 75 h, rt-1000 1500 h, rt-10000 12,500 h: each above its hours; rt-100000 at exactly
        // its 100,000 h saves nothing; rt-300000 250,000 h < 300,000 h pays off.
        advice.BreakEvens.Select(b => (b.BreakEvenHours, b.PaysOff)).Should().Equal(
            (75m, false), (1500m, false), (12_500m, false), (100_000m, false), (250_000m, true));
    }

    [Fact]
    public void ThirtyHoursADayFor2026_TwoPacksBeatOneLargerAndElevenSmaller()
    {
        // 365 days × 30 h = 10,950 h, all tier 1 (3.2); 12 months × 5 free hours = 60 h: 10,890 h to cover.
        // Pay-as-you-go 10,890 × 3.2 = 34,848.00.
        // rt-10000 + rt-1000 = 16,800.00 covers 11,000 h. Against it: rt-100000 alone 120,000.00; 11 × rt-1000 19,800.00;
        // rt-10000 + 30 × rt-30 = 17,700.00; rt-10000 + 29 × rt-30 + 20 h × 3.2 = 15,000 + 2,610 + 64 = 17,674.00;
        // rt-10000 + 890 h × 3.2 = 17,848.00. Saving 34,848 − 16,800 = 18,048.00.
        var year = new DateInterval(new LocalDate(2026, 1, 1), new LocalDate(2026, 12, 31));
        var advice = Advise(UsageProfile.Constant(30m, year), AsrService.RealTime);

        Bought(advice).Should().Equal(("rt-1000", 1L), ("rt-10000", 1L));
        advice.PayAsYouGo.Amount.Should().Be(34_848.00m);
        advice.WithPacks.Amount.Should().Be(16_800.00m);
        advice.Saving.Amount.Should().Be(18_048.00m);
        advice.CoverableHours.Should().Be(10_890m);
        advice.CoveredSeconds.Should().Be(10_890m * 3600);
        advice.LastValidDate.Should().Be(new LocalDate(2026, 12, 31));

        // p = 3.2: rt-30 90 ÷ 3.2 = 28.125 h; rt-1000 562.5 h; rt-10000 4687.5 h; rt-100000 37,500 h; rt-300000 93,750 h.
        advice.BreakEvens.Select(b => b.BreakEvenHours).Should().Equal(28.125m, 562.5m, 4687.5m, 37_500m, 93_750m);
        advice.BreakEvens.Should().OnlyContain(b => b.PaysOff);
    }

    [Fact]
    public void ReadmeSnippet_PrintsWhatTheReadmeShows()
    {
        // The README's snippet as written: the year above, with the same figures.
        var year = UsageProfile.Constant(30m, new DateInterval(new LocalDate(2026, 1, 1), new LocalDate(2026, 12, 31)));
        PackAdvice advice = PackAdvisor.Advise(year, AsrService.RealTime, PackOfferList.TencentCloudChina,
            new BillingOptions(priceBook: PriceBook.TencentCloudChina));

        var readme = File.ReadAllText(Path.Combine(Cli.ReadmeTests.RepositoryRoot(), "README.md")).ReplaceLineEndings("\n");
        var section = readme[readme.IndexOf("### Choosing packs: the advisor", StringComparison.Ordinal)..];
        section.Should().Contain("PackAdvice advice = PackAdvisor.Advise(year, AsrService.RealTime, PackOfferList.TencentCloudChina,");
        section.Should().Contain("// " + advice + "\n");
        advice.ToString().Should().Be(
            "real-time: buy 1 × rt-1000 (1000 h, 1800.00 CNY), 1 × rt-10000 (10000 h, 15000.00 CNY): 16800.00 CNY instead of 34848.00 CNY, saving 18048.00 CNY");
    }

    [Fact]
    public void ThirtyHoursADayForTenMonths_OneLargerPackBeatsNineSmaller()
    {
        // 2026-01-01 to 2026-10-31 is 304 days × 30 h = 9,120 h, less 10 months × 5 free hours = 9,070 h at 3.2 = 29,024.00.
        // rt-10000 alone: 15,000.00. 9 × rt-1000 = 16,200.00 plus 70 h (70 × 3.2 = 224.00, or 3 × rt-30 = 270.00) = 16,424.00;
        // 10 × rt-1000 = 18,000.00. Saving 29,024 − 15,000 = 14,024.00.
        var months = new DateInterval(new LocalDate(2026, 1, 1), new LocalDate(2026, 10, 31));
        var advice = Advise(UsageProfile.Constant(30m, months), AsrService.RealTime);

        Bought(advice).Should().Equal(("rt-10000", 1L));
        advice.PayAsYouGo.Amount.Should().Be(29_024.00m);
        advice.WithPacks.Amount.Should().Be(15_000.00m);
        advice.Saving.Amount.Should().Be(14_024.00m);
        advice.CoveredSeconds.Should().Be(9_070m * 3600, "the pack holds more than is used");
    }

    [Fact]
    public void RecordingFileMonthlyWindows_SevenThousandHourPacksAndThreeSixtyHourPacks()
    {
        // 20 h a day for 2026: each month one window at tier 1 (1.75); 7,300 h less 12 × 10 free hours = 7,180 h.
        // Pay-as-you-go 7,180 × 1.75 = 12,565.00.
        // 7 × rf-1000 (8,400.00) + 3 × rf-60 (270.00) hold exactly 7,180 h: 8,670.00. Against it: rf-10000 10,000.00;
        // 8 × rf-1000 9,600.00; 7 × rf-1000 + 180 h × 1.75 = 8,715.00; 7 × rf-1000 + 2 × rf-60 + 60 h × 1.75 = 8,685.00.
        var year = new DateInterval(new LocalDate(2026, 1, 1), new LocalDate(2026, 12, 31));
        var advice = Advise(UsageProfile.Constant(20m, year), AsrService.RecordingFile);

        Bought(advice).Should().Equal(("rf-60", 3L), ("rf-1000", 7L));
        advice.PayAsYouGo.Amount.Should().Be(12_565.00m);
        advice.PackCost.Amount.Should().Be(8_670.00m);
        advice.RemainingPayAsYouGo.Amount.Should().Be(0.00m);
        advice.Saving.Amount.Should().Be(3_895.00m);

        // p = 1.75: rf-60 90 ÷ 1.75 = 51.43 h; rf-1000 685.71 h; rf-10000 5714.29 h; rf-100000 45,714.29 h; rf-300000 120,000 h.
        advice.BreakEvens.Select(b => Math.Round(b.BreakEvenHours!.Value, 2, MidpointRounding.AwayFromZero))
            .Should().Equal(51.43m, 685.71m, 5714.29m, 45_714.29m, 120_000m);
    }

    [Fact]
    public void DateOrder_DecidesWhichHoursAPackCovers()
    {
        // A 400 h pack for 1150.00, against 400 h (tier 2, 2.8) and 100 h (tier 1, 3.2) in two orders; 5 free hours on the first day.
        PackOffer[] offers = [Offer("rt-400", 400m, 1150m)];

        // 400 h first: pay-as-you-go 395 × 2.8 + 100 × 3.2 = 1106 + 320 = 1426.00. The pack covers day 1's 395 h and
        // 5 h of day 2, leaving 95 × 3.2 = 304.00: 1150 + 304 = 1454.00 > 1426.00, so no pack.
        var dearFirst = Advise(UsageProfile.Daily(new LocalDate(2026, 3, 1), [400m, 100m]), AsrService.RealTime, offers);
        dearFirst.BuysPacks.Should().BeFalse();
        dearFirst.PayAsYouGo.Amount.Should().Be(1426.00m);
        dearFirst.BreakEvens[0].CostWithOne.Amount.Should().Be(1454.00m);

        // 100 h first: pay-as-you-go 95 × 3.2 + 400 × 2.8 = 304 + 1120 = 1424.00. The pack covers day 1's 95 h and 305 h
        // of day 2, leaving 95 × 2.8 = 266.00: 1150 + 266 = 1416.00, saving 8.00.
        var cheapFirst = Advise(UsageProfile.Daily(new LocalDate(2026, 3, 1), [100m, 400m]), AsrService.RealTime, offers);
        Bought(cheapFirst).Should().Equal(("rt-400", 1L));
        cheapFirst.WithPacks.Amount.Should().Be(1416.00m);
        cheapFirst.Saving.Amount.Should().Be(8.00m);
    }

    [Fact]
    public void PackRunningOutMidDay_LeavesTheRestOfThatDayAtItsTier()
    {
        // 10 h on each of two days, tier 1 (3.2); 5 free hours on day 1: 15 h to cover, pay-as-you-go 48.00.
        // A 7.5 h pack for 20.00: one covers 5 h + 2.5 h, leaving 7.5 × 3.2 = 24.00: 44.00; two cover all: 40.00.
        var advice = Advise(UsageProfile.Daily(new LocalDate(2026, 3, 1), [10m, 10m]), AsrService.RealTime, [Offer("rt-7.5", 7.5m, 20m)]);

        Bought(advice).Should().Equal(("rt-7.5", 2L));
        advice.BreakEvens[0].CostWithOne.Amount.Should().Be(44.00m);
        advice.WithPacks.Amount.Should().Be(40.00m);
        advice.Saving.Amount.Should().Be(8.00m);
    }

    [Fact]
    public void UsageWithinTheFreeHours_HasNothingToCover()
    {
        // 4 h on one day: within March's 5 free hours, so 0.00 either way. The price per hour is tier 1's, 3.2:
        // rt-1000 breaks even at 562.5 h.
        var advice = Advise(UsageProfile.Daily(new LocalDate(2026, 3, 1), [4m]), AsrService.RealTime);

        advice.BuysPacks.Should().BeFalse();
        advice.PayAsYouGo.Amount.Should().Be(0.00m);
        advice.CoverableSeconds.Should().Be(0m);
        advice.PricePerHour.Amount.Should().Be(3.2m);
        advice.BreakEvens[1].BreakEvenHours.Should().Be(562.5m);
    }

    [Fact]
    public void NoOfferForTheService_AdvisesPayAsYouGo()
    {
        // 100 h of real-time, tier 1, 5 free: 95 × 3.2 = 304.00; the international book has no allowance but USD, so China's.
        var rfOnly = Offers.Where(o => o.Service == AsrService.RecordingFile);
        var advice = Advise(UsageProfile.Daily(new LocalDate(2026, 3, 1), [100m]), AsrService.RealTime, rfOnly);

        advice.Offers.Should().BeEmpty();
        advice.BreakEvens.Should().BeEmpty();
        advice.LastValidDate.Should().BeNull();
        advice.PayAsYouGo.Amount.Should().Be(304.00m);
        advice.BuysPacks.Should().BeFalse();
    }

    [Fact]
    public void PayAsYouGo_IsTheForecastTotal()
    {
        var profile = UsageProfile.MonthSoFar(new LocalDate(2026, 4, 1), [250m, 400m, 1200m]);

        Advise(profile, AsrService.RealTime).PayAsYouGo.Should().Be(Forecaster.Price(profile, AsrService.RealTime, China).Total);
    }

    [Fact]
    public void OfferInAnotherCurrency_IsRefused()
    {
        PackOffer[] offers = [new(AsrService.RealTime, 1000m, new Money(250m, "USD"), name: "usd-1000")];

        var act = () => Advise(UsageProfile.Daily(new LocalDate(2026, 3, 1), [100m]), AsrService.RealTime, offers);

        act.Should().Throw<ArgumentException>().Which.Message.Should().StartWith(
            "Offer 'usd-1000' is priced in USD, but the price book 'Tencent Cloud China site, undated copy' prices real-time in CNY; give offers in the book's currency.");
    }

    [Fact]
    public void OffersOfDifferentValidities_AreRefused()
    {
        PackOffer[] offers = [Offer("a", 30m, 90m), new(AsrService.RealTime, 30m, new Money(60m, "CNY"), Period.FromMonths(6), "b")];

        var act = () => Advise(UsageProfile.Daily(new LocalDate(2026, 3, 1), [100m]), AsrService.RealTime, offers);

        act.Should().Throw<ArgumentException>().WithMessage("The offers for real-time should share one validity, but 'a' lasts 1 year and 'b' 6 months*");
    }

    [Fact]
    public void ProfilePastTheValidity_IsRefused()
    {
        // Bought on 2026-01-01, one-year packs last to 2026-12-31; the profile runs to 2027-01-01.
        var profile = UsageProfile.Constant(1m, new DateInterval(new LocalDate(2026, 1, 1), new LocalDate(2027, 1, 1)));

        var act = () => Advise(profile, AsrService.RealTime);

        act.Should().Throw<ArgumentException>().Where(e => e.ParamName == "profile")
            .Which.Message.Should().StartWith("The profile runs from 2026-01-01 to 2027-01-01, past 2026-12-31, the last day packs bought on its first day can be used (1 year)");
    }

    [Fact]
    public void ServiceTheBookDoesNotPrice_IsRefused()
    {
        var act = () => Advise(UsageProfile.Daily(new LocalDate(2026, 3, 1), [1m]), AsrService.RealTimeLargeModel);

        act.Should().Throw<PriceNotFoundException>();
    }

    [Fact]
    public void NullOffer_IsRefused()
    {
        var act = () => Advise(UsageProfile.Daily(new LocalDate(2026, 3, 1), [1m]), AsrService.RealTime, [Offer("a", 30m, 90m), null!]);

        act.Should().Throw<ArgumentException>().WithMessage("The offer at position 1 is null.*");
    }

    [Fact]
    public void SearchOfTooManySteps_IsRefused()
    {
        // 9 s (0.0025 h) and 1 h share a step of 9 s; 10,890 h to cover is 4,356,000 steps, above 4,000,000.
        var year = new DateInterval(new LocalDate(2026, 1, 1), new LocalDate(2026, 12, 31));

        var act = () => Advise(UsageProfile.Constant(30m, year), AsrService.RealTime, [Offer("tiny", 0.0025m, 0.01m), Offer("hour", 1m, 3m)]);

        act.Should().Throw<ArgumentException>().WithMessage("The offers' hours share a greatest common size of 9 s, and covering 10890 h in such steps takes 4356000, more than 4000000*");
    }

    [Fact]
    public void Search_FindsTheCheapestCombination_AsEnumeratingEveryCountDoes()
    {
        // The search against brute force over every count of three offers up to what covers everything on its own
        // (more of one offer than that is never needed), on random two-to-four-day profiles. Both price a
        // combination with the same coverage model, so this checks the search, not the prices.
        var random = new Random(15);
        for (var round = 0; round < 40; round++)
        {
            var days = Enumerable.Range(0, random.Next(2, 5)).Select(_ => (decimal)random.Next(0, 500)).ToArray();
            PackOffer[] offers =
            [
                Offer("a", random.Next(3, 40) * 10m, random.Next(10, 400)),
                Offer("b", random.Next(1, 40) * 30m, random.Next(100, 2000)),
                Offer("c", random.Next(1, 10) * 100m, random.Next(100, 3000)),
            ];
            var profile = UsageProfile.Daily(new LocalDate(2026, 3, 1), days);
            var coverage = new PackCostCurve(PriceCalculator.Compute(profile.ToDailyTotals(AsrService.RealTime), China));
            var most = offers.Select(o => (long)decimal.Ceiling(coverage.CoverableSeconds / o.Seconds)).ToArray();
            var brute = decimal.MaxValue;
            for (var a = 0L; a <= most[0]; a++)
            {
                for (var b = 0L; b <= most[1]; b++)
                {
                    for (var c = 0L; c <= most[2]; c++)
                    {
                        var seconds = (a * offers[0].Seconds) + (b * offers[1].Seconds) + (c * offers[2].Seconds);
                        var packs = (a * offers[0].Price.Amount) + (b * offers[1].Price.Amount) + (c * offers[2].Price.Amount);
                        brute = Math.Min(brute, packs + coverage.Cost(Math.Min(seconds, coverage.CoverableSeconds)));
                    }
                }
            }

            Advise(profile, AsrService.RealTime, offers).WithPacks.Amount.Should().Be(brute, string.Join(", ", days));
        }
    }
}
