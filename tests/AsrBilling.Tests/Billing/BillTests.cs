using static AsrBilling.Tests.Billing.BillingTestData;

namespace AsrBilling.Tests.Billing;

public class BillTests
{
    private static readonly DateTimeZone NewYork = DateTimeZoneProviders.Tzdb["America/New_York"];

    [Fact]
    public void BillingDay_ChinaMidnightSplitsUtcAfternoon()
    {
        // 15:59:59.999Z is 23:59:59.999 in Shanghai (UTC+8); 16:00:00Z is midnight of the next day.
        var bill = PriceCalculator.Compute([Record("2025-09-01T15:59:59.999Z", 60), Record("2025-09-01T16:00:00Z", 60)]);

        bill.Charges.Select(c => c.Date).Should().Equal(new LocalDate(2025, 9, 1), new LocalDate(2025, 9, 2));
        bill.Charges.Should().OnlyContain(c => c.BillableSeconds == 60);
    }

    [Fact]
    public void BillableSeconds_FractionRoundsUpAndZeroStaysZero()
    {
        var bill = PriceCalculator.Compute([Record("2025-09-01T01:00:00Z", 0.2, account: "a"), Record("2025-09-01T01:00:00Z", 0, account: "b")]);

        bill.Charges.Select(c => (c.Account, c.BillableSeconds)).Should().Equal(("a", 1L), ("b", 0L));
        // 1 s at 1.4 USD/h = 0.000388… USD, which rounds to 0.00; zero usage costs zero (rule 9).
        bill.Charges.Select(c => c.Fee.Amount).Should().Equal(0.00m, 0.00m);
        bill.Charges[0].Charge.ExactFee.Amount.Should().BeApproximately(1.4m / 3600m, 0.000000000001m);
    }

    [Fact]
    public void ManyRecordsReachingExactly300HoursInOneDay_LandInTier2()
    {
        // 1080 records of 1000 s = 1,080,000 s = 300 h, all on 2025-09-02 in Shanghai.
        var start = At("2025-09-01T16:00:00Z");
        var records = Enumerable.Range(0, 1080).Select(i => Record(start + Duration.FromSeconds(i * 10), 1000)).ToList();

        var bill = PriceCalculator.Compute(records);

        var charge = bill.Charges.Should().ContainSingle().Subject;
        charge.BillableSeconds.Should().Be(1_080_000);
        charge.Charge.Tier.Number.Should().Be(2);
        charge.Fee.Amount.Should().Be(360.00m); // 300 h × 1.2
    }

    [Fact]
    public void SameRecordsSpreadOverTwoDays_LandInTier1OnBoth()
    {
        var day1 = At("2025-09-01T16:00:00Z");
        var day2 = At("2025-09-02T16:00:00Z");
        var records = Enumerable.Range(0, 1080)
            .Select(i => Record((i % 2 == 0 ? day1 : day2) + Duration.FromSeconds(i * 10), 1000))
            .ToList();

        var bill = PriceCalculator.Compute(records);

        bill.Charges.Should().HaveCount(2);
        bill.Charges.Should().OnlyContain(c => c.BillableSeconds == 540_000 && c.Charge.Tier.Number == 1);
        bill.Charges.Select(c => c.Fee.Amount).Should().Equal(210.00m, 210.00m); // 150 h × 1.4 each
        bill.Total.Amount.Should().Be(420.00m);
    }

    [Fact]
    public void StandardAndLargeModel_NeverShareTiers()
    {
        // 200 h of each on one day: together 400 h, but each service counts alone and stays in tier 1.
        var records = new[]
        {
            Record(At("2025-09-02T00:00:00Z"), 200 * 3600, AsrService.RealTime),
            Record(At("2025-09-02T00:00:00Z"), 200 * 3600, AsrService.RealTimeLargeModel),
        };

        var bill = PriceCalculator.Compute(records);

        bill.Charges.Select(c => (c.Service.Id, c.Charge.Tier.Number, c.Fee.Amount))
            .Should().Equal(("real-time", 1, 280.00m), ("real-time-large-model", 1, 400.00m));
        bill.Total.Amount.Should().Be(680.00m);
    }

    [Fact]
    public void DayBeforeEarliestPriceVersion_IsAClearError()
    {
        // 15:00Z on 2025-08-18 is 23:00 in Shanghai, still 2025-08-18: one day before the 2025-08-19 prices.
        var act = () => PriceCalculator.Compute([Record("2025-08-18T15:00:00Z", 60)]);

        var error = act.Should().Throw<PriceNotFoundException>().Which;
        error.Date.Should().Be(new LocalDate(2025, 8, 18));
        error.EarliestEffectiveFrom.Should().Be(new LocalDate(2025, 8, 19));
        error.Message.Should().Contain("2025-08-18").And.Contain("2025-08-19");
    }

    [Fact]
    public void FirstDayOfEarliestPriceVersion_IsPriced()
    {
        // 16:00Z on 2025-08-18 is midnight of 2025-08-19 in Shanghai.
        var bill = PriceCalculator.Compute([Record("2025-08-18T16:00:00Z", 3600)]);

        bill.Charges.Single().Date.Should().Be(new LocalDate(2025, 8, 19));
        bill.Total.Amount.Should().Be(1.40m);
    }

    [Fact]
    public void NewYork_SpringForwardDayIs23HoursLong()
    {
        // 2026-03-08 in New York runs from 05:00Z (EST, UTC-5) to 04:00Z next day (EDT, UTC-4): 23 hours.
        var start = At("2026-03-08T05:00:00Z");
        var records = Enumerable.Range(0, 24).Select(h => Record(start + Duration.FromHours(h), 3600)).ToList();
        records.Add(Record("2026-03-08T04:59:59Z", 3600)); // 23:59:59 EST on 2026-03-07

        var bill = PriceCalculator.Compute(records, new BillingOptions(zone: NewYork));

        bill.Charges.Select(c => (c.Date, c.BillableSeconds)).Should().Equal(
            (new LocalDate(2026, 3, 7), 3600L),
            (new LocalDate(2026, 3, 8), 23 * 3600L),
            (new LocalDate(2026, 3, 9), 3600L));
        bill.Charges[1].Fee.Amount.Should().Be(32.20m); // 23 h × 1.4
    }

    [Fact]
    public void NewYork_FallBackDayIs25HoursLong()
    {
        // 2025-11-02 in New York runs from 04:00Z (EDT) to 05:00Z next day (EST): 25 hours.
        var start = At("2025-11-02T04:00:00Z");
        var records = Enumerable.Range(0, 26).Select(h => Record(start + Duration.FromHours(h), 3600)).ToList();

        var newYork = PriceCalculator.Compute(records, new BillingOptions(zone: NewYork));
        var shanghai = PriceCalculator.Compute(records);

        newYork.Charges.Select(c => (c.Date, c.BillableSeconds)).Should().Equal(
            (new LocalDate(2025, 11, 2), 25 * 3600L),
            (new LocalDate(2025, 11, 3), 3600L));
        newYork.Charges[0].Fee.Amount.Should().Be(35.00m); // 25 h × 1.4

        // In Shanghai (UTC+8) 04:00Z is noon: hours 04:00Z to 15:00Z (12) fall on 11-02, the other 14 on 11-03.
        shanghai.Charges.Select(c => (c.Date, c.BillableSeconds)).Should().Equal(
            (new LocalDate(2025, 11, 2), 12 * 3600L),
            (new LocalDate(2025, 11, 3), 14 * 3600L));
    }

    [Fact]
    public void DuplicateId_IsRejectedByDefault_NamingBothOccurrences()
    {
        var records = new[]
        {
            Record("2025-09-01T01:00:00Z", 60, id: "a"),
            Record("2025-09-01T02:00:00Z", 60, id: "b"),
            Record("2025-09-01T03:00:00Z", 60, id: "a"),
        };

        var act = () => PriceCalculator.Compute(records);

        var error = act.Should().Throw<DuplicateUsageRecordException>().Which;
        error.Id.Should().Be("a");
        (error.FirstPosition, error.SecondPosition).Should().Be((1L, 3L));
        error.Message.Should().Contain("'a'").And.Contain("record 3").And.Contain("record 1");
    }

    [Fact]
    public void DuplicateId_Ignored_KeepsFirstAndCounts()
    {
        var records = new[]
        {
            Record("2025-09-01T01:00:00Z", 3600, id: "a"),
            Record("2025-09-01T02:00:00Z", 7200, id: "a"),
            Record("2025-09-01T03:00:00Z", 3600),
            Record("2025-09-01T03:00:00Z", 3600),
        };

        var bill = PriceCalculator.Compute(records, new BillingOptions(duplicates: DuplicatePolicy.Ignore));

        // Records without an id are never duplicates: 1 h + 1 h + 1 h = 3 h at 1.4.
        bill.RecordsRead.Should().Be(4);
        bill.DuplicatesIgnored.Should().Be(1);
        bill.Charges.Single().BillableSeconds.Should().Be(3 * 3600);
        bill.Total.Amount.Should().Be(4.20m);
    }

    [Fact]
    public void Subtotals_PerAccountServiceAndMonth_ReconcileWithCharges()
    {
        var records = new[]
        {
            Record(At("2025-09-30T01:00:00Z"), 3600, AsrService.RealTime, account: "acme"),             // 1.40
            Record(At("2025-10-01T01:00:00Z"), 7200, AsrService.RecordingFile, account: "acme"),        // 2.00
            Record(At("2025-10-01T01:00:00Z"), 1800, AsrService.RealTime, account: "globex"),           // 0.70
            Record(At("2025-10-02T01:00:00Z"), 36, AsrService.RecordingFileLargeModel, account: null),  // 0.018 → 0.02
        };

        var bill = PriceCalculator.Compute(records);

        bill.Charges.Select(c => c.Account).Should().Equal("", "acme", "acme", "globex");
        bill.ByAccount.Select(s => (s.Key, s.Fee.Amount)).Should().Equal(("", 0.02m), ("acme", 3.40m), ("globex", 0.70m));
        bill.ByService.Select(s => (s.Key, s.Fee.Amount)).Should().Equal(
            ("real-time", 2.10m), ("recording-file", 2.00m), ("recording-file-large-model", 0.02m));
        bill.ByMonth.Select(s => (s.Key, s.Fee.Amount, s.Charges)).Should().Equal(("2025-09", 1.40m, 1), ("2025-10", 2.72m, 3));
        bill.Totals.Should().Equal(new Money(4.12m, "USD"));
        bill.Total.Should().Be(new Money(4.12m, "USD"));
    }

    [Fact]
    public void Tags_AreCountedAlongsideTheDailyTotal()
    {
        var records = new[]
        {
            Record("2025-09-01T01:00:00Z", 10.5, tag: "team-a"),
            Record("2025-09-01T02:00:00Z", 20, tag: "team-b"),
            Record("2025-09-01T03:00:00Z", 30, tag: "team-a"),
            Record("2025-09-01T04:00:00Z", 5),
        };

        var charge = PriceCalculator.Compute(records).Charges.Single();

        charge.BillableSeconds.Should().Be(11 + 20 + 30 + 5);
        charge.TagSeconds.Should().Equal(new Dictionary<string, long> { ["team-a"] = 41, ["team-b"] = 20 });
        charge.UntaggedSeconds.Should().Be(5);
    }

    [Fact]
    public void EmptyUsage_GivesAnEmptyBillWithZeroTotal()
    {
        var bill = PriceCalculator.Compute(Array.Empty<UsageRecord>());

        bill.Charges.Should().BeEmpty();
        bill.Totals.Should().BeEmpty();
        bill.Total.Should().Be(Money.Zero("USD"));
    }

    [Fact]
    public void DefaultRecord_IsRejected()
    {
        var act = () => PriceCalculator.Compute([default(UsageRecord)]);

        act.Should().Throw<ArgumentException>().WithMessage("*has no service*");
    }

    [Fact]
    public void ToString_ExplainsEveryChargeAndTheTotal()
    {
        var text = PriceCalculator.Compute([Record(At("2025-09-02T00:00:00Z"), 315 * 3600, account: "acme")]).ToString();

        text.Should().Contain("2025-09-02 acme: 378.00 USD = 315 h × 1.20 USD/h (real-time, tier 2 of 5: 300 h to 1000 h; prices of 2025-08-19)");
        text.Should().Contain("Total: 378.00 USD").And.Contain("Asia/Shanghai");
    }

    [Fact]
    public void MultipleCurrencies_TotalPerCurrency()
    {
        var eur = PriceTable.FromThresholds(AsrService.RecordingFile, new LocalDate(2025, 1, 1), "EUR", [(0m, 2m)]);
        var book = new PriceBook("mixed", [PriceBook.TencentCloudInternational.GetLatestTable(AsrService.RealTime), eur]);
        var records = new[]
        {
            Record(At("2025-09-02T00:00:00Z"), 3600, AsrService.RealTime),
            Record(At("2025-09-02T00:00:00Z"), 3600, AsrService.RecordingFile),
        };

        var bill = PriceCalculator.Compute(records, new BillingOptions(priceBook: book));

        bill.Totals.Should().Equal(new Money(2m, "EUR"), new Money(1.40m, "USD"));
        var act = () => bill.Total;
        act.Should().Throw<InvalidOperationException>().WithMessage("*EUR, USD*");

        // The text adds the totals in currency order, and keeps one subtotal per currency.
        var text = bill.ToString().ReplaceLineEndings("\n");
        text.Should().EndWith("\nTotal: 2.00 EUR + 1.40 USD\n");
        text.Should().Contain("\nBy account:\n  (default account): 2.00 EUR (1 charge, 3600 s)\n  (default account): 1.40 USD (1 charge, 3600 s)\n");
    }
}
