using System.Globalization;
using System.Security.Cryptography;
using System.Text;

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

    [Fact]
    public void Sample_Tags_GivesEachAccountItsOwnTags()
    {
        var (code, output, error) = CliRunner.Run("sample", "--records", "3000", "--accounts", "3", "--tags", "4", "--seed", "5");

        code.Should().Be(0, error);
        var rows = Rows(output);
        rows.Should().HaveCount(3000);
        rows.Select(r => r[5]).Should().OnlyContain(t => t == "t01" || t == "t02" || t == "t03" || t == "t04");
        rows.Select(r => (r[1], r[5])).Distinct().Should().HaveCount(3 * 4);
    }

    [Fact]
    public void Sample_TagsZero_LeavesEveryTagEmpty()
    {
        var (code, output, error) = CliRunner.Run("sample", "--records", "1000", "--accounts", "5", "--tags", "0");

        code.Should().Be(0, error);
        Rows(output).Should().HaveCount(1000).And.OnlyContain(r => r[5].Length == 0);
    }

    [Fact]
    public void Sample_TagsNegative_IsAnInputError()
    {
        var (code, output, error) = CliRunner.Run("sample", "--records", "10", "--tags", "-1");

        code.Should().NotBe(0);
        error.Should().Contain("--tags");
        output.Should().BeEmpty();
    }

    [Fact]
    public void Sample_WithoutTags_IsTheOutputOfBeforeTheOption()
    {
        // SHA-256 of this command's output, taken from the build before --tags was added.
        var (code, output, error) = CliRunner.Run("sample", "--records", "500");

        code.Should().Be(0, error);
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(output)))
            .Should().Be("2eeb07b7ae1fa6f3d3bb628bddefff7d406be18f355b73a645293505efca2270");
        Rows(output).Select(r => r[5]).Distinct()
            .Should().BeSubsetOf(["", "support", "sales", "meetings", "voicemail", "captions"]).And.HaveCount(6);
    }

    private static List<string[]> Rows(string csv) => csv.TrimEnd('\n').Split('\n').Skip(1).Select(l => l.Split(',')).ToList();
}
