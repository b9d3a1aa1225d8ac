using System.Text.Json;

namespace AsrBilling.Tests.Cli;

/// <summary><c>--prices NAME|FILE</c> on every command that takes it, and <c>tiers --json</c> in the price-book format.</summary>
public sealed class PricesOptionTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("asr-billing-prices-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static string AwsFile => PriceData.ExamplePriceFiles.AwsTranscribeUsEast1Path;

    [Fact]
    public void TiersJson_IsThePriceBookFormat_AndLoadsBack()
    {
        var (code, output, _) = CliRunner.Run("tiers", "--json");

        code.Should().Be(0);
        var book = PriceBookJson.Load(output);
        book.Tables.Should().Equal(PriceBook.TencentCloudInternational.Tables);
        book.Name.Should().Be("Tencent Cloud international, 2025-08-19");
    }

    [Fact]
    public void Bill_WithAnotherVendorsPriceBook()
    {
        // Amazon Transcribe us-east-1, graduated per month, 15 s minimum per request:
        // acme, December 2026: 3 s (bills 15 s) + 4166 h (14,997,600 s) + 1000 s = 14,998,615 s, all in
        // tier 1 (up to 250,000 min = 15,000,000 s) at 0.024 USD/min: 14,998,615 × 0.024 ÷ 60 = 5999.446 → 5999.45.
        // globex: 20,000,000 s = 333,333.33… min: 250,000 × 0.024 + 83,333.33… × 0.015 = 6000 + 1250 = 7250.00.
        var usage = Path.Combine(_dir, "aws.csv");
        File.WriteAllText(usage, string.Join("\n",
            "id,account,service,start,duration_seconds",
            "1,acme,aws-transcribe-standard,2026-12-01T10:00:00Z,3",
            "2,acme,aws-transcribe-standard,2026-12-02T10:00:00Z,14997600",
            "3,acme,aws-transcribe-standard,2026-12-20T10:00:00Z,1000",
            "4,globex,aws-transcribe-standard,2026-12-05T10:00:00Z,20000000") + "\n");

        var (code, output, error) = CliRunner.Run("bill", usage, "--prices", AwsFile, "--zone", "UTC", "--format", "json");

        code.Should().Be(0, error);
        using var json = JsonDocument.Parse(output);
        var charges = json.RootElement.GetProperty("charges").EnumerateArray().ToList();
        charges.Select(c => (c.GetProperty("account").GetString(), c.GetProperty("date").GetString(), c.GetProperty("billableSeconds").GetInt64(), c.GetProperty("fee").GetDecimal()))
            .Should().Equal(("acme", "2026-12", 14_998_615L, 5999.45m), ("globex", "2026-12", 20_000_000L, 7250.00m));
        charges[0].GetProperty("days").EnumerateArray().Should().HaveCount(3);
        json.RootElement.GetProperty("total").GetDecimal().Should().Be(13_249.45m);
    }

    [Fact]
    public void Price_WithAnotherVendorsPriceBook()
    {
        // 300,000 min = 5000 h in one month: 250,000 × 0.024 + 50,000 × 0.015 = 6750.00.
        var (code, output, error) = CliRunner.Run("price", "aws-transcribe-standard", "5000", "--prices", AwsFile, "--json");

        code.Should().Be(0, error);
        using var json = JsonDocument.Parse(output);
        json.RootElement.GetProperty("fee").GetDecimal().Should().Be(6750.00m);
        json.RootElement.GetProperty("explanation").GetString().Should().Contain("graduated");
    }

    [Fact]
    public void Tiers_ShowsTheBooksRules()
    {
        var (code, output, _) = CliRunner.Run("tiers", "--prices", AwsFile);

        code.Should().Be(0);
        output.Should().Contain("aws-transcribe-standard").And.Contain("graduated, up to inclusive, per month, 1 s increments, 15 s minimum");
    }

    [Fact]
    public void Prices_BadFile_NamesTheFileAndThePath()
    {
        var file = Path.Combine(_dir, "bad.json");
        File.WriteAllText(file, PriceBookJson.Save(PriceBook.TencentCloudInternational).Replace("\"currency\": \"USD\"", "\"currency\": \"usd\"", StringComparison.Ordinal));

        var (code, output, error) = CliRunner.Run("tiers", "--prices", file);

        code.Should().Be(1);
        output.Should().BeEmpty();
        error.Should().StartWith($"asr-billing: --prices {file}: $.tables[0].currency:");
    }

    [Fact]
    public void Prices_UnknownServiceOfTheBook_ListsTheBooksServices()
    {
        var (code, _, error) = CliRunner.Run("price", "real-time", "1", "--prices", AwsFile);

        code.Should().Be(1);
        error.Should().Contain("unknown service id 'real-time'; valid ids: aws-transcribe-standard");
    }

    public static TheoryData<string[]> CommandsWithPrices { get; } = new(
        ["tiers"],
        ["price", "real-time", "315"],
        ["bill", "-"],
        ["cliffs", "real-time"],
        ["curve", "real-time", "--to", "400"],
        ["forecast", "real-time", "--hours-per-day", "280", "--month", "2026-03"]);

    [Theory]
    [MemberData(nameof(CommandsWithPrices))]
    public void Prices_TakesEitherBuiltInBookByName(string[] command)
    {
        const string Usage = "service,start,duration_seconds\nreal-time,2026-03-10T01:00:00Z,3600\n";
        var byDefault = CliRunner.RunWithInput(Usage, command);
        var international = CliRunner.RunWithInput(Usage, [.. command, "--prices", "tencent-cloud-international"]);
        var china = CliRunner.RunWithInput(Usage, [.. command, "--prices", "tencent-cloud-china"]);

        byDefault.Code.Should().Be(0, byDefault.Err);
        international.Should().Be(byDefault);
        china.Code.Should().Be(0, china.Err);
        china.Out.Should().NotBe(byDefault.Out).And.Contain("CNY");
    }

    [Fact]
    public void Tiers_ChinaBookByName_ListsIt()
    {
        var (code, output, error) = CliRunner.Run("tiers", "--prices", "tencent-cloud-china");
        var json = CliRunner.Run("tiers", "--prices", "tencent-cloud-china", "--json");

        code.Should().Be(0, error);
        output.Should().StartWith("Tencent Cloud China site, undated copy: CNY per hour of recognised audio.\n")
            .And.Contain("real-time          1  0 h to 300 h           3.20  2020-03-25  volume, reach moves up, per day, 1 s increments, 5 h free a month\n")
            .And.Contain("recording-file     1  0 h to 120000 h        1.75  2020-03-25  volume, reach moves up, per month, 1 s increments, 10 h free a month\n")
            .And.NotContain("large-model");
        PriceBookJson.Load(json.Out).Should().Be(PriceBook.TencentCloudChina);
    }

    [Theory]
    // Tencent's example: nothing used earlier in March 2026, so 5 free hours are left; 315 h (200 h +
    // 115 h on 10 March in Shanghai) reach tier 2: (315 − 5) × 2.8 = 868.00 CNY.
    [InlineData("a,acme,real-time,2026-03-10T01:00:00Z,720000|b,acme,real-time,2026-03-10T06:00:00+08:00,414000", "2026-03-10", 2, 18_000, "868.00")]
    // Tencent's example: 510 h in April 2026 (200 h + 300 h + 10 h) are one monthly charge at tier 1,
    // less the month's 10 free hours: (510 − 10) × 1.75 = 875.00 CNY.
    [InlineData("a,acme,recording-file,2026-04-02T02:00:00Z,720000|b,acme,recording-file,2026-04-15T02:00:00Z,1080000|c,acme,recording-file,2026-04-30T02:00:00Z,36000", "2026-04", 1, 36_000, "875.00")]
    public void Bill_ChinaBook_TencentsWorkedExamples(string rows, string period, int tier, int allowanceSeconds, string fee)
    {
        var usage = "id,account,service,start,duration_seconds\n" + rows.Replace('|', '\n') + "\n";

        var (code, output, error) = CliRunner.RunWithInput(usage, "bill", "-", "--prices", "tencent-cloud-china", "--format", "json");
        var table = CliRunner.RunWithInput(usage, "bill", "-", "--prices", "tencent-cloud-china");

        code.Should().Be(0, error);
        using var json = JsonDocument.Parse(output);
        var charge = json.RootElement.GetProperty("charges").EnumerateArray().Single();
        (charge.GetProperty("date").GetString(), charge.GetProperty("tier").GetInt32(), charge.GetProperty("allowanceSeconds").GetDecimal(), charge.GetProperty("fee").GetDecimal())
            .Should().Be((period, tier, (decimal)allowanceSeconds, decimal.Parse(fee, System.Globalization.CultureInfo.InvariantCulture)));
        json.RootElement.GetProperty("total").GetDecimal().Should().Be(decimal.Parse(fee, System.Globalization.CultureInfo.InvariantCulture));
        table.Out.Should().Contain($"Total: {fee} CNY\n");
    }

    [Fact]
    public void Bill_Table_SaysHowEachServicesTiersApply_AndTheFreeHours()
    {
        const string Usage = "service,start,duration_seconds\nreal-time,2026-03-10T01:00:00Z,3600\nrecording-file,2026-03-10T01:00:00Z,3600\n";

        var china = CliRunner.RunWithInput(Usage, "bill", "-", "--prices", "tencent-cloud-china");
        var chinaRealTime = CliRunner.RunWithInput("service,start,duration_seconds\nreal-time,2026-03-10T01:00:00Z,3600\n", "bill", "-", "--prices", "tencent-cloud-china");
        var aws = CliRunner.RunWithInput("service,start,duration_seconds\naws-transcribe-standard,2026-12-01T10:00:00Z,60\n", "bill", "-", "--prices", AwsFile);

        china.Out.Split('\n')[0].Should().Be("Prices from 'Tencent Cloud China site, undated copy'; billing days in Asia/Shanghai; real-time: all of a day's hours are billed at the tier the day reaches; recording-file: all of a month's hours are billed at the tier the month reaches; each month's free hours come off first (real-time 5 h, recording-file 10 h).");
        chinaRealTime.Out.Split('\n')[0].Should().Be("Prices from 'Tencent Cloud China site, undated copy'; billing days in Asia/Shanghai; all of a day's hours are billed at the tier the day reaches; each month's free hours come off first (real-time 5 h).");
        aws.Out.Split('\n')[0].Should().EndWith("; each slice of a month's hours is billed at its own tier's price.");
    }

    [Fact]
    public void Bill_ChinaBook_LargeModelUsage_IsABadRow()
    {
        // The China book has no large-model prices: such a row is a bad row of its service column,
        // naming the book's services; with --rejects the other rows are billed (60 s of real-time is
        // within the month's 5 free hours: 0.00 CNY).
        const string Usage = "service,start,duration_seconds\nreal-time,2026-03-10T01:00:00Z,60\nreal-time-large-model,2026-03-10T01:00:00Z,60\n";
        var (code, output, error) = CliRunner.RunWithInput(Usage, "bill", "-", "--prices", "tencent-cloud-china");

        code.Should().Be(1);
        output.Should().BeEmpty();
        error.Should().Be("asr-billing: line 3, column service: the price book has no prices for 'real-time-large-model'; it prices: real-time, recording-file\n");

        var rejects = Path.Combine(Path.GetTempPath(), $"asr-rejects-{Guid.NewGuid():N}.csv");
        try
        {
            var kept = CliRunner.RunWithInput(Usage, "bill", "-", "--prices", "tencent-cloud-china", "--rejects", rejects, "--format", "csv");

            kept.Code.Should().Be(0, kept.Err);
            kept.Out.Should().Be("account,service,date,billable_seconds,tier,unit_price,currency,fee\n,real-time,2026-03-10,60,1,3.2,CNY,0.00\n");
            File.ReadAllText(rejects).Should().Be(
                "line,reason,row\n3,\"service: the price book has no prices for 'real-time-large-model'; it prices: real-time, recording-file\",\"real-time-large-model,2026-03-10T01:00:00Z,60\"\n");
        }
        finally
        {
            File.Delete(rejects);
        }
    }

    [Theory]
    [InlineData("tencent-cloud-japan")]
    [InlineData("Tencent-Cloud-China")]
    [InlineData("no-such-prices.json")]
    public void Prices_NeitherABuiltInNameNorAFile_IsOneLineError(string name)
    {
        var (code, output, error) = CliRunner.Run("tiers", "--prices", name);

        code.Should().Be(1);
        output.Should().BeEmpty();
        error.Should().Be($"asr-billing: --prices: '{name}' is neither a built-in price book (tencent-cloud-international, tencent-cloud-china) nor a file.\n");
    }

    [Fact]
    public void Prices_AFileNamedLikeABuiltInBook_IsReadByItsPath()
    {
        var file = Path.Combine(_dir, "tencent-cloud-china");
        File.Copy(AwsFile, file);

        var (code, output, error) = CliRunner.Run("tiers", "--prices", file);

        code.Should().Be(0, error);
        output.Should().Contain("aws-transcribe-standard");
    }
}
