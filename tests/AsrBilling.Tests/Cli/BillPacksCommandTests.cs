using System.Globalization;
using System.Text.Json;

namespace AsrBilling.Tests.Cli;

/// <summary>
/// <c>bill --packs FILE</c> and <c>forecast --packs FILE</c> on small usage logs. Starts at 01:00Z are
/// 09:00 the same day in Shanghai. Prices: international real-time 1.40 USD/h and recording file
/// 1.00 USD/h below 300 h a day; China real-time 3.20 / 2.80 CNY/h from 0 / 300 h a day (5 free
/// hours a month), China recording file 1.75 CNY/h a month (10 free hours). Expected values by hand.
/// </summary>
public sealed class BillPacksCommandTests : IDisposable
{
    private const string Header = "id,account,service,start,duration_seconds\n";

    private readonly string _dir = Directory.CreateTempSubdirectory("asr-billing-packs-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void PackThatRunsOutMidDay()
    {
        // rt-30: 30 h. 1 March 20 h covered; 2 March 10 h covered and 10 h paid: 10 × 1.40 = 14.00 USD.
        var json = BillJson(
            "a,,real-time,2026-03-01T01:00:00Z,72000|b,,real-time,2026-03-02T01:00:00Z,72000",
            Pack("rt-30", "real-time", 30, "2026-01-01", "2026-12-31"));

        Charges(json).Should().Equal(("2026-03-01", 72_000L, 0.00m), ("2026-03-02", 36_000L, 14.00m));
        json.GetProperty("total").GetDecimal().Should().Be(14.00m);
        var pack = json.GetProperty("packs")[0];
        (pack.GetProperty("usedSeconds").GetInt64(), pack.GetProperty("leftSeconds").GetInt64()).Should().Be((108_000L, 0L));
    }

    [Fact]
    public void TwoPacksThatExpireOnDifferentDates()
    {
        // long-10 (to 30 June, listed first) and short-10 (to 31 March). 15 March, 15 h: short-10 10 h,
        // long-10 5 h. 10 April, 8 h: long-10 5 h, 3 h paid: 3 × 1.40 = 4.20 USD.
        var json = BillJson(
            "a,,real-time,2026-03-15T01:00:00Z,54000|b,,real-time,2026-04-10T01:00:00Z,28800",
            Pack("long-10", "real-time", 10, "2026-01-01", "2026-06-30"),
            Pack("short-10", "real-time", 10, "2026-01-01", "2026-03-31"));

        var charges = json.GetProperty("charges").EnumerateArray().ToList();
        charges.Select(c => string.Join(" ", c.GetProperty("packs").EnumerateArray().Select(p => $"{p.GetProperty("id").GetString()}:{p.GetProperty("seconds").GetInt64()}")))
            .Should().Equal("short-10:36000 long-10:18000", "long-10:18000");
        json.GetProperty("total").GetDecimal().Should().Be(4.20m);
    }

    [Fact]
    public void PackThatExpiredBeforeTheUsage()
    {
        // old-7 (7 h, 10 USD) ends 28 February. 27 Feb 4 h covered; 5 March 2 h paid: 2.80 USD.
        // As of 31 March, 3 h expired, worth 10 × 3 ÷ 7 = 4.2857… = 4.29 USD.
        var json = BillJson(
            "a,,real-time,2026-02-27T01:00:00Z,14400|b,,real-time,2026-03-05T01:00:00Z,7200",
            Pack("old-7", "real-time", 7, "2026-01-01", "2026-02-28", price: "10", currency: "USD"));

        Charges(json).Should().Equal(("2026-02-27", 14_400L, 0.00m), ("2026-03-05", 0L, 2.80m));
        var pack = json.GetProperty("packs")[0];
        (json.GetProperty("packsAsOf").GetString(), pack.GetProperty("expiredSeconds").GetInt64(), pack.GetProperty("expiredValue").GetDecimal())
            .Should().Be(("2026-03-31", 10_800L, 4.29m));
    }

    [Fact]
    public void FreeHoursAndAPackOnTheSameDay_InEveryFormat()
    {
        // China book, 10 March, 315 h: 5 free hours, then rt-30's 30 h, then 280 h paid at the tier
        // that all 315 h reach (2.80): 280 × 2.80 = 784.00 CNY.
        const string Rows = "a,acme,real-time,2026-03-10T01:00:00Z,1134000";
        var packs = Pack("rt-30", "real-time", 30, "2026-01-01", "2026-12-31", price: "90", currency: "CNY", account: "acme");

        var json = BillJson(Rows, ["--prices", "tencent-cloud-china"], packs);
        var table = Bill(Rows, ["--prices", "tencent-cloud-china"], packs);
        var csv = Bill(Rows, ["--prices", "tencent-cloud-china", "--format", "csv"], packs);
        var focus = Bill(Rows, ["--prices", "tencent-cloud-china", "--format", "focus"], packs);

        var charge = json.GetProperty("charges")[0];
        (charge.GetProperty("allowanceSeconds").GetDecimal(), charge.GetProperty("packSeconds").GetInt64(), charge.GetProperty("tier").GetInt32(), charge.GetProperty("fee").GetDecimal())
            .Should().Be((18_000m, 108_000L, 2, 784.00m));
        table.Should().Contain("acme     real-time  2026-03-10  315:00:00  5:00:00  30:00:00     2  2.80 CNY/h  784.00 CNY\n")
            .And.Contain("rt-30  acme     real-time  2026-01-01 to 2026-12-31     30    30  2026-03: 30 h     0        0       0.00 CNY\n")
            .And.Contain("Total: 784.00 CNY\n");
        csv.Should().Be(
            "account,service,date,billable_seconds,tier,unit_price,currency,fee,allowance_seconds,pack_seconds,packs\n"
            + "acme,real-time,2026-03-10,1134000,2,2.8,CNY,784.00,18000,108000,rt-30:108000\n");
        var focusLines = focus.TrimEnd('\n').Split('\n');
        focusLines[0].Should().EndWith(",x_AllowanceSeconds,x_PackSeconds,x_PackCoverage");
        focusLines[1].Should().Contain(",CNY,784.00,784.00,784.00,784.00,").And.EndWith(",18000,108000,rt-30:108000");
    }

    [Fact]
    public void MonthlyWindow_PackThatExpiresMidMonth()
    {
        // China recording file, April: 2 Apr 40 h (10 free, 30 from rf-60), 15 Apr 10 h (rf-60),
        // 20 Apr 30 h (rf-60 ended on 15 April: paid). 30 × 1.75 = 52.50 CNY; rf-60 expired with
        // 20 h unused, worth 90 × 20 ÷ 60 = 30.00 CNY.
        var json = BillJson(
            "a,,recording-file,2026-04-02T01:00:00Z,144000|b,,recording-file,2026-04-15T01:00:00Z,36000|c,,recording-file,2026-04-20T01:00:00Z,108000",
            ["--prices", "tencent-cloud-china"],
            Pack("rf-60", "recording-file", 60, "2026-01-01", "2026-04-15", price: "90", currency: "CNY"));

        Charges(json).Should().Equal(("2026-04", 144_000L, 52.50m));
        var pack = json.GetProperty("packs")[0];
        (pack.GetProperty("usedSeconds").GetInt64(), pack.GetProperty("expiredSeconds").GetInt64(), pack.GetProperty("expiredValue").GetDecimal())
            .Should().Be((144_000L, 72_000L, 30.00m));
    }

    [Fact]
    public void UsageOfAnotherAccountOrService_IsNotCovered()
    {
        // acme-rt covers acme's real-time only: acme real-time 1 h 0.00; acme recording file 3 h 3.00;
        // beta real-time 2 h 2.80; the default account's real-time 4 h 5.60. Total 11.40 USD.
        var json = BillJson(
            "a,acme,real-time,2026-03-01T01:00:00Z,3600|b,acme,recording-file,2026-03-01T01:00:00Z,10800|c,beta,real-time,2026-03-01T01:00:00Z,7200|d,,real-time,2026-03-01T01:00:00Z,14400",
            Pack("acme-rt", "real-time", 100, "2026-01-01", "2026-12-31", account: "acme"));

        Charges(json).Should().Equal(("2026-03-01", 0L, 5.60m), ("2026-03-01", 3600L, 0.00m), ("2026-03-01", 0L, 3.00m), ("2026-03-01", 0L, 2.80m));
        json.GetProperty("total").GetDecimal().Should().Be(11.40m);
    }

    [Fact]
    public void AllocateByAccount_ShowsThePacksTable()
    {
        var output = Bill("a,acme,real-time,2026-03-01T01:00:00Z,3600", ["--allocate-by", "account"], Pack("acme-rt", "real-time", 100, "2026-01-01", "2026-12-31", account: "acme"));

        output.Should().Contain("Packs as of 2026-03-31").And.Contain("acme-rt  acme     real-time");
    }

    [Fact]
    public void Forecast_WithPacks_DeductsThem()
    {
        // 2 h a day in March on the China book: 62 h, 5 free, 30 from rt-30, 27 paid × 3.20 = 86.40 CNY.
        var path = PackFile(Pack("rt-30", "real-time", 30, "2026-01-01", "2026-12-31"));

        var (code, output, error) = CliRunner.Run("forecast", "real-time", "--hours-per-day", "2", "--month", "2026-03", "--prices", "tencent-cloud-china", "--packs", path);

        var json = CliRunner.Run("forecast", "real-time", "--hours-per-day", "2", "--month", "2026-03", "--prices", "tencent-cloud-china", "--packs", path, "--json");

        code.Should().Be(0, error);
        output.Should().Contain("real-time  86.40 CNY    +0.00 CNY       5      30  1 (31 windows)");
        var service = JsonDocument.Parse(json.Out).RootElement.GetProperty("services")[0];
        service.GetProperty("days").EnumerateArray().Sum(d => d.GetProperty("packSeconds").GetInt64()).Should().Be(108_000L);
        service.GetProperty("packs")[0].GetProperty("usedSeconds").GetInt64().Should().Be(108_000L);
        service.GetProperty("total").GetDecimal().Should().Be(86.40m);
    }

    [Fact]
    public void PackPricedInAnotherCurrency_IsBadInput()
    {
        var path = PackFile(Pack("rt-30", "real-time", 30, "2026-01-01", "2026-12-31", price: "90", currency: "CNY"));

        var (code, output, error) = CliRunner.RunWithInput(Header + "a,,real-time,2026-03-01T01:00:00Z,60\n", "bill", "-", "--packs", path);

        (code, output).Should().Be((1, string.Empty));
        error.Should().Be($"asr-billing: --packs {path}: The pack 'rt-30' (packs[0]) is priced in CNY, but the price book 'Tencent Cloud international, 2025-08-19' prices real-time in USD; give the pack's price in USD.\n");
    }

    [Fact]
    public void BadPackFile_IsBadInput_WithTheJsonPath()
    {
        var path = PackFile(Pack("rt-30", "real-time", 30, "2026-02-01", "2026-01-31"));
        var missing = Path.Combine(_dir, "missing.json");

        var bad = CliRunner.RunWithInput(Header + "a,,real-time,2026-03-01T01:00:00Z,60\n", "bill", "-", "--packs", path);
        var absent = CliRunner.RunWithInput(Header, "bill", "-", "--packs", missing);

        (bad.Code, bad.Out).Should().Be((1, string.Empty));
        bad.Err.Should().StartWith($"asr-billing: --packs {path}: $.packs[0].validTo: ");
        (absent.Code, absent.Err).Should().Be((1, $"asr-billing: --packs: '{missing}' is not a file.\n"));
    }

    private static string Pack(string id, string service, int hours, string from, string to, string? price = null, string? currency = null, string? account = null) =>
        $$"""{"id": "{{id}}", "service": "{{service}}", "hours": {{hours}}, "validFrom": "{{from}}", "validTo": "{{to}}"{{(price is null ? string.Empty : $", \"price\": {price}, \"currency\": \"{currency}\"")}}{{(account is null ? string.Empty : $", \"account\": \"{account}\"")}}}""";

    private string PackFile(params string[] packs)
    {
        var path = Path.Combine(_dir, $"packs-{Guid.NewGuid():N}.json");
        File.WriteAllText(path, $$"""{"format": "asr-billing-packs", "version": 1, "packs": [{{string.Join(", ", packs)}}]}""");
        return path;
    }

    private string Bill(string rows, string[] args, params string[] packs)
    {
        var (code, output, error) = CliRunner.RunWithInput(Header + rows.Replace('|', '\n') + "\n", ["bill", "-", "--packs", PackFile(packs), .. args]);
        code.Should().Be(0, error);
        return output;
    }

    private JsonElement BillJson(string rows, params string[] packs) => BillJson(rows, [], packs);

    private JsonElement BillJson(string rows, string[] args, params string[] packs) =>
        JsonDocument.Parse(Bill(rows, [.. args, "--format", "json"], packs)).RootElement.Clone();

    private static List<(string Date, long PackSeconds, decimal Fee)> Charges(JsonElement json) =>
    [
        .. json.GetProperty("charges").EnumerateArray().Select(c => (
            c.GetProperty("date").GetString()!,
            c.GetProperty("packSeconds").GetInt64(),
            decimal.Parse(c.GetProperty("fee").GetRawText(), CultureInfo.InvariantCulture))),
    ];
}
