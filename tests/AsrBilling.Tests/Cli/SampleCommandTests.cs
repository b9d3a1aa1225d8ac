using System.Globalization;

namespace AsrBilling.Tests.Cli;

public class SampleCommandTests
{
    [Fact]
    public void Sample_IsDeterministicForASeed_WithUniqueIdsAndEveryColumn()
    {
        var first = CliRunner.Run("sample", "--records", "2000", "--accounts", "7", "--days", "3", "--from", "2025-10-01", "--seed", "9");
        var again = CliRunner.Run("sample", "--records", "2000", "--accounts", "7", "--days", "3", "--from", "2025-10-01", "--seed", "9");
        var other = CliRunner.Run("sample", "--records", "2000", "--accounts", "7", "--days", "3", "--from", "2025-10-01", "--seed", "10");

        first.Code.Should().Be(0);
        first.Out.Should().Be(again.Out);
        first.Out.Should().NotBe(other.Out);
        var lines = first.Out.TrimEnd('\n').Split('\n');
        lines[0].Should().Be("id,account,service,start,duration_seconds,tag");
        var rows = lines.Skip(1).Select(l => l.Split(',')).ToList();
        rows.Should().HaveCount(2000).And.OnlyContain(r => r.Length == 6);
        rows.Select(r => r[0]).Should().OnlyHaveUniqueItems();
        rows.Select(r => r[1]).Distinct().Count().Should().BeLessThanOrEqualTo(7);
        rows.Select(r => r[2]).Should().OnlyContain(id => AsrService.All.Any(s => s.Id == id));
        rows.Select(r => DateTimeOffset.Parse(r[3], CultureInfo.InvariantCulture))
            .Should().OnlyContain(t => t >= new DateTimeOffset(2025, 10, 1, 0, 0, 0, TimeSpan.Zero) && t < new DateTimeOffset(2025, 10, 4, 0, 0, 0, TimeSpan.Zero));
        rows.Should().OnlyContain(r => r[3].EndsWith('Z') && r[3].Length == 24);
        rows.Select(r => decimal.Parse(r[4], CultureInfo.InvariantCulture)).Should().OnlyContain(d => d >= 0.2m && d <= 7200m);
    }

    [Fact]
    public void Sample_OutputBillsCleanly()
    {
        var (_, csv, _) = CliRunner.Run("sample", "--records", "500");

        var (code, output, error) = CliRunner.RunWithInput(csv, "bill", "-", "--format", "json");

        code.Should().Be(0, error);
        output.Should().Contain("\"read\":500,\"billed\":500");
    }
}
