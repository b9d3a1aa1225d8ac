using System.Text.Json;

namespace AsrBilling.Tests.Cli;

public class TiersCommandTests
{
    [Fact]
    public void Tiers_PrintsEveryServiceAndTierAligned()
    {
        var (code, output, _) = CliRunner.Run("tiers");

        code.Should().Be(0);
        var lines = output.Split('\n');
        lines.Should().Contain(l => l.StartsWith("real-time ", StringComparison.Ordinal) && l.Contains("0 h to 300 h") && l.Contains("1.40"));
        lines.Should().Contain(l => l.Contains("5000 h and above") && l.TrimEnd().EndsWith("0.80", StringComparison.Ordinal));
        // 4 services × 5 tiers.
        lines.Count(l => l.Contains(" h to ") || l.Contains(" h and above")).Should().Be(20);
    }

    [Fact]
    public void Tiers_OneServiceAsJson_ListsItsFiveTiers()
    {
        var (code, output, _) = CliRunner.Run("tiers", "recording-file-large-model", "--json");

        code.Should().Be(0);
        using var json = JsonDocument.Parse(output);
        var table = json.RootElement.GetProperty("tables").EnumerateArray().Single();
        table.GetProperty("service").GetString().Should().Be("recording-file-large-model");
        table.GetProperty("tiers").EnumerateArray().Select(t => t.GetProperty("unitPrice").GetDecimal())
            .Should().Equal(1.8m, 1.6m, 1.4m, 1.1m, 0.8m);
    }
}
