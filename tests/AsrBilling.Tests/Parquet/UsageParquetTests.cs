extern alias parquetpackage;

using System.Globalization;
using System.Text;
using AsrBilling.Csv;
using parquetpackage::AsrBilling.Parquet;
using Parquet.Schema;
using static AsrBilling.Tests.Parquet.ParquetTestFile;

namespace AsrBilling.Tests.Parquet;

/// <summary>The public face of the Parquet package, and the CSV reader's bad-input cases where they apply to Parquet.</summary>
public sealed class UsageParquetTests : IDisposable
{
    private static readonly DateTime Sep1At2 = new(2025, 9, 1, 2, 0, 0, DateTimeKind.Utc);

    private readonly string _dir = Directory.CreateTempSubdirectory("asr-billing-parquet-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    /// <summary>Writes the rows of a DuckDB query to a Parquet file in the test's folder, in order, as DuckDB encodes them (dictionaries included).</summary>
    private string DuckDbParquet(string name, string select, int rowsPerGroup = 122_880)
    {
        var path = Path.Combine(_dir, name);
        using var connection = new DuckDB.NET.Data.DuckDBConnection("DataSource=:memory:");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = $"SET threads = 1; COPY ({select}) TO '{path}' (FORMAT parquet, ROW_GROUP_SIZE {rowsPerGroup})";
        command.ExecuteNonQuery();
        return path;
    }

    // Billing days in Asia/Shanghai. acme real-time 2025-09-01: 3600 s + 0.2 s (bills 1 s) = 3601 s at
    // 1.40 USD/h = 1.40038… -> 1.40; beta's 20:00Z is 04:00 on 2025-09-02: 1800 s of recording file at
    // 1.00 USD/h = 0.50. Total 1.90 USD.
    private static MemoryStream TextUsage() => Write(
        Text("id", "a", "b", "c"),
        Text("account", "acme", "acme", "beta"),
        Text("service", "real-time", "real-time", "recording-file"),
        Text("start", "2025-09-01T02:00:00Z", "2025-09-01T03:00:00Z", "2025-09-01T20:00:00Z"),
        Text("duration_seconds", "3600", "0.2", "1800"),
        Text("tag", null, "support", "sales"));

    [Fact]
    public void Read_File_BillsToTheTotalWorkedOutByHand()
    {
        var path = Save(Path.Combine(_dir, "usage.parquet"), TextUsage());
        var options = new UsageParquetOptions { Billing = BillingOptions.Default, KeepRejects = true };

        var result = UsageParquet.Read(path, options);
        var bill = PriceCalculator.Compute(result.Totals, options.Billing);

        bill.Total.Should().Be(new Money(1.90m, "USD"));
        bill.Charges.Select(c => c.Fee.Amount).Should().Equal(1.40m, 0.50m);
        (result.RowsRead, result.RowsBilled, result.DuplicatesIgnored, result.Rejects.Count).Should().Be((3L, 3L, 0L, 0));
    }

    [Theory]
    [InlineData(DateTimeTimeUnit.Millis)]
    [InlineData(DateTimeTimeUnit.Micros)]
    [InlineData(DateTimeTimeUnit.Nanos)]
    public void TypedColumns_TimestampsAndDecimals_BillAsTheirText(DateTimeTimeUnit unit)
    {
        // The same three rows as TextUsage: 1.40 + 0.50 = 1.90 USD.
        using var file = Write(
            Text("account", "acme", "acme", "beta"),
            Text("service", "real-time", "real-time", "recording-file"),
            Timestamp("start", unit, Sep1At2, Sep1At2.AddHours(1), Sep1At2.AddHours(18)),
            Decimals("duration_seconds", 18, 3, 3600m, 0.2m, 1800m));

        var bill = PriceCalculator.Compute(UsageParquet.Read(file).Totals);

        bill.Total.Should().Be(new Money(1.90m, "USD"));
        bill.Charges.Select(c => (c.Account, IsoDate.Format(c.Date))).Should().Equal(("acme", "2025-09-01"), ("beta", "2025-09-02"));
    }

    [Fact]
    public void RequiredDecimalColumn_IsRead()
    {
        // A non-nullable decimal column: 3600 s + 0.2 s (1 s) of real-time = 3601 s at 1.40 USD/h = 1.40 USD.
        using var file = Write(
            Text("service", "real-time", "real-time"),
            Text("start", "2025-09-01T02:00:00Z", "2025-09-01T03:00:00Z"),
            (new DataField<decimal>("duration_seconds"), new decimal?[] { 3600m, 0.2m }));

        PriceCalculator.Compute(UsageParquet.Read(file).Totals).Total.Should().Be(new Money(1.40m, "USD"));
    }

    [Fact]
    public void TypedStart_AtTheBillingDayBoundary_FallsOnTheDayItStarts()
    {
        // 15:59:59.999999Z is 23:59:59.999999 on 2025-09-01 in Asia/Shanghai; 16:00:00Z is 2025-09-02.
        var justBefore = new DateTime(2025, 9, 1, 15, 59, 59, DateTimeKind.Utc).AddTicks(9_999_990);
        using var file = Write(
            Text("service", "real-time", "real-time"),
            Timestamp("start", DateTimeTimeUnit.Micros, justBefore, justBefore.AddTicks(10)),
            Values<long>("duration_seconds", 60L, 60L));

        var totals = UsageParquet.Read(file).Totals;

        totals.Select(t => IsoDate.Format(t.Date)).Should().Equal("2025-09-01", "2025-09-02");
    }

    [Fact]
    public void Doubles_AreReadAsTheirShortestRoundTripDecimal()
    {
        // 3600.0000000000005 is the double just above 3600 (3600 + 2^-41): its shortest text rounds up to
        // 3601 s, where (decimal)3600.0000000000005 keeps 15 digits (3600) and would bill 3600 s.
        // 0.1 and 1e-7 bill 1 s each (rule 4); 7200.0 is whole: 7200 s. Real-time 2025-09-01:
        // 3601 + 1 + 1 + 7200 = 10803 s at 1.40 USD/h = 4.2011… -> 4.20 USD.
        using var file = Write(
            Text("service", "real-time", "real-time", "real-time", "real-time"),
            Text("start", "2025-09-01T02:00:00Z", "2025-09-01T02:00:00Z", "2025-09-01T02:00:00Z", "2025-09-01T02:00:00Z"),
            Values<double>("duration_seconds", 3600.0000000000005, 0.1, 1e-7, 7200.0));

        var result = UsageParquet.Read(file);

        result.Totals.Single().BillableSeconds.Should().Be(10_803);
        PriceCalculator.Compute(result.Totals).Total.Should().Be(new Money(4.20m, "USD"));
    }

    [Fact]
    public void Doubles_InMessages_AreTheirShortestText()
    {
        // -0.1 as a double is -0.1000000000000000055511151231257827…: the message shows -0.1, as written.
        using var file = Write(
            Text("service", "real-time"),
            Text("start", "2025-09-01T02:00:00Z"),
            Values<double>("duration_seconds", -0.1));

        var error = FluentActions.Invoking(() => UsageParquet.Read(file)).Should().Throw<UsageParquetException>().Which;

        error.Message.Should().Be("row 1, column duration_seconds: the duration -0.1 is negative");
    }

    [Theory]
    [InlineData("int")]
    [InlineData("long")]
    [InlineData("float")]
    [InlineData("decimal38")]
    public void WholeAndFractionalNumberTypes_AreRead(string type)
    {
        // 2 rows of 90 s and 0.5 s (float 0.5 and decimal 0.5 bill 1 s; integers have no fraction: 1 s written as 1):
        // real-time 2025-09-01: 91 s at 1.40 USD/h = 0.0353… -> 0.04 USD.
        (DataField, Array) duration = type switch
        {
            "int" => Values<int>("duration_seconds", 90, 1),
            "long" => Values<long>("duration_seconds", 90L, 1L),
            "float" => Values<float>("duration_seconds", 90f, 0.5f),
            _ => Decimals("duration_seconds", 38, 10, 90m, 0.5m),
        };
        using var file = Write(Text("service", "real-time", "real-time"), Text("start", "2025-09-01T02:00:00Z", "2025-09-01T03:00:00Z"), duration);

        var result = UsageParquet.Read(file);

        result.Totals.Single().BillableSeconds.Should().Be(91);
        PriceCalculator.Compute(result.Totals).Total.Should().Be(new Money(0.04m, "USD"));
    }

    [Theory]
    [InlineData("2025-09-02T01:00:00", "60", "row 2, column start: '2025-09-02T01:00:00' has no offset")]
    [InlineData("9999-12-31T23:59:59-18:00", "60", "row 2, column start: '9999-12-31T23:59:59-18:00' is outside the instants that can be billed")]
    [InlineData("yesterday", "60", "row 2, column start: 'yesterday' is not an ISO-8601 instant")]
    [InlineData("2025-09-02T01:00:00Z", "-5", "row 2, column duration_seconds: the duration -5 is negative")]
    [InlineData("2025-09-02T01:00:00Z", "abc", "row 2, column duration_seconds: 'abc' is not a number of seconds")]
    [InlineData("2025-09-02T01:00:00Z", "", "row 2, column duration_seconds: the duration is empty")]
    [InlineData("2024-01-01T01:00:00Z", "60", "row 2, column start: *2024-01-01*")]
    public void TextColumns_BadRow_StopsWithRowColumnAndReason(string start, string duration, string message)
    {
        using var file = Write(
            Text("id", "r1", "r2"),
            Text("service", "real-time", "real-time"),
            Text("start", "2025-09-02T00:00:00Z", start),
            Text("duration_seconds", "60", duration));

        var error = FluentActions.Invoking(() => UsageParquet.Read(file)).Should().Throw<UsageParquetException>().Which;

        error.Message.Should().Match(message + "*");
        error.Row.Should().Be(2);
        error.Should().BeAssignableTo<AsrBillingException>();
    }

    [Theory]
    [InlineData("realtime", "row 2, column service: unknown service id 'realtime'; valid ids: real-time, real-time-large-model, recording-file, recording-file-large-model")]
    [InlineData("", "row 2, column service: unknown service id ''*")]
    [InlineData(null, "row 2, column service: unknown service id ''*")]
    public void BadOrMissingService_IsABadRowOfItsColumn(string? service, string message)
    {
        using var file = Write(
            Text("service", "real-time", service),
            Text("start", "2025-09-02T00:00:00Z", "2025-09-02T00:00:00Z"),
            Text("duration_seconds", "60", "60"));

        FluentActions.Invoking(() => UsageParquet.Read(file)).Should().Throw<UsageParquetException>().WithMessage(message);
    }

    [Fact]
    public void ADecimalDurationWiderThan18Digits_IsRead()
    {
        // Scale 20: left to Parquet.Net; 1.5 s is billed as 2.
        using var file = Write(
            Text("service", "real-time"),
            Text("start", "2025-09-01T02:00:00Z"),
            Decimals("duration_seconds", 38, 20, 1.5m));

        UsageParquet.Read(file).Totals.Should().ContainSingle().Which.BillableSeconds.Should().Be(2);
    }

    [Theory]
    [InlineData(100, 0, 112)]
    [InlineData(100, 80, 160)]
    [InlineData(1_950_000_000, 0, 2_147_483_591)]
    [InlineData(2_147_483_591, 2_000_000_000, 2_147_483_591)]
    public void WorkingArrays_GrowByAnEighthOrDouble_UpToTheLargestArray(int length, int current, int expected) =>
        Arrays.Room(length, current).Should().Be(expected);

    [Fact]
    public void ADayThatOverflows_BeforeALaterBadRow_IsTheBadRowReported()
    {
        // 4.8e18 s twice on the 1st pass long.MaxValue (9.2e18) at row 2; row 3's service is unknown.
        using var file = Write(
            Text("service", "real-time", "real-time", "bogus"),
            Text("start", "2025-09-01T02:00:00Z", "2025-09-01T03:00:00Z", "2025-09-01T04:00:00Z"),
            Text("duration_seconds", "4800000000000000000", "4800000000000000000", "60"));

        FluentActions.Invoking(() => UsageParquet.Read(file)).Should().Throw<UsageParquetException>()
            .Which.Should().Match<UsageParquetException>(e => e.Row == 2 && e.Column == "duration_seconds");
    }

    [Fact]
    public void TypedNulls_AndNegativeNumbers_AreBadRowsOfTheirColumn()
    {
        // Row 1 is billed: 60 s. Row 2 has a null start, row 3 a null duration, row 4 a negative decimal, row 5 a negative long.
        using var typedDecimal = Write(
            Text("service", "real-time", "real-time", "real-time", "real-time"),
            Timestamp("start", DateTimeTimeUnit.Micros, Sep1At2, null, Sep1At2, Sep1At2),
            Decimals("duration_seconds", 18, 3, 60m, 60m, null, -5.5m));
        using var typedLong = Write(
            Text("service", "real-time"),
            Timestamp("start", DateTimeTimeUnit.Millis, Sep1At2),
            Values<long>("duration_seconds", -5L));

        var kept = UsageParquet.Read(typedDecimal, new UsageParquetOptions { KeepRejects = true });
        var longError = FluentActions.Invoking(() => UsageParquet.Read(typedLong)).Should().Throw<UsageParquetException>().Which;

        kept.Rejects.Select(r => (r.Row, r.Reason, r.Values)).Should().Equal(
            (2L, "start: the start is null", "real-time,,60.000"),
            (3L, "duration_seconds: the duration is null", "real-time,2025-09-01T02:00:00Z,"),
            (4L, "duration_seconds: the duration -5.500 is negative", "real-time,2025-09-01T02:00:00Z,-5.500"));
        (kept.RowsRead, kept.RowsBilled).Should().Be((4L, 1L));
        kept.Totals.Single().BillableSeconds.Should().Be(60);
        (longError.Row, longError.Column, longError.Reason).Should().Be((1L, "duration_seconds", "the duration -5 is negative"));
    }

    [Fact]
    public void DictionaryTexts_InAnotherOrderInEachRowGroup_KeepTheirAccountsAndTags()
    {
        // DuckDB writes three row groups of 4,096 rows, each a pattern of 4 rows 1,024 times with its own dictionaries:
        // accounts a, b, c; then c, b, a; then b, a, d. Per pattern: a 10 + 40 + 3 + 300 = 353 s (x 10, y 343);
        // b 20 + 2 + 100 + 200 = 322 s (x 302, y 20); c 30 + 1 + 4 = 35 s (x 34, y 1); d 400 s (y 400).
        var path = DuckDbParquet("dictionaries.parquet", """
            SELECT (CASE i // 4096 WHEN 0 THEN ['a', 'b', 'c', 'a'] WHEN 1 THEN ['c', 'b', 'a', 'c'] ELSE ['b', 'b', 'a', 'd'] END)[i % 4 + 1] AS account,
                   'real-time' AS service, '2025-09-01T02:00:00Z' AS start,
                   (CASE i // 4096 WHEN 0 THEN [10, 20, 30, 40] WHEN 1 THEN [1, 2, 3, 4] ELSE [100, 200, 300, 400] END)[i % 4 + 1] AS duration_seconds,
                   (CASE i // 4096 WHEN 0 THEN ['x', 'y', 'x', 'y'] WHEN 1 THEN ['y', 'x', 'y', 'x'] ELSE ['x', 'x', 'y', 'y'] END)[i % 4 + 1] AS tag
            FROM range(12288) r(i) ORDER BY i
            """, rowsPerGroup: 4096);

        var result = UsageParquet.Read(path, new UsageParquetOptions { TagSeconds = true });

        result.Totals.Select(t => (t.Account, t.BillableSeconds, string.Join(" ", t.TagSeconds.Select(s => $"{s.Key}={s.Value}")))).Should().Equal(
            ("a", 361_472L, "x=10240 y=351232"),
            ("b", 329_728L, "x=309248 y=20480"),
            ("c", 35_840L, "x=34816 y=1024"),
            ("d", 409_600L, "y=409600"));
    }

    [Fact]
    public void RejectedRowsTexts_InADictionary_DoNotBecomeAccountsOrTags()
    {
        // Every 100th row has an unknown service: its account 'ghost' and tag 'ghost-tag' are in the row group's
        // dictionaries, but no billed row has them; 990 rows of 10 s bill to 'good', untagged.
        var path = DuckDbParquet("rejects.parquet", """
            SELECT (CASE WHEN i % 100 = 0 THEN 'ghost' ELSE 'good' END) AS account,
                   (CASE WHEN i % 100 = 0 THEN 'no-such-service' ELSE 'real-time' END) AS service,
                   '2025-09-01T02:00:00Z' AS start, 10 AS duration_seconds,
                   (CASE WHEN i % 100 = 0 THEN 'ghost-tag' ELSE NULL END) AS tag
            FROM range(1000) r(i) ORDER BY i
            """);

        var result = UsageParquet.Read(path, new UsageParquetOptions { KeepRejects = true, TagSeconds = true });

        result.Rejects.Should().HaveCount(10);
        result.Totals.Accounts.Should().Equal("good");
        result.Totals.HasTagSeconds.Should().BeFalse();
        result.Totals.Single().BillableSeconds.Should().Be(9_900);
    }

    [Fact]
    public void Duplicates_AreRejectedNamingTheFirstRow_OrIgnored()
    {
        // r1 twice: the first is billed (60 s), the second rejected or ignored; r2 is billed (30 s).
        using var file = WriteGroups(
            2,
            Text("id", "r1", "r2", " r1 "),
            Text("service", "real-time", "real-time", "real-time"),
            Text("start", "2025-09-01T02:00:00Z", "2025-09-01T02:00:00Z", "2025-09-01T02:00:00Z"),
            Text("duration_seconds", "60", "30", "600"));

        var error = FluentActions.Invoking(() => UsageParquet.Read(file)).Should().Throw<UsageParquetException>().Which;
        var ignored = UsageParquet.Read(file, new UsageParquetOptions { Billing = BillingOptions.Default.WithDuplicates(DuplicatePolicy.Ignore) });

        error.Message.Should().Be("row 3, column id: duplicate id 'r1', first seen on row 1");
        (ignored.RowsRead, ignored.RowsBilled, ignored.DuplicatesIgnored).Should().Be((3L, 2L, 1L));
        ignored.Totals.Single().BillableSeconds.Should().Be(90);
    }

    [Fact]
    public void Duplicates_FarApartAndAcrossRowGroups_AreCountedOnce()
    {
        // 40 rows in groups of 17, row i (from 0) has id r(i mod 23) and i + 1 seconds: rows 0-22 are
        // first occurrences (1 + 2 + ... + 23 = 276 s), rows 23-39 repeat ids seen 23 rows before.
        var rows = Enumerable.Range(0, 40).ToArray();
        using var file = WriteGroups(
            17,
            Text("id", [.. rows.Select(i => $"r{i % 23}")]),
            Text("service", [.. rows.Select(_ => "real-time")]),
            Text("start", [.. rows.Select(_ => "2025-09-01T02:00:00Z")]),
            Text("duration_seconds", [.. rows.Select(i => $"{i + 1}")]));

        var error = FluentActions.Invoking(() => UsageParquet.Read(file)).Should().Throw<UsageParquetException>().Which;
        var ignored = UsageParquet.Read(file, new UsageParquetOptions { Billing = BillingOptions.Default.WithDuplicates(DuplicatePolicy.Ignore) });

        error.Message.Should().Be("row 24, column id: duplicate id 'r0', first seen on row 1");
        (ignored.RowsRead, ignored.RowsBilled, ignored.DuplicatesIgnored).Should().Be((40L, 23L, 17L));
        ignored.Totals.Single().BillableSeconds.Should().Be(276);
    }

    [Fact]
    public void Duplicates_OfIdsThatAreNotAscii_AreFound_InGroupsOfAsciiIdsToo()
    {
        // Groups of 2: the first all ASCII, the second with ids not ASCII ("é-1" and "ü"), the third repeats "é-1" (row 5)
        // beside an ASCII id, the fourth repeats "r1" (row 8). Billed: rows 1, 2, 3, 4, 6 and 7, 1 + 2 + 3 + 4 + 6 + 7 = 23 s.
        using var file = WriteGroups(
            2,
            Text("id", "r1", "r2", "é-1", "ü", "é-1", "r3", "r4", "r1"),
            Text("service", [.. Enumerable.Repeat("real-time", 8)]),
            Text("start", [.. Enumerable.Repeat("2025-09-01T02:00:00Z", 8)]),
            Text("duration_seconds", "1", "2", "3", "4", "5", "6", "7", "8"));

        var error = FluentActions.Invoking(() => UsageParquet.Read(file)).Should().Throw<UsageParquetException>().Which;
        var ignored = UsageParquet.Read(file, new UsageParquetOptions { Billing = BillingOptions.Default.WithDuplicates(DuplicatePolicy.Ignore) });

        error.Message.Should().Be("row 5, column id: duplicate id 'é-1', first seen on row 3");
        (ignored.RowsRead, ignored.RowsBilled, ignored.DuplicatesIgnored).Should().Be((8L, 6L, 2L));
        ignored.Totals.Single().BillableSeconds.Should().Be(1 + 2 + 3 + 4 + 6 + 7);
    }

    [Fact]
    public void Rejects_AreNumberedAcrossRowGroups_AndNoRowIsLost()
    {
        // Groups of 2 rows: the bad row 5 is the first of the third group. Billed: 4 × 60 s = 240 s at
        // 1.40 USD/h = 0.0933… -> 0.09 USD.
        using var file = WriteGroups(
            2,
            Text("service", "real-time", "real-time", "real-time", "real-time", "real-time"),
            Text("start", "2025-09-01T02:00:00Z", "2025-09-01T02:00:00Z", "2025-09-01T02:00:00Z", "2025-09-01T02:00:00Z", "2025-09-01T02:00:00Z"),
            Text("duration_seconds", "60", "60", "60", "60", "-1"),
            Text("account", "a", "a", "a", "a", "=cmd"));

        var kept = UsageParquet.Read(file, new UsageParquetOptions { KeepRejects = true });

        kept.Rejects.Should().ContainSingle().Which.Should().Be(new RejectedParquetRow(5, "duration_seconds: the duration -1 is negative", "real-time,2025-09-01T02:00:00Z,-1,=cmd"));
        (kept.RowsRead, kept.RowsBilled + kept.Rejects.Count).Should().Be((5L, 5L));
        PriceCalculator.Compute(kept.Totals).Total.Should().Be(new Money(0.09m, "USD"));
    }

    [Fact]
    public void ABadRow_StopsTheRead_BeforeARowGroupDecodedAheadIsReported()
    {
        // Groups of 2 rows; the third group's pages are overwritten, so decoding it fails. The next
        // group is decoded while a group's rows are read: a bad row 2 must still be what is reported.
        MemoryStream File(string secondDuration)
        {
            var file = WriteGroups(
                2,
                Text("service", "real-time", "real-time", "real-time", "real-time", "real-time", "real-time"),
                Text("start", "2025-09-01T02:00:00Z", "2025-09-01T02:00:00Z", "2025-09-01T02:00:00Z", "2025-09-01T02:00:00Z", "2025-09-01T02:00:00Z", "2025-09-01T02:00:00Z"),
                Text("duration_seconds", "60", secondDuration, "60", "60", "60", "60"));
            var bytes = file.ToArray();
            var reader = global::Parquet.ParquetReader.CreateAsync(new MemoryStream(bytes)).GetAwaiter().GetResult();
            try
            {
                foreach (var chunk in reader.Metadata!.RowGroups[2].Columns)
                {
                    bytes.AsSpan((int)chunk.MetaData!.DataPageOffset, (int)chunk.MetaData.TotalCompressedSize).Fill(0xFF);
                }
            }
            finally
            {
                reader.DisposeAsync().AsTask().GetAwaiter().GetResult();
            }

            return new MemoryStream(bytes);
        }

        using var bad = File("-1");
        using var good = File("60");

        FluentActions.Invoking(() => UsageParquet.Read(bad)).Should().Throw<UsageParquetException>()
            .WithMessage("row 2, column duration_seconds: the duration -1 is negative");
        FluentActions.Invoking(() => UsageParquet.Read(good)).Should().Throw<UsageParquetException>()
            .Which.Message.Should().StartWith("cannot read ");
    }

    [Theory]
    [InlineData("duration", "missing required column 'duration_seconds'; the usage columns are id, account, service, start, duration_seconds, tag")]
    [InlineData("begin", "missing required column 'start'; the usage columns are id, account, service, start, duration_seconds, tag")]
    public void MissingRequiredColumn_NamesIt(string renamed, string reason)
    {
        using var file = Write(
            Text("service", "real-time"),
            Text(renamed == "begin" ? "begin" : "start", "2025-09-01T02:00:00Z"),
            Text(renamed == "duration" ? "duration" : "duration_seconds", "60"));

        var error = FluentActions.Invoking(() => UsageParquet.Read(file)).Should().Throw<UsageParquetException>().Which;

        (error.Row, error.Reason).Should().Be((0L, reason));
        error.Column.Should().Be(renamed == "begin" ? "start" : "duration_seconds");
    }

    [Fact]
    public void UnsupportedColumnTypes_AreNamed()
    {
        using var startAsLong = Write(Text("service", "real-time"), Values<long>("start", 1L), Text("duration_seconds", "60"));
        using var durationAsBool = Write(Text("service", "real-time"), Text("start", "2025-09-01T02:00:00Z"), Values<bool>("duration_seconds", true));
        using var localTime = Write(
            Text("service", "real-time"),
            (new DateTimeDataField("start", DateTimeFormat.Timestamp, isAdjustedToUTC: false, DateTimeTimeUnit.Micros, isNullable: true), new DateTime?[] { Sep1At2 }),
            Text("duration_seconds", "60"));

        FluentActions.Invoking(() => UsageParquet.Read(startAsLong)).Should().Throw<UsageParquetException>()
            .WithMessage("column start: the column 'start' holds Int64, which this reader does not accept; it takes timestamps adjusted to UTC, or ISO-8601 text")
            .Which.Column.Should().Be("start");
        FluentActions.Invoking(() => UsageParquet.Read(durationAsBool)).Should().Throw<UsageParquetException>()
            .WithMessage("column duration_seconds: the column 'duration_seconds' holds Boolean*it takes decimals, integers, floating-point numbers, or text");
        FluentActions.Invoking(() => UsageParquet.Read(localTime)).Should().Throw<UsageParquetException>()
            .WithMessage("column start: the column 'start' is a timestamp not adjusted to UTC*");
    }

    [Fact]
    public void ColumnsAreFoundByName_InAnyCase_AndOthersAreSkipped()
    {
        // 315 h of real-time on 2025-09-01 = 378.00 USD (tier 2, 315 × 1.20).
        using var file = Write(
            Text("region", "eu"),
            Text("Duration_Seconds", "1134000"),
            Text(" START ", "2025-09-01T02:00:00Z"),
            Values<long>("request", 7L),
            Text("Service", "real-time"));

        PriceCalculator.Compute(UsageParquet.Read(file).Totals).Total.Should().Be(new Money(378.00m, "USD"));
    }

    [Fact]
    public void TagSeconds_AreSummedOnlyWhenAsked()
    {
        var plain = UsageParquet.Read(TextUsage());
        var tagged = UsageParquet.Read(TextUsage(), new UsageParquetOptions { TagSeconds = true });

        plain.Totals.HasTagSeconds.Should().BeFalse();
        tagged.Totals.Select(t => string.Join(",", t.TagSeconds.Select(p => $"{p.Key}={p.Value}"))).Should().Equal("support=1", "sales=1800");
    }

    [Fact]
    public void AccountsAndTags_RepeatedAcrossRowGroups_KeepTheirOwnKeys()
    {
        // Nine rows of texts, padded or not, empty or null, 10 times over, written by DuckDB in row
        // groups of 30 (each group's distinct texts in a dictionary, so that rows share them in memory);
        // each row is 60 s of real-time on 2025-09-01. By hand, per nine rows: acme 5 rows (x 2, y 1,
        // untagged 2), beta 2 rows (x 1, untagged 1), the default account 2 rows (y 1, untagged 1).
        string[] accounts = ["acme", " acme", "beta", "acme ", "NULL", "beta", "''", "acme", "acme"];
        string[] tags = ["x", " x", "x", "y", "y", "NULL", "''", "''", "NULL"];
        var values = string.Join(", ", Enumerable.Range(0, 90).Select(i =>
            $"({Sql(accounts[i % 9])}, 'real-time', '2025-09-01T02:00:00Z', '60', {Sql(tags[i % 9])})"));
        var path = Path.Combine(_dir, "dictionary.parquet");
        using (var connection = new DuckDB.NET.Data.DuckDBConnection("DataSource=:memory:"))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = $"COPY (SELECT * FROM (VALUES {values}) AS t(account, service, start, duration_seconds, tag)) TO '{path}' (FORMAT parquet, ROW_GROUP_SIZE 30)";
            command.ExecuteNonQuery();
        }

        var tagged = UsageParquet.Read(path, new UsageParquetOptions { TagSeconds = true });

        tagged.Totals.Select(t => $"{t.Account}:{t.BillableSeconds}:{string.Join(",", t.TagSeconds.Select(p => $"{p.Key}={p.Value}"))}")
            .Should().Equal(":1200:y=600", "acme:3000:x=1200,y=600", "beta:1200:x=600");

        static string Sql(string text) => text is "NULL" or "''" ? text : $"'{text}'";
    }

    [Fact]
    public void ManyAccounts_InDictionaries_OrEachRowItsOwn_KeepTheirOwnKeys()
    {
        // 9,000 rows in a scrambled order, in row groups of 4,500: row i is account acct-(i mod 3000)
        // with tag t(i mod 7), 60 s of real-time on 2025-09-01. By hand: each of the 3,000 accounts has
        // rows i = k, k + 3000, k + 6000, so 180 s; acct-0's tags are t0, t4 (3000 mod 7) and t1 (6000 mod 7).
        var shared = Path.Combine(_dir, "shared.parquet");
        var unique = Path.Combine(_dir, "unique.parquet");
        using (var connection = new DuckDB.NET.Data.DuckDBConnection("DataSource=:memory:"))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText =
                $"COPY (SELECT 'acct-' || (i % 3000) AS account, 'real-time' AS service, '2025-09-01T02:00:00Z' AS start, '60' AS duration_seconds, 't' || (i % 7) AS tag FROM range(9000) r(i) ORDER BY hash(i)) TO '{shared}' (FORMAT parquet, ROW_GROUP_SIZE 4500);" +
                $"COPY (SELECT 'u-' || i AS account, 'real-time' AS service, '2025-09-01T02:00:00Z' AS start, '60' AS duration_seconds FROM range(6000) r(i) ORDER BY hash(i)) TO '{unique}' (FORMAT parquet, ROW_GROUP_SIZE 4500)";
            command.ExecuteNonQuery();
        }

        var many = UsageParquet.Read(shared, new UsageParquetOptions { TagSeconds = true }).Totals;
        var each = UsageParquet.Read(unique).Totals;

        many.Should().HaveCount(3000).And.OnlyContain(t => t.BillableSeconds == 180);
        many.Single(t => t.Account == "acct-0").TagSeconds.OrderBy(p => p.Key).Select(p => $"{p.Key}={p.Value}").Should().Equal("t0=60", "t1=60", "t4=60");
        each.Should().HaveCount(6000).And.OnlyContain(t => t.BillableSeconds == 60);
        each.Select(t => t.Account).Distinct().Should().HaveCount(6000);
    }

    [Fact]
    public void DailyTotals_TextOrTyped_AreReadAsTheyAre()
    {
        // 315 h = 1,134,000 s of real-time on 2025-09-01: 315 × 1.20 = 378.00 USD.
        using var text = Write(Text("account", "acme"), Text("service", "real-time"), Text("date", "2025-09-01"), Text("billable_seconds", "1134000"));
        using var typed = Write(
            Text("service", "real-time"),
            (new DateTimeDataField("date", DateTimeFormat.Date, isNullable: true), new DateTime?[] { new DateTime(2025, 9, 1, 0, 0, 0, DateTimeKind.Utc) }),
            Values<long>("billable_seconds", 1_134_000L));

        foreach (var file in new[] { text, typed })
        {
            var result = UsageParquet.Read(file, new UsageParquetOptions { DailyTotals = true });
            PriceCalculator.Compute(result.Totals).Total.Should().Be(new Money(378.00m, "USD"));
        }
    }

    [Theory]
    [InlineData("2025-13-01", "1", "row 1, column date: '2025-13-01' is not a date in the form YYYY-MM-DD")]
    [InlineData("2025-09-01", "-5", "row 1, column billable_seconds: the seconds -5 are negative")]
    [InlineData("2025-09-01", "1.5", "row 1, column billable_seconds: '1.5' is not a whole number of seconds")]
    public void DailyTotals_BadRow_StopsWithRowColumnAndReason(string date, string seconds, string message)
    {
        using var file = Write(Text("service", "real-time"), Text("date", date), Text("billable_seconds", seconds));

        FluentActions.Invoking(() => UsageParquet.Read(file, new UsageParquetOptions { DailyTotals = true }))
            .Should().Throw<UsageParquetException>().WithMessage(message);
    }

    [Fact]
    public void NotParquet_OrUnseekable_IsAClearError()
    {
        using var csv = new MemoryStream(Encoding.UTF8.GetBytes("service,start,duration_seconds\n"));

        FluentActions.Invoking(() => UsageParquet.Read(csv, new UsageParquetOptions { SourceName = "usage.csv" }))
            .Should().Throw<UsageParquetException>().WithMessage("cannot read usage.csv as Parquet: *");
        FluentActions.Invoking(() => UsageParquet.Read(Path.Combine(_dir, "missing.parquet")))
            .Should().Throw<UsageParquetException>().WithMessage("cannot read *missing.parquet*");
    }

    [Fact]
    public void SameRecords_ThroughCsvAndParquet_GiveTheSameBill()
    {
        // 3,000 random records over 40 accounts, 5 days and all four services, some with fractions and repeated ids.
        var random = new Random(16);
        var services = AsrService.All.Select(s => s.Id).ToArray();
        var rows = Enumerable.Range(0, 3000).Select(i => (
            Id: $"r{random.Next(2900)}",
            Account: $"acct-{random.Next(40)}",
            Service: services[random.Next(services.Length)],
            Start: new DateTime(2025, 9, 1, 0, 0, 0, DateTimeKind.Utc).AddTicks(random.NextInt64(TimeSpan.TicksPerDay * 5) / 10 * 10),
            Duration: Math.Round((decimal)random.Next(0, 40_000_000) / 1000m, 3, MidpointRounding.AwayFromZero))).ToArray();
        var csv = new StringBuilder("id,account,service,start,duration_seconds\n");
        foreach (var r in rows)
        {
            csv.Append(CultureInfo.InvariantCulture, $"{r.Id},{r.Account},{r.Service},{r.Start:yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'},{r.Duration}\n");
        }

        using var parquet = Write(
            Text("id", [.. rows.Select(r => r.Id)]),
            Text("account", [.. rows.Select(r => r.Account)]),
            Text("service", [.. rows.Select(r => r.Service)]),
            Timestamp("start", DateTimeTimeUnit.Micros, [.. rows.Select(r => (DateTime?)r.Start)]),
            Decimals("duration_seconds", 18, 3, [.. rows.Select(r => (decimal?)r.Duration)]));
        var billing = BillingOptions.Default.WithDuplicates(DuplicatePolicy.Ignore);

        var fromCsv = UsageCsv.Read(new MemoryStream(Encoding.UTF8.GetBytes(csv.ToString())), new UsageCsvOptions { Billing = billing });
        var fromParquet = UsageParquet.Read(parquet, new UsageParquetOptions { Billing = billing });
        var csvBill = PriceCalculator.Compute(fromCsv.Totals, billing);
        var parquetBill = PriceCalculator.Compute(fromParquet.Totals, billing);

        fromParquet.DuplicatesIgnored.Should().Be(fromCsv.DuplicatesIgnored).And.BeGreaterThan(0);
        parquetBill.Total.Should().Be(csvBill.Total);
        parquetBill.Charges.Select(c => (c.Account, c.Service.Id, c.Date, c.BillableSeconds, c.Fee))
            .Should().Equal(csvBill.Charges.Select(c => (c.Account, c.Service.Id, c.Date, c.BillableSeconds, c.Fee)));
    }
}
