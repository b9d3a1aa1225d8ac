using System.Text.Json;

namespace AsrBilling.Tests.Cli;

/// <summary><c>--prices FILE</c> on price, bill and tiers, and <c>tiers --json</c> in the price-book format.</summary>
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
}
