using System.Text.Json;

namespace AsrBilling.Tests.Cli;

/// <summary>
/// <c>packs advise</c> with the China book: real-time at daily all-units tiers (3.2 below 300 h, 2.8 from 300 h),
/// 5 free hours a month; recording file at 1.75 below 120,000 h a month, 10 free hours a month.
/// </summary>
public sealed class PacksCommandTests : IDisposable
{
    private static readonly string[] China = ["--offers", "tencent-cloud-china", "--prices", "tencent-cloud-china"];

    private readonly string _dir = Directory.CreateTempSubdirectory("asr-billing-packs-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string OffersFile(string offers, string name = "offers.json")
    {
        var path = Path.Combine(_dir, name);
        File.WriteAllText(path, $$"""{"format": "asr-billing-pack-offers", "version": 1, "name": "test offers", "offers": [{{offers}}]}""");
        return path;
    }

    [Fact]
    public void OneDayOf700Hours_Text_BuysOneThousandHourPack()
    {
        // 700 h is tier 2 (2.8); 5 free hours leave 695 h: 695 × 2.8 = 1946.00 as you go; rt-1000 covers them for 1800.00.
        // Break-even at 2.8: rt-30 90 ÷ 2.8 ≈ 32.14 h > 30 h, never; rt-1000 1800 ÷ 2.8 ≈ 642.86 h.
        // One rt-30: 90 + 665 × 2.8 = 1952.00, saving −6.00.
        var (code, output, error) = CliRunner.Run(["packs", "advise", "real-time", "--hours", "700", "--from", "2026-03-10", .. China]);

        code.Should().Be(0, error);
        var lines = output.ReplaceLineEndings("\n").Split('\n');
        lines.Should().ContainInOrder(
            "Usage 2026-03-10 to 2026-03-10 (1 day, 700 h) of each service; packs bought on 2026-03-10.",
            "Offers: Tencent Cloud China site packs, undated copy.",
            "real-time: 695 h past the free hours, at 2.80 CNY/h on average.",
            "  Buy 1 × rt-1000 (1000 h, 1800.00 CNY), usable to 2027-03-09.",
            "pay as you go          1946.00",
            "packs                  1800.00",
            "left to pay as you go     0.00",
            "with packs             1800.00",
            "saving                  146.00",
            "rt-30          30      90.00  never (≈32.14)               -6.00",
            "rt-1000      1000    1800.00         ≈642.86              146.00");
    }

    [Fact]
    public void Json_KeepsEveryFigureExact()
    {
        // As above; JSON keeps the break-even to 28 digits: 90 ÷ 2.8 = 32.142857142857142857142857143.
        var (code, output, error) = CliRunner.Run(["packs", "advise", "real-time", "--hours", "700", "--from", "2026-03-10", "--format", "json", .. China]);

        code.Should().Be(0, error);
        output.Should().Contain("\"payAsYouGo\":1946.00").And.Contain("\"withPacks\":1800.00").And.Contain("\"packCost\":1800.00");
        using var json = JsonDocument.Parse(output);
        var service = json.RootElement.GetProperty("services")[0];
        service.GetProperty("service").GetString().Should().Be("real-time");
        service.GetProperty("coverableSeconds").GetDecimal().Should().Be(695m * 3600);
        service.GetProperty("saving").GetDecimal().Should().Be(146.00m);
        service.GetProperty("lastValidDate").GetString().Should().Be("2027-03-09");
        var buy = service.GetProperty("buy").EnumerateArray().Single();
        (buy.GetProperty("offer").GetString(), buy.GetProperty("count").GetInt64()).Should().Be(("rt-1000", 1L));
        var rt30 = service.GetProperty("breakEvens")[0];
        rt30.GetProperty("breakEvenHours").GetDecimal().Should().Be(32.142857142857142857142857143m);
        rt30.GetProperty("paysOff").GetBoolean().Should().BeFalse();
        rt30.GetProperty("savingWithOne").GetDecimal().Should().Be(-6.00m);
    }

    [Fact]
    public void HoursPerDayForAYear_TwoPacks()
    {
        // 30 h a day for 2026: 10,950 h less 12 × 5 free = 10,890 h at 3.2 = 34,848.00; rt-10000 + rt-1000 = 16,800.00.
        var (code, output, error) = CliRunner.Run(["packs", "advise", "real-time", "--hours-per-day", "30", "--year", "2026", .. China]);

        code.Should().Be(0, error);
        output.Should().Contain("  Buy 1 × rt-1000 (1000 h, 1800.00 CNY), 1 × rt-10000 (10000 h, 15000.00 CNY), usable to 2026-12-31.")
            .And.Contain("saving                 18048.00");
    }

    [Fact]
    public void OffersFile_IsReadAgainstTheBook()
    {
        // A 400 h pack for 1150.00. 100 h then 400 h: 95 × 3.2 + 400 × 2.8 = 1424.00 as you go; the pack covers 95 h of
        // day 1 and 305 h of day 2, leaving 95 × 2.8 = 266.00: 1416.00, saving 8.00.
        var offers = OffersFile("""{"name": "rt-400", "service": "real-time", "hours": 400, "price": 1150, "currency": "CNY"}""");

        var (code, output, error) = CliRunner.Run("packs", "advise", "real-time", "--hours", "100,400", "--from", "2026-03-01", "--offers", offers, "--prices", "tencent-cloud-china", "--format", "json");

        code.Should().Be(0, error);
        using var json = JsonDocument.Parse(output);
        json.RootElement.GetProperty("offers").GetString().Should().Be("test offers");
        var service = json.RootElement.GetProperty("services")[0];
        service.GetProperty("withPacks").GetDecimal().Should().Be(1416.00m);
        service.GetProperty("saving").GetDecimal().Should().Be(8.00m);
    }

    [Fact]
    public void NoOfferForAService_SaysSo()
    {
        // 100 h of real-time: 95 × 3.2 = 304.00; the file offers only recording-file packs.
        var offers = OffersFile("""{"service": "recording-file", "hours": 60, "price": 90, "currency": "CNY"}""");

        var (code, output, error) = CliRunner.Run("packs", "advise", "real-time", "--hours", "100", "--from", "2026-03-01", "--offers", offers, "--prices", "tencent-cloud-china");

        code.Should().Be(0, error);
        output.Should().Contain("  No offer is for real-time: pay as you go, 304.00 CNY.");
    }

    [Fact]
    public void OffersInAnotherCurrencyThanTheBook_ExitWith1()
    {
        var (code, output, error) = CliRunner.Run("packs", "advise", "real-time", "--hours", "100", "--from", "2026-03-01", "--offers", "tencent-cloud-china");

        code.Should().Be(1);
        output.Should().BeEmpty();
        error.TrimEnd().Should().Be(
            "asr-billing: Offer 'rt-30' is priced in CNY, but the price book 'Tencent Cloud international, 2025-08-19' prices real-time in USD; give offers in the book's currency.");
    }

    [Fact]
    public void BadOffersFile_NamesTheFileAndThePath()
    {
        var offers = OffersFile("""{"service": "real-time", "hours": 30, "price": 90, "currency": "USD"}""");

        var (code, _, error) = CliRunner.Run("packs", "advise", "real-time", "--hours", "100", "--from", "2026-03-01", "--offers", offers, "--prices", "tencent-cloud-china");

        code.Should().Be(1);
        error.TrimEnd().Should().Be(
            $"asr-billing: --offers {offers}: $.offers[0].currency: USD, but the price book 'Tencent Cloud China site, undated copy' prices real-time in CNY; give offers in the book's currency");
    }

    [Fact]
    public void ProfileLongerThanTheValidity_ExitsWith1()
    {
        // Six-month packs bought on 2026-01-01 last to 2026-06-30; the year runs to 2026-12-31.
        var offers = OffersFile("""{"service": "real-time", "hours": 30, "price": 90, "currency": "CNY", "validity": "P6M"}""");

        var (code, _, error) = CliRunner.Run("packs", "advise", "real-time", "--hours-per-day", "1", "--year", "2026", "--offers", offers, "--prices", "tencent-cloud-china");

        code.Should().Be(1);
        error.Should().StartWith("asr-billing: The profile runs from 2026-01-01 to 2026-12-31, past 2026-06-30, the last day packs bought on its first day can be used (6 months)");
    }

    [Fact]
    public void MissingOffersFile_ExitsWith1()
    {
        var (code, _, error) = CliRunner.Run(["packs", "advise", "real-time", "--hours", "1", "--from", "2026-03-01", "--offers", Path.Combine(_dir, "none.json")]);

        code.Should().Be(1);
        error.Should().StartWith($"asr-billing: --offers: '{Path.Combine(_dir, "none.json")}' is neither a built-in offer list (tencent-cloud-china) nor a file.");
    }

    [Theory]
    [InlineData(new[] { "packs" }, "asr-billing: give a command: advise. Run 'asr-billing packs --help' for usage.")]
    [InlineData(new[] { "packs", "advise", "real-time", "--hours", "1", "--from", "2026-03-01" }, "asr-billing: Option '--offers' is required. Run 'asr-billing packs advise --help' for usage.")]
    [InlineData(new[] { "packs", "advise", "real-time", "--hours-per-day", "1", "--offers", "x" }, "asr-billing: --hours-per-day needs --month or --year. Run 'asr-billing packs advise --help' for usage.")]
    [InlineData(new[] { "packs", "advise", "real-time", "--hours-per-day", "1", "--month", "2026-01", "--year", "2026", "--offers", "x" }, "asr-billing: --month and --year cannot be used together: give one period. Run 'asr-billing packs advise --help' for usage.")]
    [InlineData(new[] { "packs", "advise", "real-time", "--hours", "1", "--from", "2026-03-01", "--year", "2026", "--offers", "x" }, "asr-billing: --hours and --year cannot be used together: --hours goes with --from. Run 'asr-billing packs advise --help' for usage.")]
    [InlineData(new[] { "packs", "advise", "real-time", "--hours-per-day", "1", "--year", "0", "--offers", "x" }, "asr-billing: --year: '0' is not a whole number ≥ 1. Run 'asr-billing packs advise --help' for usage.")]
    [InlineData(new[] { "packs", "advise", "real-time", "--hours", "1", "--from", "2026-03-01", "--offers", "x", "--format", "xml" }, "asr-billing: --format: 'xml' is not one of text, json. Run 'asr-billing packs advise --help' for usage.")]
    public void MalformedCommandLine_ExitsWith2(string[] args, string message)
    {
        var (code, output, error) = CliRunner.Run(args);

        code.Should().Be(2);
        output.Should().BeEmpty();
        error.TrimEnd().Should().Be(message);
    }
}
