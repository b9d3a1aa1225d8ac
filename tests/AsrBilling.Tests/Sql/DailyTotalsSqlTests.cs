using AsrBilling.Csv;
using AsrBilling.Sql;
using DuckDB.NET.Data;

namespace AsrBilling.Tests.Sql;

/// <summary>The generated daily-totals SQL, run in DuckDB, against the library's own reading of the same usage.</summary>
public class DailyTotalsSqlTests
{
    private static readonly DateTimeZone NewYork = DateTimeZoneProviders.Tzdb["America/New_York"];
    private static readonly DateTimeZone Berlin = DateTimeZoneProviders.Tzdb["Europe/Berlin"];

    /// <summary>Every well-known service at 1.44 USD/h from 0 h and 0.90 from 500 h, with the given rules from 2025-01-01.</summary>
    private static PriceBook Book(int incrementSeconds, int minimumSeconds) =>
        new($"test: {incrementSeconds} s increment, {minimumSeconds} s minimum", AsrService.All.Select(s => Table(s, new LocalDate(2025, 1, 1), incrementSeconds, minimumSeconds)));

    private static PriceTable Table(AsrService service, LocalDate from, int incrementSeconds, int minimumSeconds) =>
        PriceTable.FromThresholds(service, from, "USD", [(0m, 1.44m), (500m, 0.90m)], new PriceRules(incrementSeconds: incrementSeconds, minimumSeconds: minimumSeconds));

    /// <summary>Real-time whole seconds until 2025-09-01, 15 s increments with a 60 s minimum from 2025-09-02, 6 s increments from 2025-10-30; the other services keep whole seconds, but recording file has a 30 s minimum throughout.</summary>
    private static PriceBook ChangingBook() => new(
        "test: rules change between versions",
        [
            Table(AsrService.RealTime, new LocalDate(2025, 1, 1), 1, 0),
            Table(AsrService.RealTime, new LocalDate(2025, 9, 2), 15, 60),
            Table(AsrService.RealTime, new LocalDate(2025, 10, 30), 6, 0),
            Table(AsrService.RecordingFile, new LocalDate(2025, 1, 1), 1, 30),
            Table(AsrService.RealTimeLargeModel, new LocalDate(2025, 1, 1), 1, 0),
            Table(AsrService.RecordingFileLargeModel, new LocalDate(2025, 1, 1), 1, 0),
        ]);

    public static TheoryData<string, string?> GeneratedLogs => new()
    {
        { "tencent-cloud-international", null },
        { "tencent-cloud-international", "America/New_York" },
        { "tencent-cloud-international", "Europe/Berlin" },
        { "tencent-cloud-china", null },
        { "15 s increment, 60 s minimum", null },
        { "15 s increment, 60 s minimum", "America/New_York" },
        { "rules change between versions", null },
        { "rules change between versions", "Europe/Berlin" },
    };

    [Theory]
    [MemberData(nameof(GeneratedLogs))]
    public void Generate_OnAGeneratedLog_GivesTheLibrarysDailyTotalsAndBill(string bookName, string? zoneId)
    {
        var book = bookName switch
        {
            "15 s increment, 60 s minimum" => Book(15, 60),
            "rules change between versions" => ChangingBook(),
            _ => PriceBook.TryGetBuiltIn(bookName, out var builtIn) ? builtIn : throw new ArgumentException(bookName),
        };
        var zone = zoneId is null ? null : DateTimeZoneProviders.Tzdb[zoneId];

        // 12 days over both 2025 autumn switches (Berlin 10-26, New York 11-02) and the changing book's 10-30 version.
        var csv = DuckDbUsage.Sample(20_000, new LocalDate(2025, 10, 24), 12, seed: 16, only: book);
        var fromSql = DuckDbUsage.Totals(csv, book, zone);
        var fromLibrary = DuckDbUsage.LibraryTotals(csv, book, zone);

        fromSql.Should().HaveCountGreaterThan(500).And.Equal(fromLibrary);
        var options = DuckDbUsage.Options(book, zone);
        var sqlBill = PriceCalculator.Compute(fromSql, options);
        var libraryBill = PriceCalculator.Compute(UsageCsv.Read(new MemoryStream(System.Text.Encoding.UTF8.GetBytes(csv)), new UsageCsvOptions { Billing = options }).Totals, options);
        sqlBill.Charges.Select(c => (c.Account, c.Service.Id, c.Date, c.BillableSeconds, c.Fee))
            .Should().Equal(libraryBill.Charges.Select(c => (c.Account, c.Service.Id, c.Date, c.BillableSeconds, c.Fee)));
        sqlBill.Totals.Should().Equal(libraryBill.Totals);
    }

    [Fact]
    public void Generate_With15SecondIncrementAnd60SecondMinimum_RoundsEachRecord()
    {
        // 10:00 in Shanghai. Whole seconds 0, 1, 59, 61, 75, 91 bill 0 (0 stays 0), 60, 60, 75, 75, 105 (ceil to 15, at least 60): 375 s.
        var csv = DuckDbUsage.Csv(
            ("a", "acme", "real-time", "2025-09-01T02:00:00Z", "0"),
            ("b", "acme", "real-time", "2025-09-01T02:00:00Z", "0.2"),
            ("c", "acme", "real-time", "2025-09-01T02:00:00Z", "59"),
            ("d", "acme", "real-time", "2025-09-01T02:00:00Z", "60.001"),
            ("e", "acme", "real-time", "2025-09-01T02:00:00Z", "75"),
            ("f", "acme", "real-time", "2025-09-01T02:00:00Z", "90.5"));
        var book = Book(15, 60);

        var totals = DuckDbUsage.Totals(csv, book);

        totals.Should().Equal(new DailyTotal("acme", AsrService.RealTime, new LocalDate(2025, 9, 1), 375));
        // 375 s × 1.44 USD/h ÷ 3600 = 0.15 USD.
        PriceCalculator.Compute(totals, DuckDbUsage.Options(book, null)).Total.Amount.Should().Be(0.15m);
    }

    [Fact]
    public void Generate_WhenRulesChangeBetweenVersions_UsesTheVersionOfTheRecordsBillingDay()
    {
        // 23:59:59 on 09-01 and 00:00:00 on 09-02 in Shanghai, 10 s each: 10 s under the first version,
        // 60 s (the 60 s minimum) under the second, which starts on 09-02. Recording file: 5 s bills the 30 s minimum.
        var csv = DuckDbUsage.Csv(
            ("a", "acme", "real-time", "2025-09-01T15:59:59Z", "10"),
            ("b", "acme", "real-time", "2025-09-01T16:00:00Z", "10"),
            ("c", "acme", "recording-file", "2025-09-01T16:00:00Z", "5"));

        var totals = DuckDbUsage.Totals(csv, ChangingBook());

        totals.Should().Equal(
            new DailyTotal("acme", AsrService.RealTime, new LocalDate(2025, 9, 1), 10),
            new DailyTotal("acme", AsrService.RealTime, new LocalDate(2025, 9, 2), 60),
            new DailyTotal("acme", AsrService.RecordingFile, new LocalDate(2025, 9, 2), 30));
    }

    [Fact]
    public void Generate_InADaylightSavingZone_DatesEachRecordWithTheOffsetInForceAtItsStart()
    {
        // New York leaves EDT (−4) for EST (−5) at 2025-11-02T06:00Z. 03:30Z is 23:30 on 11-01 (EDT), 05:30Z is
        // 01:30 on 11-02 (EDT), 11-03T04:30Z is 23:30 on 11-02 (EST; at −4 it would be 11-03), 11-03T05:00Z is 00:00 on 11-03.
        var csv = DuckDbUsage.Csv(
            ("a", "", "real-time", "2025-11-02T03:30:00Z", "100"),
            ("b", "", "real-time", "2025-11-02T05:30:00Z", "100"),
            ("c", "", "real-time", "2025-11-03T04:30:00Z", "100"),
            ("d", "", "real-time", "2025-11-03T05:00:00Z", "100"));

        var totals = DuckDbUsage.Totals(csv, PriceBook.TencentCloudInternational, NewYork);

        totals.Should().Equal(
            new DailyTotal(null, AsrService.RealTime, new LocalDate(2025, 11, 1), 100),
            new DailyTotal(null, AsrService.RealTime, new LocalDate(2025, 11, 2), 200),
            new DailyTotal(null, AsrService.RealTime, new LocalDate(2025, 11, 3), 100));
    }

    [Fact]
    public void Generate_InAFixedOffsetZone_DatesByArithmetic()
    {
        // +05:30: 18:29:59Z is 23:59:59 on 09-01, 18:30:00Z is 00:00 on 09-02.
        var csv = DuckDbUsage.Csv(("a", "x", "real-time", "2025-09-01T18:29:59Z", "1"), ("b", "x", "real-time", "2025-09-01T18:30:00Z", "2"));
        var zone = DateTimeZone.ForOffset(Offset.FromHoursAndMinutes(5, 30));

        DailyTotalsSql.Generate(PriceBook.TencentCloudInternational, SqlDialect.DuckDb, zone: zone).Should().NotContain("timezone(");
        DuckDbUsage.Totals(csv, PriceBook.TencentCloudInternational, zone).Should().Equal(
            new DailyTotal("x", AsrService.RealTime, new LocalDate(2025, 9, 1), 1),
            new DailyTotal("x", AsrService.RealTime, new LocalDate(2025, 9, 2), 2));
    }

    [Fact]
    public void Generate_CountsARepeatedIdOnce_AndEveryRowWithoutAnId()
    {
        // r1 twice (100 s once), r2 50 s, two identical rows without an id (30 s each): 210 s.
        var csv = DuckDbUsage.Csv(
            ("r1", "acme", "real-time", "2025-09-01T02:00:00Z", "100"),
            ("r2", "acme", "real-time", "2025-09-01T03:00:00Z", "50"),
            ("r1", "acme", "real-time", "2025-09-01T02:00:00Z", "100"),
            ("", "acme", "real-time", "2025-09-01T04:00:00Z", "30"),
            ("", "acme", "real-time", "2025-09-01T04:00:00Z", "30"));

        DuckDbUsage.Totals(csv, PriceBook.TencentCloudInternational)
            .Should().Equal(new DailyTotal("acme", AsrService.RealTime, new LocalDate(2025, 9, 1), 210));
        DailyTotalsSql.Generate(PriceBook.TencentCloudInternational, SqlDialect.DuckDb).Should().Contain("-- A repeated id counts once, as `bill --duplicates ignore` does.");
    }

    [Fact]
    public void Generate_ReadsFieldsAsTheCsvReaderDoes_TrimmedAndIgnoringAsciiCase()
    {
        // Every white space .NET trims, around an account, an id and a service; a zero-width space (U+200B) is not white space.
        var space = "\u00A0\u1680\u2000\u200A\u2028\u2029\u202F\u205F\u3000\u0085\t\v\f ";
        var csv = DuckDbUsage.Header + "\n"
            + $"\"{space}r1{space}\",\"{space}acme{space}\",\"{space}ReAl-TiMe{space}\", 2025-09-01T02:00:00.5+08:00\t,\t12.5 ,\n"
            + "r1,acme,real-time,2025-09-01T02:00:00.5+08:00,12.5,\n"
            + "r2,\u200Bacme,RECORDING-FILE,2025-09-01t02:00:00z,3,\n";

        var totals = DuckDbUsage.Totals(csv, PriceBook.TencentCloudInternational);

        // 12.5 s bills 13 s once (r1 twice); 2025-09-01T02:00+08:00 and 02:00Z are both on 09-01 in Shanghai.
        totals.Should().Equal(
            new DailyTotal("acme", AsrService.RealTime, new LocalDate(2025, 9, 1), 13),
            new DailyTotal("\u200Bacme", AsrService.RecordingFile, new LocalDate(2025, 9, 1), 3));
        totals.Should().Equal(DuckDbUsage.LibraryTotals(csv, PriceBook.TencentCloudInternational));
    }

    public static TheoryData<string, string, string> BadRows => new()
    {
        { "x1,acme,speech,2025-09-01T02:00:00Z,1", "the row with id 'x1': service: unknown service id 'speech'", "service" },
        { "x2,acme,real-time,2025-09-01T02:00:00,1", "the row with id 'x2': start: '2025-09-01T02:00:00' is not an ISO-8601 instant", "start" },
        { "x3,acme,real-time,2025-02-30T02:00:00Z,1", "the row with id 'x3': start: '2025-02-30T02:00:00Z' is not an ISO-8601 instant", "start" },
        { "x4,acme,real-time,2025-08-18T15:59:59Z,1", "the row with id 'x4': start: no price version of real-time is in force on 2025-08-18 in Asia/Shanghai", "start" },
        { ",acme,real-time,2025-09-01T02:00:00Z,-1", "the row without an id starting at '2025-09-01T02:00:00Z': duration_seconds: '-1' is not a number of seconds", "duration_seconds" },
        { "x6,acme,real-time,2025-09-01T02:00:00Z,", "the row with id 'x6': duration_seconds: '' is not a number of seconds", "duration_seconds" },
    };

    [Theory]
    [MemberData(nameof(BadRows))]
    public void Generate_OnARowTheCsvReaderRejects_StopsTheQueryNamingTheRow(string row, string message, string column)
    {
        var csv = DuckDbUsage.Header + "\nok,acme,real-time,2025-09-01T02:00:00Z,1,\n" + row + ",\n";

        var sql = () => DuckDbUsage.Totals(csv, PriceBook.TencentCloudInternational);
        var library = () => DuckDbUsage.LibraryTotals(csv, PriceBook.TencentCloudInternational);

        sql.Should().Throw<DuckDBException>().Which.Message.Should().Contain("asr-billing: " + message);
        library.Should().Throw<UsageCsvException>().Which.Column.Should().Be(column);
    }

    [Fact]
    public void Generate_OnAServiceTheBookDoesNotPrice_StopsTheQueryAsTheCsvReaderRejectsTheRow()
    {
        var csv = DuckDbUsage.Csv(("m1", "acme", "real-time-large-model", "2025-09-01T02:00:00Z", "1"));

        var sql = () => DuckDbUsage.Totals(csv, PriceBook.TencentCloudChina);

        sql.Should().Throw<DuckDBException>().Which.Message.Should()
            .Contain("the row with id 'm1': service: the price book has no prices for 'real-time-large-model'; it prices: real-time, recording-file");
    }

    [Fact]
    public void Generate_OnRowsOfOneIdThatDiffer_StopsTheQuery()
    {
        var csv = DuckDbUsage.Csv(("r1", "acme", "real-time", "2025-09-01T02:00:00Z", "100"), ("r1", "acme", "real-time", "2025-09-01T02:00:00Z", "101"));

        var sql = () => DuckDbUsage.Totals(csv, PriceBook.TencentCloudInternational);

        sql.Should().Throw<DuckDBException>().Which.Message.Should().Contain("the rows with id 'r1' differ");
    }

    [Fact]
    public void Generate_InAZoneOutsideTheTzDatabaseWhoseOffsetChanges_IsRefused()
    {
        var bcl = DateTimeZoneProviders.Bcl.GetZoneOrNull("America/New_York") ?? throw new InvalidOperationException("no BCL zone");

        var generate = () => DailyTotalsSql.Generate(PriceBook.TencentCloudInternational, SqlDialect.ClickHouse, zone: bcl);

        generate.Should().Throw<SqlGenerationException>().Which.Message.Should().Contain("is not an IANA time zone of the tz database");
    }

    [Theory]
    [InlineData("usage; DROP TABLE x")]
    [InlineData("a.b.c")]
    [InlineData("")]
    public void Generate_WithATableNameThatIsNotPlain_Throws(string table)
    {
        var generate = () => DailyTotalsSql.Generate(PriceBook.TencentCloudInternational, SqlDialect.DuckDb, table);

        generate.Should().Throw<ArgumentException>().WithParameterName(nameof(table));
    }

    [Fact]
    public void Generate_ForABookWithOneRuleThroughout_HasNoCaseOverDates()
    {
        var sql = DailyTotalsSql.Generate(Book(15, 60), SqlDialect.ClickHouse);

        sql.Should().Contain("greatest(intDiv(whole_seconds + 14, 15) * 15, 60)").And.NotContain("billing_date >=");
        DailyTotalsSql.Generate(ChangingBook(), SqlDialect.ClickHouse).Should().Contain("WHEN service = 'real-time' AND billing_date >= toDate('2025-10-30') THEN");
    }
}
