namespace AsrBilling.Tests.Cli;

/// <summary>The README shows what its main-job command prints; this keeps the two the same.</summary>
public sealed class ReadmeTests
{
    [Fact]
    public void MainJobOutput_IsTheOneTheReadmeShows()
    {
        var readme = File.ReadAllText(Path.Combine(RepositoryRoot(), "README.md")).ReplaceLineEndings("\n");
        var intro = readme.IndexOf("The first prints this bill", StringComparison.Ordinal);
        intro.Should().BeGreaterThan(0, "the README introduces the main job's output");
        var start = readme.IndexOf("```text\n", intro, StringComparison.Ordinal) + "```text\n".Length;
        var shown = readme[start..readme.IndexOf("\n```", start, StringComparison.Ordinal)];

        var (code, output, error) = CliRunner.Run("bill", "--sample");

        code.Should().Be(0, error);
        output.ReplaceLineEndings("\n").TrimEnd('\n').Should().Be(shown);
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "AsrBilling.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("The repository root (AsrBilling.sln) is not above " + AppContext.BaseDirectory);
    }
}
