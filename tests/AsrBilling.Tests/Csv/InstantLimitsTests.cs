using System.Text;
using AsrBilling.Csv;

namespace AsrBilling.Tests.Csv;

/// <summary>
/// Instants at the README's own limits (years -9998 to 9999 in UTC) bill or are rejected with their
/// line and column, on the byte path and the text path, by one worker and by several: none aborts a run
/// that keeps rejects.
/// </summary>
public sealed class InstantLimitsTests : IDisposable
{
    // Line 2 is 10000-01-01 in Asia/Shanghai, past the calendar. Line 3 is -9998-01-01 08:05 there
    // (LMT +08:05:43), a date with no price version. Line 4 is 2020-01-01, also before the only version
    // (2025-08-19). Line 5 is 23:59:59 on 9999-12-31 in Shanghai: it bills 999999999 s at tier 5, 0.70
    // USD/h = 194444.4442… → 194444.44. Line 6 bills 3600 s at 1.40 = 1.40. Total 194445.84 USD.
    private const string Usage = """
        service,start,duration_seconds
        real-time,9999-12-31T23:59:59Z,5
        real-time,-9998-01-01T00:00:00Z,5
        real-time,2020-01-01T00:00:00Z,5
        real-time,9999-12-31T15:59:59Z,999999999
        real-time,2025-09-01T00:00:00Z,3600

        """;

    private readonly string _dir = Directory.CreateTempSubdirectory("asr-billing-limits-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    public static TheoryData<bool, int> Paths => new() { { true, 1 }, { false, 1 }, { true, 2 }, { false, 2 } };

    [Theory]
    [MemberData(nameof(Paths))]
    public void RowsAtTheLimits_AreRejectedWithTheirLine_OrBilled(bool readBytes, int threads)
    {
        var result = UsageCsv.Read(Write(Usage), Options(readBytes, threads, keepRejects: true));
        var bill = PriceCalculator.Compute(result.Totals);

        result.Rejects.Select(r => (r.Line, r.Reason)).Should().Equal(
            (2L, "start: The usage starting at 9999-12-31T23:59:59Z falls after 9999-12-31 in Asia/Shanghai, the last billing date the calendar holds."),
            (3L, "start: No price of real-time is in force on -9998-01-01: the earliest version in 'Tencent Cloud international, 2025-08-19' takes effect on 2025-08-19."),
            (4L, "start: No price of real-time is in force on 2020-01-01: the earliest version in 'Tencent Cloud international, 2025-08-19' takes effect on 2025-08-19."));
        (result.RowsRead, result.RowsBilled).Should().Be((5L, 2L));
        bill.Charges.Select(c => (IsoDate.Format(c.Date), c.Fee.Amount)).Should().Equal(("2025-09-01", 1.40m), ("9999-12-31", 194444.44m));
        bill.Total.Should().Be(new Money(194445.84m, "USD"));
    }

    [Theory]
    [MemberData(nameof(Paths))]
    public void RowPastTheCalendar_WithoutRejects_IsALineAndColumnError(bool readBytes, int threads)
    {
        var act = () => UsageCsv.Read(Write(Usage), Options(readBytes, threads, keepRejects: false));

        var error = act.Should().Throw<UsageCsvException>().Which;
        (error.Line, error.Column).Should().Be((2L, "start"));
        error.Message.Should().Contain("falls after 9999-12-31 in Asia/Shanghai");
    }

    [Theory]
    [MemberData(nameof(Paths))]
    public void FirstInstant_WestOfUtc_FallsBeforeTheCalendar(bool readBytes, int threads)
    {
        // -9998-01-01T00:00:00Z is 19:03:58 on -9999-12-31 in New York (LMT −04:56:02): before the calendar.
        var early = PriceBookJson.Load("""
            {"format":"asr-billing-price-book","version":1,"name":"early","tables":[
              {"service":"real-time","currency":"USD","effectiveFrom":"-9998-01-01","tiers":[{"from":0,"unitPrice":1.4}]}]}
            """);
        var options = new UsageCsvOptions
        {
            Billing = new BillingOptions(early, DateTimeZoneProviders.Tzdb["America/New_York"]), KeepRejects = true, ReadBytes = readBytes, Threads = threads, ChunkBytes = 40, MinChunkBytes = 1,
        };

        var result = UsageCsv.Read(Write("service,start,duration_seconds\nreal-time,-9998-01-01T00:00:00Z,5\nreal-time,-9998-01-02T00:00:00Z,3600\n"), options);

        result.Rejects.Should().ContainSingle().Which.Reason.Should().Be(
            "start: The usage starting at -9998-01-01T00:00:00Z falls before -9998-01-01 in America/New_York, the first billing date the calendar holds.");
        result.Rejects[0].Line.Should().Be(2);
        PriceCalculator.Compute(result.Totals, options.Billing).Total.Should().Be(new Money(1.40m, "USD"));
    }

    [Fact]
    public void DailyTotals_BeforeAnyPrice_AreRejectedWithTheirLine()
    {
        var path = Write("account,service,date,billable_seconds\nacme,real-time,2020-01-01,5\nacme,real-time,2025-09-01,3600\n");

        var result = UsageCsv.Read(path, new UsageCsvOptions { DailyTotals = true, KeepRejects = true });

        result.Rejects.Should().ContainSingle().Which.Should().Be(new RejectedRow(
            2, "date: No price of real-time is in force on 2020-01-01: the earliest version in 'Tencent Cloud international, 2025-08-19' takes effect on 2025-08-19.", "acme,real-time,2020-01-01,5"));
        PriceCalculator.Compute(result.Totals).Total.Should().Be(new Money(1.40m, "USD"));
    }

    [Fact]
    public void Aggregator_StartPastTheCalendar_IsABillingError_NotAnInternalOne()
    {
        var late = Instant.FromUtc(9999, 12, 31, 23, 59, 59);
        var aggregator = new UsageAggregator();

        Action record = () => aggregator.Add(new UsageRecord(AsrService.RealTime, late, Duration.FromSeconds(5), id: "r1"));
        Action seconds = () => aggregator.Add(AsrService.RealTime, late, 5);
        Action bulk = () => aggregator.AddAtUnixTicks(aggregator.GetKey("acme", null), AsrService.RealTime, late.ToUnixTimeTicks(), 5);
        Action bill = () => PriceCalculator.Compute([new UsageRecord(AsrService.RealTime, late, Duration.FromSeconds(5))]);

        foreach (var act in new[] { record, seconds, bulk, bill })
        {
            var error = act.Should().Throw<BillingDateOutOfRangeException>().Which;
            error.Should().BeAssignableTo<AsrBillingException>();
            error.Start.Should().Be(late);
            error.ZoneId.Should().Be("Asia/Shanghai");
            error.Message.Should().Be("The usage starting at 9999-12-31T23:59:59Z falls after 9999-12-31 in Asia/Shanghai, the last billing date the calendar holds.");
        }

        // Nothing of the refused record is kept, its id included.
        aggregator.Add(new UsageRecord(AsrService.RealTime, Instant.FromUtc(2025, 9, 1, 0, 0), Duration.FromSeconds(5), id: "r1"));
        aggregator.RecordsRead.Should().Be(1);
    }

    [Fact]
    public void BillableStarts_EndWhereTheLastDateEnds_InTheZone()
    {
        // Asia/Shanghai is UTC+8 in 9999: 10000-01-01 would begin at 9999-12-31T16:00:00Z.
        var shanghai = BillingOptions.Default.BillableStarts;
        shanghai.HasStart.Should().BeFalse();
        shanghai.End.Should().Be(Instant.FromUtc(9999, 12, 31, 16, 0));

        // New York's first offset is −04:56:02 (LMT): -9998-01-01 begins at 04:56:02Z.
        var newYork = new BillingOptions(zone: DateTimeZoneProviders.Tzdb["America/New_York"]).BillableStarts;
        newYork.Start.Should().Be(Instant.FromUtc(-9998, 1, 1, 4, 56, 2));
        newYork.HasEnd.Should().BeFalse();
    }

    [Fact]
    public void Bill_OnTheLastDate_SumsItsMonth()
    {
        // 9999-12-31T15:59:59Z is 23:59:59 on 9999-12-31 in Shanghai: 3600 s at 1.40 = 1.40, in month 9999-12.
        var bill = PriceCalculator.Compute([new UsageRecord(AsrService.RealTime, Instant.FromUtc(9999, 12, 31, 15, 59, 59), Duration.FromHours(1))]);

        bill.ByMonth.Should().ContainSingle().Which.Should().Be(new Subtotal("9999-12", new Money(1.40m, "USD"), 3600, 1));
    }

    private static UsageCsvOptions Options(bool readBytes, int threads, bool keepRejects) =>
        new() { KeepRejects = keepRejects, ReadBytes = readBytes, Threads = threads, ChunkBytes = 64, MinChunkBytes = 1 };

    private string Write(string text)
    {
        var path = Path.Combine(_dir, $"{Guid.NewGuid():N}.csv");
        File.WriteAllText(path, text, new UTF8Encoding(false));
        return path;
    }
}
