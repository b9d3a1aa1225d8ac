using System.Text.Json;
using AsrBilling.Tests.PriceData;

namespace AsrBilling.Tests.Cli;

/// <summary>Help shows arguments as they are; text output is for people (plurals, rounded hours), data output stays exact.</summary>
public sealed class HelpAndTextTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("asr-billing-text-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void RootHelp_ListsOptionalAndRepeatableArgumentsAsSuch()
    {
        var (code, output, _) = CliRunner.Run("--help");

        code.Should().Be(0);
        var commands = output.Split('\n').Select(l => l.Trim()).ToList();
        commands.Should().Contain(l => l.StartsWith("tiers [<service>]  ", StringComparison.Ordinal));
        commands.Should().Contain(l => l.StartsWith("bill [<file>]  ", StringComparison.Ordinal));
        commands.Should().Contain(l => l.StartsWith("forecast <service>...  ", StringComparison.Ordinal));
        commands.Should().Contain(l => l.StartsWith("curve <service>...  ", StringComparison.Ordinal));
        commands.Should().Contain(l => l.StartsWith("price <service> <hours>  ", StringComparison.Ordinal));
        commands.Should().Contain(l => l.StartsWith("sql  ", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("bill")]
    [InlineData("sample")]
    [InlineData("curve")]
    [InlineData("price")]
    [InlineData("tiers")]
    [InlineData("cliffs")]
    [InlineData("forecast")]
    [InlineData("sql")]
    public void CommandHelp_StatesEachDefaultOnce(string command)
    {
        var (code, output, _) = CliRunner.Run(command, "--help");

        code.Should().Be(0);
        output.Split('\n').Should().NotContain(l => l.Split("default", StringSplitOptions.None).Length > 2
            || l.Contains("Default:", StringComparison.Ordinal) && l.Contains("[default:", StringComparison.Ordinal));
    }

    [Fact]
    public void OneRowOrDay_IsSingular()
    {
        var usage = Path.Combine(_dir, "one.csv");
        File.WriteAllText(usage, "service,start,duration_seconds\nreal-time,2025-09-02T01:00:00Z,60\n");

        var bill = CliRunner.Run("bill", usage, "--rejects", Path.Combine(_dir, "rejects.csv"));
        var forecast = CliRunner.Run("forecast", "real-time", "--hours", "5", "--from", "2025-09-01");

        bill.Err.Should().Contain("read 1 row: billed 1,");
        forecast.Out.Should().StartWith("Forecast for 2025-09-01 to 2025-09-01 (1 day, 5 h), cheapest first:");
        forecast.Out.Should().Contain("1 (1 window)");
    }

    [Fact]
    public void ByMonth_JsonNamesTheMonthAsCsvDoes()
    {
        var csv = CliRunner.Run("bill", "--sample", "--by", "month", "--format", "csv");
        var json = CliRunner.Run("bill", "--sample", "--by", "month", "--format", "json");

        csv.Out.Should().StartWith("account,service,month,");
        using var document = JsonDocument.Parse(json.Out);
        var first = document.RootElement.GetProperty("charges")[0];
        first.GetProperty("month").GetString().Should().Be("2025-09");
        first.TryGetProperty("date", out _).Should().BeFalse();
    }

    [Fact]
    public void Hours_AreRoundedInText_AndExactInJson()
    {
        var aws = ExamplePriceFiles.AwsTranscribeUsEast1Path;

        var tiers = CliRunner.Run("tiers", "--prices", aws);
        var text = CliRunner.Run("price", "aws-transcribe-standard", "5000", "--prices", aws);
        var json = CliRunner.Run("price", "aws-transcribe-standard", "5000", "--prices", aws, "--json");

        // 250,000 min = 4166.666… h; 5000 h − 4166.666… h = 833.333… h; 250,000 × 0.024 + 50,000 × 0.015 = 6750.00.
        tiers.Out.Should().Contain("≈4166.67 h to ≈16666.67 h").And.NotContain("4166.666");
        text.Out.Should().Be("6750.00 USD = ≈4166.67 h × 1.44 USD/h + ≈833.33 h × 0.90 USD/h (aws-transcribe-standard, graduated, tier 2 of 4: above ≈4166.67 h to ≈16666.67 h inclusive; prices of 2026-11-26)\n");
        json.Out.Should().Contain("\"tierFromHours\":4166.6666666666666666666666667");
    }
}
