using System.Text;

namespace AsrBilling.Tests.PriceData;

/// <summary>
/// The built-in China-site book (<see cref="PriceBook.TencentCloudChina"/>) against the tests' own
/// copy of the page 计费概述 (document 216/35246, undated copy in tencentyun/qcloud-documents):
/// real-time 3.2 / 2.8 / 2.2 / 1.6 / 1.2 CNY/h from 0 / 300 / 1000 / 3000 / 5000 h a day, 5 free
/// hours a month; recording file 1.75 / 1.40 / 0.95 CNY/h from 0 / 120,000 / 300,000 h a month,
/// 10 free hours a month. Expected fees are worked out by hand in the comments.
/// </summary>
public class TencentCloudChinaTests
{
    private const string EmbeddedResource = "AsrBilling.PriceData.tencent-cloud-china.json";

    private static readonly DateTimeZone Shanghai = DateTimeZoneProviders.Tzdb["Asia/Shanghai"];

    private static readonly BillingOptions China = new(priceBook: PriceBook.TencentCloudChina);

    /// <summary>One tier window's hours, priced alone (no free hours): service, hours, tier, fee in CNY.</summary>
    public static TheoryData<string, decimal, int, decimal> OneWindow { get; } = new()
    {
        { "real-time", 0m, 1, 0.00m },
        { "real-time", 299m, 1, 956.80m },       // 299 × 3.2
        { "real-time", 299.99m, 1, 959.97m },    // 299.99 × 3.2 = 959.968
        { "real-time", 300m, 2, 840.00m },       // 300 × 2.8
        { "real-time", 315m, 2, 882.00m },       // 315 × 2.8: no free hours in a one-window price
        { "real-time", 999m, 2, 2797.20m },      // 999 × 2.8
        { "real-time", 1000m, 3, 2200.00m },     // 1000 × 2.2
        { "real-time", 2999m, 3, 6597.80m },     // 2999 × 2.2
        { "real-time", 3000m, 4, 4800.00m },     // 3000 × 1.6
        { "real-time", 4999m, 4, 7998.40m },     // 4999 × 1.6
        { "real-time", 5000m, 5, 6000.00m },     // 5000 × 1.2
        { "real-time", 100_000m, 5, 120_000.00m }, // the open last tier
        { "recording-file", 510m, 1, 892.50m },             // 510 × 1.75
        { "recording-file", 119_999m, 1, 209_998.25m },     // 119,999 × 1.75
        { "recording-file", 120_000m, 2, 168_000.00m },     // 120,000 × 1.40
        { "recording-file", 299_999m, 2, 419_998.60m },     // 299,999 × 1.40
        { "recording-file", 300_000m, 3, 285_000.00m },     // 300,000 × 0.95
    };

    [Fact]
    public void Book_HoldsTheChinaSitesPostpaidTables_WithoutTheLargeModels()
    {
        var book = PriceBook.TencentCloudChina;

        book.Should().BeSameAs(PriceBook.TencentCloudChina);
        book.Name.Should().Be("Tencent Cloud China site, undated copy");
        book.Services.Should().Equal(AsrService.RealTime, AsrService.RecordingFile);
        book.Tables.Should().OnlyContain(t => t.Currency == "CNY" && t.EffectiveFrom == new LocalDate(2020, 3, 25));
        book.Tables.Should().OnlyContain(t => t.Source!.Contains("The copy carries no date", StringComparison.Ordinal)
            && t.Source.Contains("tencentyun/qcloud-documents, product/大数据与AI/语音识别/购买指南/计费概述.md", StringComparison.Ordinal)
            && t.Source.Contains("216/35246", StringComparison.Ordinal));
        FluentActions.Invoking(() => book.GetLatestTable(AsrService.RealTimeLargeModel)).Should().Throw<PriceNotFoundException>();
        FluentActions.Invoking(() => book.GetLatestTable(AsrService.RecordingFileLargeModel)).Should().Throw<PriceNotFoundException>();
    }

    [Fact]
    public void Tables_MatchOwnCopyOfThePage()
    {
        var realTime = PriceBook.TencentCloudChina.GetLatestTable(AsrService.RealTime);
        var recording = PriceBook.TencentCloudChina.GetLatestTable(AsrService.RecordingFile);

        realTime.Tiers.Select(t => (t.FromHours, t.UnitPrice)).Should().Equal(
            (0m, new Money(3.2m, "CNY")), (300m, new Money(2.8m, "CNY")), (1000m, new Money(2.2m, "CNY")),
            (3000m, new Money(1.6m, "CNY")), (5000m, new Money(1.2m, "CNY")));
        recording.Tiers.Select(t => (t.FromHours, t.UnitPrice)).Should().Equal(
            (0m, new Money(1.75m, "CNY")), (120_000m, new Money(1.40m, "CNY")), (300_000m, new Money(0.95m, "CNY")));
        realTime.Rules.Should().Be(new PriceRules(TierMode.Volume, ThresholdRule.ReachMovesUp, TierWindow.Day, 1, 0, 5m, freeHoursCountTowardTier: true));
        recording.Rules.Should().Be(new PriceRules(TierMode.Volume, ThresholdRule.ReachMovesUp, TierWindow.Month, 1, 0, 10m, freeHoursCountTowardTier: true));
    }

    [Theory]
    [InlineData(2025, 1, 1)]
    [InlineData(2026, 12, 31)]
    public void Book_PricesUsageOf2025And2026(int year, int month, int day)
    {
        var date = new LocalDate(year, month, day);

        PriceBook.TencentCloudChina.TryGetTable(AsrService.RealTime, date, out _).Should().BeTrue();
        PriceBook.TencentCloudChina.TryGetTable(AsrService.RecordingFile, date, out _).Should().BeTrue();
    }

    [Fact]
    public void WorkedExample_RealTimeDayOf315Hours_With5FreeHoursLeft_Costs868Yuan()
    {
        // Nothing used earlier in March, so the 5 free hours are left: the tier is chosen by all
        // 315 h (tier 2, 2.8 CNY/h), and (315 − 5) × 2.8 = 868.00 CNY.
        var charge = SingleCharge(
            Record(AsrService.RealTime, 2026, 3, 10, 9, hours: 200m, "a"),
            Record(AsrService.RealTime, 2026, 3, 10, 14, hours: 115m, "b"));

        (charge.Fee, charge.Tier.Number, charge.AllowanceSeconds).Should().Be((new Money(868.00m, "CNY"), 2, 5m * 3600));
    }

    [Fact]
    public void WorkedExample_RecordingFileMonthOf510Hours_Costs875Yuan()
    {
        // One monthly charge: 510 h in April choose tier 1 (1.75 CNY/h), and the month's 10 free
        // hours come off: (510 − 10) × 1.75 = 875.00 CNY.
        var charge = SingleCharge(
            Record(AsrService.RecordingFile, 2026, 4, 2, 10, hours: 200m, "a"),
            Record(AsrService.RecordingFile, 2026, 4, 15, 10, hours: 300m, "b"),
            Record(AsrService.RecordingFile, 2026, 4, 30, 10, hours: 10m, "c"));

        (charge.Period, charge.DayCount).Should().Be(("2026-04", 3));
        (charge.Fee, charge.Tier.Number, charge.AllowanceSeconds).Should().Be((new Money(875.00m, "CNY"), 1, 10m * 3600));
    }

    [Fact]
    public void ReadmeSnippet_BillsTheRealTimeExample()
    {
        // The README's China-book snippet as written: 10 March 2026, 09:00 in Shanghai, is March's
        // first usage, so its 5 free hours come off: (315 − 5) × 2.8 = 868.00 CNY.
        var china = new BillingOptions(priceBook: PriceBook.TencentCloudChina);
        var start = Instant.FromUtc(2026, 3, 10, 1, 0);     // 09:00 in Shanghai
        Bill bill = PriceCalculator.Compute([new UsageRecord(AsrService.RealTime, start, Duration.FromHours(315))], china);

        bill.Total.ToString().Should().Be("868.00 CNY");
        bill.Charges[0].ToString().Should().Be("2026-03-10 (default account): 868.00 CNY = 315 h × 2.80 CNY/h (real-time, tier 2 of 5: 300 h to 1000 h; prices of 2020-03-25; 5 h free allowance)");
    }

    [Fact]
    public void FreeHours_UsedEarlierInTheMonth_LeaveLessForLaterDays_AndComeBackNextMonth()
    {
        // 2 h on 1 March are free (fee 0.00); 315 h on 2 March have 3 free hours left:
        // (315 − 3) × 2.8 = 873.60. On 1 April the month's 5 h are back: (315 − 5) × 2.8 = 868.00.
        var bill = PriceCalculator.Compute(
            [
                Record(AsrService.RealTime, 2026, 3, 1, 9, hours: 2m, "a"),
                Record(AsrService.RealTime, 2026, 3, 2, 9, hours: 315m, "b"),
                Record(AsrService.RealTime, 2026, 4, 1, 9, hours: 315m, "c"),
            ],
            China);

        bill.Charges.Select(c => (c.Date, c.Fee.Amount, c.AllowanceSeconds)).Should().Equal(
            (new LocalDate(2026, 3, 1), 0.00m, 2m * 3600),
            (new LocalDate(2026, 3, 2), 873.60m, 3m * 3600),
            (new LocalDate(2026, 4, 1), 868.00m, 5m * 3600));
        bill.Total.Should().Be(new Money(1741.60m, "CNY"));
    }

    [Theory]
    [InlineData(299, 0, 1, "940.80")]      // (299 − 5) × 3.2
    [InlineData(299, 3599, 1, "944.00")]   // 299:59:59 = 1,079,999 s: (1,079,999 − 18,000) × 3.2 ÷ 3600 = 943.9991…
    [InlineData(300, 0, 2, "826.00")]      // (300 − 5) × 2.8: the free hours count toward the tier
    [InlineData(300, 1, 2, "826.00")]      // (1,080,001 − 18,000) × 2.8 ÷ 3600 = 826.0007…
    public void RealTimeDay_AtTheFirstThreshold_WithTheMonthsFreeHours(int hours, int seconds, int tier, string fee)
    {
        var start = new LocalDateTime(2026, 5, 20, 0, 0).InZoneLeniently(Shanghai).ToInstant();

        var charge = SingleCharge(new UsageRecord(AsrService.RealTime, start, Duration.FromHours(hours) + Duration.FromSeconds(seconds)));

        charge.Tier.Number.Should().Be(tier);
        charge.Fee.Amount.ToString(System.Globalization.CultureInfo.InvariantCulture).Should().Be(fee);
    }

    [Theory]
    [InlineData(119_999, 1, "209980.75")] // (119,999 − 10) × 1.75
    [InlineData(120_000, 2, "167986.00")] // (120,000 − 10) × 1.40
    public void RecordingFileMonth_AtTheFirstThreshold_WithTheMonthsFreeHours(long hours, int tier, string fee)
    {
        var bill = PriceCalculator.Compute([new DailyTotal("acme", AsrService.RecordingFile, new LocalDate(2026, 6, 15), hours * 3600)], China);

        var charge = bill.Charges.Single();
        charge.Tier.Number.Should().Be(tier);
        charge.Fee.Amount.ToString(System.Globalization.CultureInfo.InvariantCulture).Should().Be(fee);
    }

    [Theory]
    [MemberData(nameof(OneWindow))]
    public void OneWindowsHours_CostTheTablePrice(string serviceId, decimal hours, int tier, decimal fee)
    {
        var charge = PriceCalculator.Compute(PriceBook.TencentCloudChina, AsrService.Parse(serviceId), hours, new LocalDate(2026, 1, 1));

        charge.Tier.Number.Should().Be(tier);
        charge.Fee.Should().Be(new Money(fee, "CNY"));
    }

    [Fact]
    public void TestData_FeesAreHoursTimesTheTierPrice()
    {
        // NodaMoney's ValidateTestData: the table above agrees with the page's prices.
        var prices = new Dictionary<string, decimal[]>
        {
            ["real-time"] = [3.2m, 2.8m, 2.2m, 1.6m, 1.2m],
            ["recording-file"] = [1.75m, 1.40m, 0.95m],
        };
        foreach (var (serviceId, hours, tier, fee) in OneWindow.Select(row => row.Data))
        {
            fee.Should().Be(Math.Round(hours * prices[serviceId][tier - 1], 2, MidpointRounding.AwayFromZero));
        }
    }

    [Fact]
    public void SaveThenLoad_GivesAnEqualBook_AndIsTheEmbeddedFileVerbatim()
    {
        var book = PriceBook.TencentCloudChina;

        PriceBookJson.Load(PriceBookJson.Save(book)).Equals(book).Should().BeTrue();
        PriceBookJson.Save(book).Should().Be(EmbeddedText());
    }

    [Fact]
    public void TryGetBuiltIn_FindsEachBookByItsName_Only()
    {
        PriceBook.BuiltInNames.Should().Equal("tencent-cloud-international", "tencent-cloud-china");
        PriceBook.TryGetBuiltIn("tencent-cloud-international", out var international).Should().BeTrue();
        international.Should().BeSameAs(PriceBook.TencentCloudInternational);
        PriceBook.TryGetBuiltIn("tencent-cloud-china", out var china).Should().BeTrue();
        china.Should().BeSameAs(PriceBook.TencentCloudChina);
        PriceBook.TryGetBuiltIn("Tencent-Cloud-China", out _).Should().BeFalse();
        PriceBook.TryGetBuiltIn("tencent-cloud-china.json", out _).Should().BeFalse();
        PriceBook.TryGetBuiltIn(null, out var none).Should().BeFalse();
        none.Should().BeNull();
    }

    private static BillCharge SingleCharge(params UsageRecord[] records) => PriceCalculator.Compute(records, China).Charges.Single();

    private static UsageRecord Record(AsrService service, int year, int month, int day, int hour, decimal hours, string id) =>
        new(service, new LocalDateTime(year, month, day, hour, 0).InZoneLeniently(Shanghai).ToInstant(), Duration.FromSeconds((long)(hours * 3600m)), id: id, account: "acme");

    private static string EmbeddedText()
    {
        using var stream = typeof(PriceBook).Assembly.GetManifestResourceStream(EmbeddedResource)!;
        using var reader = new StreamReader(stream, Encoding.UTF8);
        return reader.ReadToEnd();
    }
}
