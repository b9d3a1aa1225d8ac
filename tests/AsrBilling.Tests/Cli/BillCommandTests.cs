using System.Text.Json;

namespace AsrBilling.Tests.Cli;

public sealed class BillCommandTests : IDisposable
{
    private const string Header = "id,account,service,start,duration_seconds,tag";
    private readonly string _dir = Directory.CreateTempSubdirectory("asr-billing-tests-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void Sample_BillsTheEmbeddedLog()
    {
        // Expected values worked out by an independent Python biller (decimal, ceil per record,
        // UTC+8 days, volume tiers, half-up cents) over src/AsrBilling.Cli/Sample/sample-usage.csv.
        var (code, output, error) = CliRunner.Run("bill", "--sample", "--format", "json");

        code.Should().Be(0, error);
        using var json = JsonDocument.Parse(output);
        var root = json.RootElement;
        root.GetProperty("currency").GetString().Should().Be("USD");
        root.GetProperty("total").GetDecimal().Should().Be(323.98m);
        var charges = root.GetProperty("charges").EnumerateArray().ToList();
        charges.Should().HaveCount(12);
        var globex = charges.Single(c => c.GetProperty("account").GetString() == "globex" && c.GetProperty("service").GetString() == "recording-file");
        globex.GetProperty("date").GetString().Should().Be("2025-09-03");
        globex.GetProperty("billableSeconds").GetInt64().Should().Be(1_123_200); // 312 h: tier 2
        globex.GetProperty("tier").GetInt32().Should().Be(2);
        globex.GetProperty("unitPrice").GetDecimal().Should().Be(0.95m);
        globex.GetProperty("fee").GetDecimal().Should().Be(296.40m);
        charges.Where(c => c.GetProperty("account").GetString() == "initech" && c.GetProperty("service").GetString() == "real-time")
            .Select(c => (c.GetProperty("date").GetString(), c.GetProperty("billableSeconds").GetInt64()))
            .Should().Equal(("2025-09-01", 1L), ("2025-09-02", 0L)); // 0.2 s at 15:59:59.999Z, 0 s at 16:00Z
        charges.Should().Contain(c => c.GetProperty("account").GetString() == "" && c.GetProperty("fee").GetDecimal() == 0.04m);
        var rows = root.GetProperty("rows");
        (rows.GetProperty("read").GetInt64(), rows.GetProperty("billed").GetInt64(), rows.GetProperty("duplicates").GetInt64(), rows.GetProperty("rejected").GetInt64())
            .Should().Be((97L, 97L, 0L, 0L));
        output.Should().Contain("\"fee\":296.40").And.Contain("\"total\":323.98");
    }

    [Fact]
    public void Sample_TableShowsChargesSubtotalsAndTotal()
    {
        var (code, output, _) = CliRunner.Run("bill", "--sample");

        code.Should().Be(0);
        output.Should().Contain("globex").And.Contain("312:00:00").And.Contain("296.40 USD");
        output.Should().Contain("By account:").And.Contain("By service:");
        output.Should().Contain("Total: 323.98 USD");
        output.Should().Contain("Rows: read 97, billed 97, duplicates ignored 0, rejected 0.");
    }

    [Fact]
    public void Bill_File_ColumnsInAnyOrder_Json()
    {
        var file = Write("a.csv",
            "tag,duration_seconds,start,service,account",
            "x,3600,2025-09-02T01:00:00Z,real-time,acme",
            ",1800.5,2025-09-02T09:00:00+08:00,real-time,acme");

        var (code, output, _) = CliRunner.Run("bill", file, "--format", "json");

        code.Should().Be(0);
        using var json = JsonDocument.Parse(output);
        var charge = json.RootElement.GetProperty("charges").EnumerateArray().Single();
        // 3600 s + 1801 s = 5401 s: 5401 × 1.4 ÷ 3600 = 2.100388… → 2.10.
        charge.GetProperty("billableSeconds").GetInt64().Should().Be(5401);
        charge.GetProperty("fee").GetDecimal().Should().Be(2.10m);
    }

    /// <summary>Daily totals of 2,000 accounts × 20 days of 1 h real time each, account by account.</summary>
    private string ManyDailyTotals()
    {
        var lines = new List<string> { "account,service,date,billable_seconds" };
        for (var a = 0; a < 2_000; a++)
        {
            for (var d = 1; d <= 20; d++)
            {
                lines.Add($"a{a:D4},real-time,2025-09-{d:D2},3600");
            }
        }

        return Write("totals.csv", [.. lines]);
    }

    [Fact]
    public void Bill_Json_ChargesOfManyChunks_FormOneArrayInOrder()
    {
        // 2,000 accounts × 20 days of 1 h real time: 40,000 charges (three chunks of output), each 1 h × 1.40 = 1.40.
        var file = ManyDailyTotals();

        var (code, output, _) = CliRunner.Run("bill", file, "--daily-totals", "--format", "json");

        code.Should().Be(0);
        using var json = JsonDocument.Parse(output);
        var charges = json.RootElement.GetProperty("charges").EnumerateArray().ToList();
        charges.Should().HaveCount(40_000);
        charges.Should().OnlyContain(c => c.GetProperty("fee").GetDecimal() == 1.40m);
        charges.Select(c => $"{c.GetProperty("account").GetString()} {c.GetProperty("date").GetString()}")
            .Should().Equal(Enumerable.Range(0, 2_000).SelectMany(a => Enumerable.Range(1, 20).Select(d => $"a{a:D4} 2025-09-{d:D2}")));
        json.RootElement.GetProperty("total").GetDecimal().Should().Be(56_000.00m);
    }

    [Fact]
    public void Bill_Csv_ChargesOfManyChunks_WritesEveryLineOnceInOrder()
    {
        // 2,000 accounts × 20 days of 1 h real time: 40,000 lines in three chunks, each written into many 64 KB spans; each 1 h × 1.40 = 1.40.
        var file = ManyDailyTotals();

        var (code, output, _) = CliRunner.Run("bill", file, "--daily-totals", "--format", "csv");

        code.Should().Be(0);
        output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Should().Equal(
            ["account,service,date,billable_seconds,tier,unit_price,currency,fee",
             .. Enumerable.Range(0, 2_000).SelectMany(a => Enumerable.Range(1, 20).Select(d => $"a{a:D4},real-time,2025-09-{d:D2},3600,1,1.4,USD,1.40"))]);
    }

    [Fact]
    public void Bill_AllocationCsv_OfManyChunks_WritesEveryLineOnceInOrder()
    {
        // 600 accounts, each 30 tags × 120 s of real time on 2025-09-02: 1 h a day, 1.40, split 30 ways by
        // largest remainder: 4.67 cents each, so 4 cents each and the 20 cents left to the first 20 tags
        // (t00 to t19: 0.05; t20 to t29: 0.04). 18,000 lines: two chunks of at most 16,384 lines.
        var lines = new List<string> { Header };
        for (var a = 0; a < 600; a++)
        {
            for (var t = 0; t < 30; t++)
            {
                lines.Add($"r{a}-{t},a{a:D3},real-time,2025-09-02T01:{t:D2}:00Z,120,t{t:D2}");
            }
        }

        var file = Write("many-tags.csv", [.. lines]);

        var (code, output, error) = CliRunner.Run("bill", file, "--allocate-by", "tag", "--format", "csv");

        code.Should().Be(0, error);
        var rows = CsvRows(output);
        rows.Select(r => $"{r[0]} {r[1]} {r[4]} {r[7]}").Should().Equal(
            Enumerable.Range(0, 600).SelectMany(a => Enumerable.Range(0, 30).Select(t => $"t{t:D2} a{a:D3} 120 {(t < 20 ? "0.05" : "0.04")}")));
    }

    [Fact]
    public void Bill_AllocateByTag_Csv_DatesADailyChargeByItsDayAndAMonthlyOneByItsMonth()
    {
        var file = ChinaMarch(tagged: true);

        var (code, output, error) = CliRunner.Run("bill", file, "--prices", "tencent-cloud-china", "--allocate-by", "tag", "--format", "csv");

        code.Should().Be(0, error);
        var rows = CsvRows(output);
        rows.Select(r => $"{r[0]} {r[2]} {r[3]} {r[4]} {r[6]} {r[7]}").Should().Equal(
            "support real-time 2026-03-01 3600 CNY 0.00",
            "sales recording-file 2026-03 7200 CNY 0.00",
            "support recording-file 2026-03 3600 CNY 0.00");
    }

    [Fact]
    public void Bill_Csv_DatesADailyChargeByItsDayAndAMonthlyOneByItsMonth()
    {
        var file = ChinaMarch(tagged: false);

        var (code, output, error) = CliRunner.Run("bill", file, "--prices", "tencent-cloud-china", "--format", "csv");

        code.Should().Be(0, error);
        var rows = CsvRows(output);
        rows.Select(r => $"{r[0]} {r[1]} {r[2]} {r[3]} {r[6]} {r[7]}").Should().Equal(
            "acme real-time 2026-03-01 3600 CNY 0.00",
            "acme recording-file 2026-03 10800 CNY 0.00");
    }

    [Fact]
    public void Bill_Stdin()
    {
        var (code, output, _) = CliRunner.RunWithInput($"{Header}\nr1,acme,recording-file,2025-09-02T01:00:00Z,7200,\n", "bill", "-", "--format", "csv");

        code.Should().Be(0);
        output.Should().Be("account,service,date,billable_seconds,tier,unit_price,currency,fee\nacme,recording-file,2025-09-02,7200,1,1,USD,2.00\n");
    }

    [Theory]
    [InlineData("r2,acme,real-time,2025-09-02T01:00:00,60,", "line 3, column start: '2025-09-02T01:00:00' has no offset")]
    [InlineData("r2,acme,real-time,9999-12-31T23:59:59-18:00,60,", "line 3, column start: '9999-12-31T23:59:59-18:00' is outside the instants that can be billed")]
    [InlineData("r2,acme,real-time,\"9999-12-31T23:59:59-18:00\",60,", "line 3, column start: '9999-12-31T23:59:59-18:00' is outside the instants that can be billed")]
    [InlineData("r2,acme,realtime,2025-09-02T01:00:00Z,60,", "line 3, column service: unknown service id 'realtime'; valid ids: real-time, real-time-large-model, recording-file, recording-file-large-model")]
    [InlineData("r2,acme,real-time,2025-09-02T01:00:00Z,-5,", "line 3, column duration_seconds: the duration -5 is negative")]
    [InlineData("r2,acme,real-time,2025-09-02T01:00:00Z,abc,", "line 3, column duration_seconds: 'abc' is not a number of seconds")]
    [InlineData("r2,acme,real-time,2025-09-02T01:00:00Z,60", "line 3: expected 6 fields, found 5")]
    [InlineData("r1,acme,real-time,2025-09-02T01:00:00Z,60,", "line 3, column id: duplicate id 'r1', first seen on line 2")]
    public void Bill_BadRow_StopsWithLineColumnAndReason(string badRow, string reason)
    {
        var file = Write("bad.csv", Header, "r1,acme,real-time,2025-09-02T01:00:00Z,60,", badRow, "r9,acme,real-time,2025-09-02T01:00:00Z,60,");

        var (code, output, error) = CliRunner.Run("bill", file);

        code.Should().Be(1);
        output.Should().BeEmpty();
        error.Should().StartWith("asr-billing: " + reason);
    }

    [Fact]
    public void Bill_Rejects_BillsValidRowsAndLosesNone()
    {
        var file = Write("mixed.csv",
            Header,
            "r1,acme,real-time,2025-09-02T01:00:00Z,3600,",
            "r2,acme,real-time,not-a-time,60,",
            "r1,acme,real-time,2025-09-02T02:00:00Z,3600,",
            "r3,=cmd|' /C calc'!A0,real-time,2025-09-02T03:00:00Z,1800,",
            "r4,acme,speech,2025-09-02T03:00:00Z,60,");
        var rejects = Path.Combine(_dir, "rejects.csv");

        var (code, output, error) = CliRunner.Run("bill", file, "--rejects", rejects, "--format", "json");

        code.Should().Be(0);
        error.Should().Contain("read 5 rows: billed 2, duplicates ignored 0, rejected 3");
        using var json = JsonDocument.Parse(output);
        var rows = json.RootElement.GetProperty("rows");
        (rows.GetProperty("read").GetInt64(), rows.GetProperty("billed").GetInt64(), rows.GetProperty("rejected").GetInt64()).Should().Be((5L, 2L, 3L));
        // 1 h of acme (1.40) and 0.5 h of the formula-named account (0.70).
        json.RootElement.GetProperty("total").GetDecimal().Should().Be(2.10m);
        var lines = File.ReadAllLines(rejects);
        lines[0].Should().Be("line,reason,row");
        lines.Skip(1).Select(l => l.Split(',')[0]).Should().Equal("3", "4", "6");
        lines[1].Should().Contain("start: 'not-a-time' is not an ISO-8601 instant").And.EndWith("r2,acme,real-time,not-a-time,60,\"");
        lines[2].Should().Contain("id: duplicate id 'r1', first seen on line 2");
        lines[3].Should().Contain("service: unknown service id 'speech'");
    }

    [Theory]
    [InlineData("id,account,service,duration_seconds")]
    [InlineData("id,account,service,start,duration_seconds,start")]
    [InlineData("")]
    public void Bill_Rejects_AHeaderErrorLeavesTheRejectsFileAlone(string header)
    {
        var file = Write("header.csv", header, "r1,acme,real-time,60,");
        var kept = Path.Combine(_dir, "kept.csv");
        File.WriteAllText(kept, "line,reason,row\n7,an earlier run,x\n");
        var absent = Path.Combine(_dir, "absent.csv");

        var first = CliRunner.Run("bill", file, "--rejects", kept);
        var second = CliRunner.Run("bill", file, "--rejects", absent);

        (first.Code, second.Code).Should().Be((1, 1));
        File.ReadAllText(kept).Should().Be("line,reason,row\n7,an earlier run,x\n");
        File.Exists(absent).Should().BeFalse();
    }

    [Fact]
    public void Bill_Rejects_RowsAsReadWithFormulasNeutralised()
    {
        var file = Write("formula.csv", Header, "=1+2,acme,real-time,not-a-time,60,", "-7,acme,real-time,2025-09-02T01:00:00Z,x,");
        var rejects = Path.Combine(_dir, "formula-rejects.csv");

        var (code, _, error) = CliRunner.Run("bill", file, "--rejects", rejects);

        code.Should().Be(0, error);
        var lines = File.ReadAllLines(rejects);
        lines.Should().HaveCount(3);
        lines[1].Should().StartWith("2,").And.EndWith(",\"'=1+2,acme,real-time,not-a-time,60,\"");
        lines[2].Should().StartWith("3,").And.EndWith(",\"'-7,acme,real-time,2025-09-02T01:00:00Z,x,\"");
    }

    [Fact]
    public void Bill_Rejects_InAFolderThatDoesNotExist_FailsBeforeReading()
    {
        var (code, output, error) = CliRunner.Run("bill", "--sample", "--rejects", Path.Combine(_dir, "no-such-folder", "r.csv"));

        code.Should().Be(1);
        output.Should().BeEmpty();
        error.Should().StartWith("asr-billing: --rejects: cannot write").And.Contain("does not exist");
    }

    [Fact]
    public void Bill_DuplicatesIgnored_AreCountedNotBilled()
    {
        var file = Write("dups.csv", Header,
            "r1,acme,real-time,2025-09-02T01:00:00Z,3600,",
            "r1,acme,real-time,2025-09-02T02:00:00Z,7200,",
            "r2,acme,real-time,2025-09-02T03:00:00Z,3600,");

        var (code, output, _) = CliRunner.Run("bill", file, "--duplicates", "ignore", "--format", "json");

        code.Should().Be(0);
        using var json = JsonDocument.Parse(output);
        json.RootElement.GetProperty("total").GetDecimal().Should().Be(2.80m); // 2 h × 1.4, the first r1 kept
        json.RootElement.GetProperty("rows").GetProperty("duplicates").GetInt64().Should().Be(1);
        json.RootElement.GetProperty("rows").GetProperty("billed").GetInt64().Should().Be(2);
    }

    [Fact]
    public void Bill_Csv_NeutralisesFormulasAndQuotes()
    {
        var file = Write("f.csv", Header,
            "r1,\"=HYPERLINK(\"\"x\"\")\",real-time,2025-09-02T01:00:00Z,3600,",
            "r2,\"a,b\",real-time,2025-09-02T01:00:00Z,3600,");

        var (code, output, _) = CliRunner.Run("bill", file, "--format", "csv");

        code.Should().Be(0);
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        lines.Should().Contain("'=HYPERLINK(\"x\"),real-time,2025-09-02,3600,1,1.4,USD,1.40".Replace("'=HYPERLINK(\"x\")", "\"'=HYPERLINK(\"\"x\"\")\"", StringComparison.Ordinal));
        lines.Should().Contain("\"a,b\",real-time,2025-09-02,3600,1,1.4,USD,1.40");
    }

    [Fact]
    public void Bill_ByMonth_FoldsDaysAndKeepsThem()
    {
        var file = Write("m.csv", Header,
            "r1,acme,real-time,2025-09-30T01:00:00Z,3600,",
            "r2,acme,real-time,2025-09-29T01:00:00Z,1800,",
            "r3,acme,real-time,2025-10-01T01:00:00Z,3600,");

        var (code, output, _) = CliRunner.Run("bill", file, "--by", "month", "--format", "json");

        code.Should().Be(0);
        using var json = JsonDocument.Parse(output);
        var months = json.RootElement.GetProperty("charges").EnumerateArray().ToList();
        months.Select(m => (m.GetProperty("month").GetString(), m.GetProperty("fee").GetDecimal())).Should().Equal(("2025-09", 2.10m), ("2025-10", 1.40m));
        months[0].GetProperty("days").EnumerateArray().Select(d => d.GetProperty("date").GetString()).Should().Equal("2025-09-29", "2025-09-30");
    }

    [Fact]
    public void Bill_ByMonth_AMonthThatChangesCurrencyAndBack_HasOneLinePerCurrency()
    {
        // Real-time in USD, then CNY from 10 September, then USD again from 20 September: acme's
        // September is USD (5th and 25th, 1.40 each), then CNY (15th, 10.00); beta's is USD (0.70).
        var book = Write("switch.json", """
            {"format":"asr-billing-price-book","version":1,"name":"Currency switch","tables":[
             {"service":"real-time","currency":"USD","effectiveFrom":"2025-01-01","tiers":[{"from":0,"unitPrice":1.4}]},
             {"service":"real-time","currency":"CNY","effectiveFrom":"2025-09-10","tiers":[{"from":0,"unitPrice":10}]},
             {"service":"real-time","currency":"USD","effectiveFrom":"2025-09-20","tiers":[{"from":0,"unitPrice":1.4}]}]}
            """);
        var file = Write("switch.csv", Header,
            "r1,acme,real-time,2025-09-05T01:00:00Z,3600,",
            "r2,acme,real-time,2025-09-15T01:00:00Z,3600,",
            "r3,acme,real-time,2025-09-25T01:00:00Z,3600,",
            "r4,beta,real-time,2025-09-25T01:00:00Z,1800,");

        var (code, csv, _) = CliRunner.Run("bill", file, "--prices", book, "--by", "month", "--format", "csv");
        var (_, output, _) = CliRunner.Run("bill", file, "--prices", book, "--by", "month", "--format", "json");

        code.Should().Be(0);
        csv.Should().Be("""
            account,service,month,billable_seconds,currency,fee
            acme,real-time,2025-09,7200,USD,2.80
            acme,real-time,2025-09,3600,CNY,10.00
            beta,real-time,2025-09,1800,USD,0.70

            """.ReplaceLineEndings("\n"));
        using var json = JsonDocument.Parse(output);
        var months = json.RootElement.GetProperty("charges").EnumerateArray().ToList();
        months.Select(m => string.Join(" ", m.GetProperty("days").EnumerateArray().Select(d => d.GetProperty("date").GetString())))
            .Should().Equal("2025-09-05 2025-09-25", "2025-09-15", "2025-09-25");
    }

    [Fact]
    public void Bill_DailyTotals_PricesTotalsFromAnotherEngine()
    {
        var file = Write("t.csv", "account,service,date,billable_seconds", "acme,real-time,2025-09-02,1134000", "acme,real-time,2025-09-03,1079999");

        var (code, output, _) = CliRunner.Run("bill", file, "--daily-totals", "--format", "json");

        code.Should().Be(0);
        using var json = JsonDocument.Parse(output);
        // 315 h → 378.00 (tier 2); 1,079,999 s is 1 s short of 300 h → tier 1: 419.99961… → 420.00.
        json.RootElement.GetProperty("charges").EnumerateArray().Select(c => c.GetProperty("fee").GetDecimal()).Should().Equal(378.00m, 420.00m);
    }

    [Fact]
    public void Bill_Json_OfMoreAccountsThanAChunk_ListsEverySubtotalOnceInOrder()
    {
        // 20,000 accounts (more than a chunk of 16,384 lines) of 1 h real time each: 1.40 USD each, 28,000.00 in all.
        var lines = new List<string> { "account,service,date,billable_seconds" };
        lines.AddRange(Enumerable.Range(0, 20_000).Select(a => $"acct-{a:D5},real-time,2025-09-02,3600"));
        var file = Write("many.csv", [.. lines]);

        var (code, output, _) = CliRunner.Run("bill", file, "--daily-totals", "--format", "json");

        code.Should().Be(0);
        using var json = JsonDocument.Parse(output);
        json.RootElement.GetProperty("total").GetDecimal().Should().Be(28_000.00m);
        var byAccount = json.RootElement.GetProperty("byAccount").EnumerateArray().ToList();
        byAccount.Select(s => s.GetProperty("key").GetString()).Should().Equal(Enumerable.Range(0, 20_000).Select(a => $"acct-{a:D5}"));
        byAccount.Should().OnlyContain(s => s.GetProperty("fee").GetDecimal() == 1.40m && s.GetProperty("billableSeconds").GetInt64() == 3600
            && s.GetProperty("currency").GetString() == "USD");
        json.RootElement.GetProperty("byService").EnumerateArray().Single().GetProperty("fee").GetDecimal().Should().Be(28_000.00m);
    }

    [Fact]
    public void Bill_Zone_MovesTheBillingDay()
    {
        var file = Write("z.csv", Header, "r1,acme,real-time,2025-09-02T03:00:00Z,60,");

        var (_, shanghai, _) = CliRunner.Run("bill", file, "--format", "csv");
        var (_, newYork, _) = CliRunner.Run("bill", file, "--format", "csv", "--zone", "America/New_York");

        shanghai.Should().Contain(",2025-09-02,");
        newYork.Should().Contain(",2025-09-01,");
    }

    [Fact]
    public void Bill_ExportWithColumnsTheToolDoesNotUse_IsBilled()
    {
        var file = Write("export.csv",
            "region,id,account,service,request_id,start,duration_seconds,tag",
            "ap-guangzhou,r1,acme,real-time,req-9f2,2025-09-02T01:00:00Z,3600,",
            "ap-guangzhou,r2,acme,real-time,req-9f3,2025-09-02T02:00:00Z,1800,");

        var (code, output, error) = CliRunner.Run("bill", file, "--format", "csv");

        code.Should().Be(0, error);
        // 5400 s of real-time at 1.40 USD/h: 5400 × 1.4 ÷ 3600 = 2.10.
        output.Should().Be("account,service,date,billable_seconds,tier,unit_price,currency,fee\nacme,real-time,2025-09-02,5400,1,1.4,USD,2.10\n");
    }

    [Theory]
    [InlineData("id,account,service,start,duration,tag", "line 1: missing required column 'duration_seconds'")]
    [InlineData("id,account,service,duration_seconds", "line 1: missing required column 'start'")]
    [InlineData("id,service,start,duration_seconds,service", "line 1, column 5: the column 'service' appears twice, as columns 2 and 5")]
    [InlineData("", "is empty: expected a header row such as id,account,service,start,duration_seconds,tag")]
    public void Bill_BadHeader_HasItsOwnMessage(string header, string reason)
    {
        var file = Write("h.csv", header);

        var (code, output, error) = CliRunner.Run("bill", file);

        code.Should().Be(1);
        output.Should().BeEmpty();
        error.Should().Contain(reason);
    }

    [Fact]
    public void Bill_MissingFile_SaysSo()
    {
        var (code, _, error) = CliRunner.Run("bill", Path.Combine(_dir, "nope.csv"));

        code.Should().Be(1);
        error.Should().Contain("cannot read").And.Contain("nope.csv").And.Contain("no such file");
    }

    [Theory]
    [InlineData(new string[0], "give the usage CSV to bill")]
    [InlineData(new[] { "x.csv", "--sample" }, "not both")]
    public void Bill_NeedsExactlyOneInput(string[] extra, string reason)
    {
        var (code, _, error) = CliRunner.Run(["bill", .. extra]);

        code.Should().Be(2);
        error.Should().Contain(reason);
    }

    [Fact]
    public void Bill_UnknownZone_IsAUsageError()
    {
        var (code, output, error) = CliRunner.Run("bill", "--sample", "--zone", "Mars/Olympus");

        code.Should().Be(2);
        output.Should().BeEmpty();
        error.Should().Contain("unknown time zone 'Mars/Olympus'");
    }

    [Fact]
    public void Bill_FirstRowsFullOfSemicolons_AreStillSplitAtCommas()
    {
        // A CSV reader that guesses the delimiter from the first record it sees would pick ';' here:
        // both in the quoted first row and in the daily totals.
        var usage = Write("semicolons.csv", Header,
            "r1,acme,real-time,2025-09-02T01:00:00Z,3600,\"a;b;c;d;e;f;g\"",
            "r2,acme,real-time,2025-09-02T02:00:00Z,1800,x;y");
        var totals = Write("semicolon-totals.csv", "account,service,date,billable_seconds", "a;b;c;d;e,real-time,2025-09-02,7200");

        var (code, output, error) = CliRunner.Run("bill", usage, "--format", "csv", "--allocate-by", "tag");
        var daily = CliRunner.Run("bill", totals, "--daily-totals", "--format", "csv");

        code.Should().Be(0, error);
        // 1.5 h at 1.40 = 2.10, split by seconds: 3600 s → 1.40, 1800 s → 0.70.
        output.Should().Contain("a;b;c;d;e;f;g,acme,real-time,2025-09-02,3600,").And.Contain(",USD,1.40\n");
        output.Should().Contain("x;y,acme,real-time,2025-09-02,1800,").And.Contain(",USD,0.70\n");
        daily.Code.Should().Be(0, daily.Err);
        daily.Out.Should().Contain("a;b;c;d;e,real-time,2025-09-02,7200,1,1.4,USD,2.80");
    }

    [Theory]
    [InlineData("day")]
    [InlineData("month")]
    public void Json_NoObjectRepeatsAProperty(string by)
    {
        var (code, output, error) = CliRunner.Run("bill", "--sample", "--format", "json", "--by", by);

        code.Should().Be(0, error);
        var reader = new Utf8JsonReader(System.Text.Encoding.UTF8.GetBytes(output));
        var names = new Stack<HashSet<string>>();
        var repeated = new List<string>();
        while (reader.Read())
        {
            switch (reader.TokenType)
            {
                case JsonTokenType.StartObject:
                    names.Push([]);
                    break;
                case JsonTokenType.EndObject:
                    names.Pop();
                    break;
                case JsonTokenType.PropertyName when !names.Peek().Add(reader.GetString()!):
                    repeated.Add(reader.GetString()!);
                    break;
            }
        }

        repeated.Should().BeEmpty();
        output.Should().Contain("\"billableSeconds\":1123200,\"tier\":2"); // globex's 312 h day, written once
    }

    /// <summary>
    /// China prices real time by day and recording files by month: real time 1 h on 1 March (5 free hours: 0.00 CNY);
    /// recording files 1 h on 2 March and 2 h on 20 March, one March charge of 3 h (10 free hours: 0.00 CNY).
    /// Tagged, the first two rows are support's and the third sales'.
    /// </summary>
    private string ChinaMarch(bool tagged) => Write(tagged ? "china-tagged.csv" : "china.csv", Header,
        $"r1,acme,real-time,2026-03-01T01:00:00Z,3600,{(tagged ? "support" : "")}",
        $"r2,acme,recording-file,2026-03-02T01:00:00Z,3600,{(tagged ? "support" : "")}",
        $"r3,acme,recording-file,2026-03-20T01:00:00Z,7200,{(tagged ? "sales" : "")}");

    /// <summary>A CSV output's lines after the header, split at commas (no cell of these tests holds one).</summary>
    private static List<string[]> CsvRows(string output) =>
        [.. output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Skip(1).Select(l => l.Split(','))];

    private string Write(string name, params string[] lines)
    {
        var path = Path.Combine(_dir, name);
        File.WriteAllText(path, string.Join("\n", lines) + (lines.Length > 0 && lines[0].Length > 0 ? "\n" : string.Empty));
        return path;
    }
}
