namespace AsrBilling.Tests.Packs;

/// <summary>
/// Prepaid packs in bills (billing rule 11). Prices: international real-time 1.40 USD/h below 300 h a
/// day, recording file 1.00 USD/h; China real-time 3.20 / 2.80 CNY/h from 0 / 300 h a day with 5 free
/// hours a month, China recording file 1.75 CNY/h a month with 10 free hours. Expected values are
/// worked out by hand in the comments.
/// </summary>
public class PackDeductionTests
{
    private const long Hour = 3600;

    private static readonly BillingOptions China = new(priceBook: PriceBook.TencentCloudChina);

    private static readonly AsrService RealTime = AsrService.RealTime;
    private static readonly AsrService RecordingFile = AsrService.RecordingFile;

    [Fact]
    public void PackThatRunsOutMidDay_CoversPartOfThatDay_AndTheRestIsPaid()
    {
        // rt-30 holds 30 h. 1 March: 20 h, all covered, fee 0.00, 10 h left. 2 March: 20 h, 10 h
        // covered, the other 10 h paid: the day's 20 h are tier 1, 10 × 1.40 = 14.00 USD.
        var pack = Pack("rt-30", RealTime, 30m, new(2026, 1, 1), new(2026, 12, 31), new Money(42m, "USD"));
        var bill = Bill(BillingOptions.Default, [pack], Total(RealTime, new(2026, 3, 1), 20 * Hour), Total(RealTime, new(2026, 3, 2), 20 * Hour));

        bill.Charges.Select(c => (c.Date.Day, c.PackSeconds, c.PaidSeconds, c.Fee.Amount)).Should().Equal(
            (1, 20 * Hour, 0m, 0.00m),
            (2, 10 * Hour, 10m * Hour, 14.00m));
        bill.Total.Should().Be(new Money(14.00m, "USD"));
        var report = bill.Packs.Single();
        (report.UsedSeconds, report.LeftSeconds, report.ExpiredSeconds, report.ExpiredValue).Should().Be((30 * Hour, 0L, 0L, new Money(0.00m, "USD")));
        report.SecondsByMonth.Select(m => (m.Key, m.Value)).Should().Equal((new YearMonth(2026, 3), 30 * Hour));
        bill.Charges[1].ToString().Should().Be(
            "2026-03-02 (default account): 14.00 USD = 20 h × 1.40 USD/h (real-time, tier 1 of 5: 0 h to 300 h; prices of 2025-08-19; 10 h from prepaid packs); packs: rt-30 10 h");
    }

    [Fact]
    public void TwoPacksThatExpireOnDifferentDates_TheEarlierGoesFirst_WhateverTheFileOrder()
    {
        // long-10 (to 30 June) is listed before short-10 (to 31 March). 15 March: 15 h, short-10 first
        // (10 h), then long-10 (5 h), fee 0.00. 10 April: 8 h, short-10 has expired; long-10 covers its
        // last 5 h, and 3 h are paid: 3 × 1.40 = 4.20 USD.
        var longPack = Pack("long-10", RealTime, 10m, new(2026, 1, 1), new(2026, 6, 30));
        var shortPack = Pack("short-10", RealTime, 10m, new(2026, 1, 1), new(2026, 3, 31));
        var bill = Bill(BillingOptions.Default, [longPack, shortPack], Total(RealTime, new(2026, 3, 15), 15 * Hour), Total(RealTime, new(2026, 4, 10), 8 * Hour));

        bill.Charges[0].PackCoverage.Select(c => (c.Pack.Id, c.Seconds)).Should().Equal(("short-10", 10 * Hour), ("long-10", 5 * Hour));
        bill.Charges[1].PackCoverage.Select(c => (c.Pack.Id, c.Seconds)).Should().Equal(("long-10", 5 * Hour));
        bill.Charges.Select(c => c.Fee.Amount).Should().Equal(0.00m, 4.20m);
        bill.Packs.Select(p => (p.Pack.Id, p.UsedSeconds, p.LeftSeconds, p.ExpiredSeconds)).Should().Equal(
            ("long-10", 10 * Hour, 0L, 0L),
            ("short-10", 10 * Hour, 0L, 0L));
        bill.Packs[0].SecondsByMonth.Values.Should().Equal(5 * Hour, 5 * Hour); // March, April
    }

    [Fact]
    public void PacksThatExpireOnTheSameDate_GoInListOrder()
    {
        // Both end on 31 December: first-5 (listed first) covers 5 h of the 7 h, second-5 the other 2 h.
        var bill = Bill(
            BillingOptions.Default,
            [Pack("first-5", RealTime, 5m, new(2026, 1, 1), new(2026, 12, 31)), Pack("second-5", RealTime, 5m, new(2026, 2, 1), new(2026, 12, 31))],
            Total(RealTime, new(2026, 3, 1), 7 * Hour));

        bill.Charges.Single().PackCoverage.Select(c => (c.Pack.Id, c.Seconds)).Should().Equal(("first-5", 5 * Hour), ("second-5", 2 * Hour));
        bill.Packs.Select(p => p.LeftSeconds).Should().Equal(0L, 3 * Hour);
    }

    [Fact]
    public void PackThatExpiredBeforeTheUsage_CoversNothing_AndItsUnusedHoursAreWorthTheirShareOfThePrice()
    {
        // old-7 holds 7 h for 10.00 USD, valid to 28 February. 27 February: 4 h, covered. 5 March: 2 h,
        // after it expired: 2 × 1.40 = 2.80 USD. As of 31 March, 3 h expired unused, worth
        // 10.00 × 3 ÷ 7 = 4.2857… = 4.29 USD.
        var pack = Pack("old-7", RealTime, 7m, new(2026, 1, 1), new(2026, 2, 28), new Money(10m, "USD"));
        var bill = Bill(BillingOptions.Default, [pack], Total(RealTime, new(2026, 2, 27), 4 * Hour), Total(RealTime, new(2026, 3, 5), 2 * Hour));

        bill.Charges.Select(c => (c.PackSeconds, c.Fee.Amount)).Should().Equal((4 * Hour, 0.00m), (0L, 2.80m));
        var report = bill.Packs.Single();
        (report.AsOf, report.UsedHours, report.LeftHours, report.ExpiredHours, report.ExpiredValue)
            .Should().Be((new LocalDate(2026, 3, 31), 4m, 0m, 3m, new Money(4.29m, "USD")));
        report.ToString().Should().Be("old-7: used 4 h (2026-02: 4 h); expired unused 3 h, worth 4.29 USD");
    }

    [Fact]
    public void ExpiredValue_RoundsHalfAwayFromZero()
    {
        // half-2 holds 2 h for 0.05 USD and expired with 1 h unused: 0.05 × 1 ÷ 2 = 0.025, which rounds
        // half away from zero to 0.03 (banker's rounding would give 0.02).
        var pack = Pack("half-2", RealTime, 2m, new(2026, 1, 1), new(2026, 3, 1), new Money(0.05m, "USD"));
        var bill = Bill(BillingOptions.Default, [pack], Total(RealTime, new(2026, 3, 1), 1 * Hour));

        bill.Packs.Single().ExpiredValue.Should().Be(new Money(0.03m, "USD"));
    }

    [Fact]
    public void PackThatStartsAfterTheBilledPeriod_IsLeftWhole_NotExpired()
    {
        // next-10 is valid from April; March's 1 h is paid (1.40 USD), and all 10 h are left.
        var pack = Pack("next-10", RealTime, 10m, new(2026, 4, 1), new(2027, 3, 31));
        var bill = Bill(BillingOptions.Default, [pack], Total(RealTime, new(2026, 3, 5), 1 * Hour));

        bill.Total.Amount.Should().Be(1.40m);
        (bill.Packs[0].LeftSeconds, bill.Packs[0].ExpiredSeconds).Should().Be((10 * Hour, 0L));
    }

    [Fact]
    public void FreeHoursAndAPackOnTheSameDay_FreeHoursFirst_ThenThePack_AndAllHoursChooseTheTier()
    {
        // China book, 10 March, 315 h of real-time: March's 5 free hours first, then rt-30's 30 h,
        // then 280 h paid. All 315 h count toward the tier (tier 2, 2.80): 280 × 2.80 = 784.00 CNY.
        var pack = Pack("rt-30", RealTime, 30m, new(2026, 1, 1), new(2026, 12, 31), new Money(90m, "CNY"));
        var charge = Bill(China, [pack], Total(RealTime, new(2026, 3, 10), 315 * Hour)).Charges.Single();

        (charge.AllowanceSeconds, charge.PackSeconds, charge.PaidSeconds, charge.Tier.Number, charge.Fee)
            .Should().Be((5m * Hour, 30 * Hour, 280m * Hour, 2, new Money(784.00m, "CNY")));
        charge.Charge.ToString().Should().Be(
            "784.00 CNY = 315 h × 2.80 CNY/h (real-time, tier 2 of 5: 300 h to 1000 h; prices of 2020-03-25; 5 h free allowance; 30 h from prepaid packs)");
    }

    [Fact]
    public void PackHoursCountTowardTierFalse_ChoosesTheTierWithoutThem()
    {
        // The same day with packHoursCountTowardTier false in the book's JSON: the tier is chosen by
        // 315 − 30 = 285 h (the free hours still count): tier 1, 280 × 3.20 = 896.00 CNY.
        var json = PriceBookJson.Save(PriceBook.TencentCloudChina).Replace("\"packHoursCountTowardTier\": true", "\"packHoursCountTowardTier\": false", StringComparison.Ordinal);
        var book = PriceBookJson.Load(json);
        var pack = Pack("rt-30", RealTime, 30m, new(2026, 1, 1), new(2026, 12, 31));

        var charge = Bill(new BillingOptions(priceBook: book), [pack], Total(RealTime, new(2026, 3, 10), 315 * Hour)).Charges.Single();

        book.GetLatestTable(RealTime).Rules.PackHoursCountTowardTier.Should().BeFalse();
        (charge.Tier.Number, charge.Fee.Amount).Should().Be((1, 896.00m));
    }

    [Fact]
    public void MonthlyWindow_IsDeductedDayByDay_SoAPackThatExpiresMidMonthCoversOnlyItsDays()
    {
        // China recording file, one charge for April. rf-60 (60 h, 90 CNY) ends on 15 April.
        // 2 April, 40 h: 10 free hours, then 30 h from rf-60 (30 h left). 15 April, 10 h: rf-60 (20 h
        // left). 20 April, 30 h: rf-60 has expired, so all 30 h are paid. The month's 80 h are tier 1:
        // 30 × 1.75 = 52.50 CNY. As of 30 April rf-60 has expired with 20 h unused: 90 × 20 ÷ 60 = 30.00 CNY.
        var pack = Pack("rf-60", RecordingFile, 60m, new(2026, 1, 1), new(2026, 4, 15), new Money(90m, "CNY"));
        var bill = Bill(
            China,
            [pack],
            Total(RecordingFile, new(2026, 4, 2), 40 * Hour),
            Total(RecordingFile, new(2026, 4, 15), 10 * Hour),
            Total(RecordingFile, new(2026, 4, 20), 30 * Hour));

        var charge = bill.Charges.Single();
        (charge.Period, charge.AllowanceSeconds, charge.PackSeconds, charge.PaidSeconds, charge.Fee)
            .Should().Be(("2026-04", 10m * Hour, 40 * Hour, 30m * Hour, new Money(52.50m, "CNY")));
        var report = bill.Packs.Single();
        (report.UsedHours, report.LeftHours, report.ExpiredHours, report.ExpiredValue).Should().Be((40m, 0m, 20m, new Money(30.00m, "CNY")));
    }

    [Fact]
    public void PackCoversOnlyItsAccountAndService()
    {
        // acme-rt: 100 h of real-time for acme. It covers acme's 1 h of real-time (0.00) and nothing of
        // acme's recording file (3 × 1.00 = 3.00), beta's real-time (2 × 1.40 = 2.80) or the default
        // account's real-time (4 × 1.40 = 5.60). Total 11.40 USD; 99 h left.
        var pack = Pack("acme-rt", RealTime, 100m, new(2026, 1, 1), new(2026, 12, 31), account: "acme");
        var day = new LocalDate(2026, 3, 1);
        var bill = Bill(
            BillingOptions.Default,
            [pack],
            Total(RealTime, day, 1 * Hour, "acme"),
            Total(RecordingFile, day, 3 * Hour, "acme"),
            Total(RealTime, day, 2 * Hour, "beta"),
            Total(RealTime, day, 4 * Hour));

        bill.Charges.Select(c => (c.Account, c.Service.Id, c.PackSeconds, c.Fee.Amount)).Should().Equal(
            (string.Empty, "real-time", 0L, 5.60m),
            ("acme", "real-time", 1 * Hour, 0.00m),
            ("acme", "recording-file", 0L, 3.00m),
            ("beta", "real-time", 0L, 2.80m));
        bill.Total.Amount.Should().Be(11.40m);
        bill.Packs.Single().LeftHours.Should().Be(99m);
    }

    [Fact]
    public void WithoutPacks_ChargesShowNoCoverage_AndTheBillNoPackReports()
    {
        var bill = PriceCalculator.Compute([Total(RealTime, new(2026, 3, 1), Hour)], BillingOptions.Default);

        BillingOptions.Default.Packs.Should().BeSameAs(ResourcePackList.Empty);
        (bill.Charges[0].PackSeconds, bill.Charges[0].PackCoverage.IsEmpty, bill.Packs.IsEmpty).Should().Be((0L, true, true));
    }

    [Fact]
    public void PackPricedInAnotherCurrencyThanTheBook_IsRefused()
    {
        var pack = Pack("rt-30", RealTime, 30m, new(2026, 1, 1), new(2026, 12, 31), new Money(90m, "CNY"));

        FluentActions.Invoking(() => BillingOptions.Default.WithPacks(new ResourcePackList([pack])))
            .Should().Throw<ArgumentException>()
            .WithMessage("The pack 'rt-30' (packs[0]) is priced in CNY, but the price book 'Tencent Cloud international, 2025-08-19' prices real-time in USD; give the pack's price in USD.*");
        FluentActions.Invoking(() => China.WithPacks(new ResourcePackList([pack])).WithPriceBook(PriceBook.TencentCloudInternational))
            .Should().Throw<ArgumentException>();
    }

    [Fact]
    public void EmptyBill_ReportsEveryPackWhole_AndNoneExpired()
    {
        var pack = Pack("rt-30", RealTime, 30m, new(2020, 1, 1), new(2020, 12, 31));
        var report = Bill(BillingOptions.Default, [pack]).Packs.Single();

        (report.AsOf, report.UsedSeconds, report.LeftSeconds, report.ExpiredSeconds, report.ExpiredValue).Should().Be(((LocalDate?)null, 0L, 30 * Hour, 0L, (Money?)null));
    }

    [Fact]
    public void ReadmeSnippet_ReportsTheExpiredPack()
    {
        // The README's example: acme 20 h on 30 March (5 free, 15 from rt-30) and 10 h on 1 April;
        // rt-30 (30 h, 90 CNY) ends on 31 March with 15 h unused: 90 × 15 ÷ 30 = 45.00 CNY.
        const string Json = """
            {"format": "asr-billing-packs", "version": 1, "packs": [
              {"id": "rt-30", "service": "real-time", "hours": 30, "validFrom": "2026-01-01", "validTo": "2026-03-31", "price": 90, "currency": "CNY", "account": "acme"},
              {"id": "rt-1000", "service": "real-time", "hours": 1000, "validFrom": "2026-04-01", "validTo": "2027-03-31", "price": 1800, "currency": "CNY", "account": "acme"}]}
            """;
        UsageRecord[] records =
        [
            new(RealTime, Instant.FromUtc(2026, 3, 30, 1, 0), Duration.FromHours(20), "r1", "acme"),
            new(RealTime, Instant.FromUtc(2026, 4, 1, 1, 0), Duration.FromHours(10), "r2", "acme"),
        ];

        var china = new BillingOptions(priceBook: PriceBook.TencentCloudChina);
        var packs = ResourcePackJson.Load(Json, PriceBook.TencentCloudChina);
        Bill bill = PriceCalculator.Compute(records, china.WithPacks(packs));

        bill.Packs[0].ToString().Should().Be("rt-30: used 15 h (2026-03: 15 h); expired unused 15 h, worth 45.00 CNY");
        bill.Packs[1].ToString().Should().Be("rt-1000: used 5 h (2026-04: 5 h); 995 h left");
    }

    private static ResourcePack Pack(string id, AsrService service, decimal hours, LocalDate from, LocalDate to, Money? price = null, string? account = null) =>
        new(id, service, hours, from, to, price, account);

    private static DailyTotal Total(AsrService service, LocalDate date, long seconds, string? account = null) => new(account, service, date, seconds);

    private static Bill Bill(BillingOptions options, ResourcePack[] packs, params DailyTotal[] totals) =>
        PriceCalculator.Compute(totals, options.WithPacks(new ResourcePackList(packs)));
}
