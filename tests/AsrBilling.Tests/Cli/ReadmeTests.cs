using System.Text.RegularExpressions;
using AsrBilling.Tests.Sql;

namespace AsrBilling.Tests.Cli;

/// <summary>
/// The README shows what commands print, sequences of commands and the files of the repository;
/// these keep it true: every output it shows is the tool's, every sequence runs as written, and every
/// path it names is in a clone.
/// </summary>
public sealed partial class ReadmeTests : IDisposable
{
    private static readonly string Readme = File.ReadAllText(Path.Combine(RepositoryRoot(), "README.md")).ReplaceLineEndings("\n");

    private readonly string _dir = Directory.CreateTempSubdirectory("asr-billing-readme-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void MainJobOutput_IsTheOneTheReadmeShows()
    {
        var intro = Readme.IndexOf("The first prints this bill", StringComparison.Ordinal);
        intro.Should().BeGreaterThan(0, "the README introduces the main job's output");
        var start = Readme.IndexOf("```text\n", intro, StringComparison.Ordinal) + "```text\n".Length;
        var shown = Readme[start..Readme.IndexOf("\n```", start, StringComparison.Ordinal)];

        var (code, output, error) = CliRunner.Run("bill", "--sample");

        code.Should().Be(0, error);
        output.ReplaceLineEndings("\n").TrimEnd('\n').Should().Be(shown);
    }

    [Fact]
    public void FocusExample_IsWhatTheToolWritesForItsInput()
    {
        var section = Readme[Readme.IndexOf("### `bill --format focus`", StringComparison.Ordinal)..];
        var blocks = CsvBlock().Matches(section).Take(2).Select(m => m.Groups[1].Value).ToList();
        blocks.Should().HaveCount(2, "the section shows a usage file and what --format focus writes for it");

        var (code, output, error) = CliRunner.RunWithInput(blocks[0] + "\n", "bill", "-", "--format", "focus");

        code.Should().Be(0, error);
        output.TrimEnd('\n').Should().Be(blocks[1]);
    }

    [Fact]
    public void PacksExample_IsWhatBillPrintsForItsFiles()
    {
        var section = Readme[Readme.IndexOf("### Prepaid packs in bills", StringComparison.Ordinal)..];
        section = section[..section.IndexOf("\n### Choosing packs", StringComparison.Ordinal)];
        var json = Block("json", section);
        var csv = Block("csv", section);
        var command = ShellBlocks(section).Single().Single();
        var shown = Block("text", section);
        File.WriteAllText(Path.Combine(_dir, "packs.json"), json + "\n");
        File.WriteAllText(Path.Combine(_dir, "packs-usage.csv"), csv + "\n");

        var run = RunLine(command, _dir);

        command.Should().Be("asr-billing bill packs-usage.csv --prices tencent-cloud-china --packs packs.json");
        run.Code.Should().Be(0, run.Err);
        run.Out.ReplaceLineEndings("\n").TrimEnd('\n').Should().Be(shown);
    }

    [Fact]
    public void SqlExample_IsWhatTheGeneratedQueryReturnsInDuckDb()
    {
        var section = Readme[Readme.IndexOf("### Daily totals in SQL", StringComparison.Ordinal)..];
        var blocks = CsvBlock().Matches(section).Take(2).Select(m => m.Groups[1].Value).ToList();
        section.Should().Contain("give these daily totals with `--zone America/New_York`");

        var totals = DuckDbUsage.Totals(blocks[0] + "\n", PriceBook.TencentCloudInternational, DateTimeZoneProviders.Tzdb["America/New_York"]);

        var lines = totals.Select(t => $"{t.Account},{t.Service.Id},{IsoDate.Format(t.Date)},{t.BillableSeconds}").Prepend("account,service,date,billable_seconds");
        string.Join("\n", lines).Should().Be(blocks[1]);
    }

    [Fact]
    public void EveryPromptedCommand_PrintsExactlyWhatTheReadmeShows()
    {
        var shown = new List<(string Command, string Output)>();
        foreach (var block in ShellBlocks())
        {
            string? command = null;
            var output = new List<string>();
            foreach (var line in block.Append("$ "))
            {
                if (!line.StartsWith("$ ", StringComparison.Ordinal))
                {
                    output.Add(line);
                    continue;
                }

                if (command is not null)
                {
                    shown.Add((command, string.Join("\n", output).TrimEnd('\n')));
                }

                (command, output) = (line.Length > 2 ? line[2..] : null, []);
            }
        }

        shown.Select(s => s.Command.Split(' ')[1]).Should().Contain(["cliffs", "price", "forecast"]);
        foreach (var (command, output) in shown)
        {
            var run = RunLine(command, _dir);

            run.Code.Should().Be(0, $"{command}: {run.Err}");
            output.Should().NotBeEmpty($"the README shows what '{command}' prints");
            run.Out.ReplaceLineEndings("\n").TrimEnd('\n').Should().Be(output, command);
        }
    }

    [Fact]
    public void PriceBookSequence_RunsAsWritten()
    {
        var block = ShellBlocks().Single(b => b.Any(l => l.StartsWith("asr-billing tiers --json > prices.json", StringComparison.Ordinal)));

        foreach (var line in block)
        {
            var run = RunLine(line, _dir);

            run.Code.Should().Be(0, $"'{line}' runs in the folder of the lines before it: {run.Err}");
        }

        File.Exists(Path.Combine(_dir, "prices.json")).Should().BeTrue();
        // 120 h of real-time: tier 1 (below 300 h) at 1.40 USD/h = 168.00 USD.
        RunLine("asr-billing price real-time 120 --prices prices.json", _dir).Out.Should().StartWith("168.00 USD = 120 h × 1.40 USD/h");
    }

    [Fact]
    public void PathsTheReadmeNames_AreFilesOfTheRepository()
    {
        var root = RepositoryRoot();
        var paths = RelativePath().Matches(Readme).Select(m => m.Groups[1].Value.TrimEnd('.', ')')).Distinct().ToList();
        var links = MarkdownLink().Matches(Readme).Select(m => m.Groups[1].Value).Where(l => !l.Contains("://", StringComparison.Ordinal)).ToList();

        paths.Should().Contain("tests/AsrBilling.Benchmarks/duckdb-peer/duckdb-peer.sh");
        paths.Concat(links).Should().NotContain(p => p.StartsWith("../", StringComparison.Ordinal), "a clone has only what is inside it");
        foreach (var path in paths.Concat(links))
        {
            var full = Path.Combine(root, path);
            var exists = path.Contains('*', StringComparison.Ordinal)
                ? Directory.GetFiles(Path.GetDirectoryName(full)!, Path.GetFileName(full)).Length > 0
                : File.Exists(full) || Directory.Exists(full);
            exists.Should().BeTrue($"the README names {path}");
        }
    }

    [Fact]
    public void FilesTheReadmesCommandsWrite_AreIgnoredByGit()
    {
        var ignored = File.ReadAllLines(Path.Combine(RepositoryRoot(), ".gitignore")).Select(l => l.Trim()).Where(l => l.Length > 0 && l[0] != '#').ToHashSet();
        // Lines after a "cd .." write beside the clone, not in it.
        var written = ShellBlocks().SelectMany(b => b.TakeWhile(l => !l.Contains("cd ..", StringComparison.Ordinal))).SelectMany(l => WrittenPath().Matches(l)).Select(m => m.Groups[1].Value.TrimStart('.', '/')).Distinct().ToList();

        written.Should().Contain(["artifacts", "tools", "out", "usage.csv", "prices.json"]);
        foreach (var path in written.Where(p => !File.Exists(Path.Combine(RepositoryRoot(), p)) || p.EndsWith(".csv", StringComparison.Ordinal)))
        {
            var folder = path.Split('/')[0];
            ignored.Should().Contain(i => i == path || i == "/" + path || i == folder + "/" || i == "/" + folder + "/", $"the README writes {path}");
        }
    }

    [Fact]
    public void PackageReference_SaysHowToGetThePackageFromAClone()
    {
        var section = Readme[Readme.IndexOf("## Reference the package", StringComparison.Ordinal)..];
        var commands = ShellBlocks(section[..section.IndexOf("\n## ", 3, StringComparison.Ordinal)]).Single();

        var pack = commands.FindIndex(l => l.StartsWith("dotnet pack src/AsrBilling ", StringComparison.Ordinal));
        var source = commands.FindIndex(l => l.StartsWith("dotnet nuget add source ", StringComparison.Ordinal));
        var add = commands.FindIndex(l => l.StartsWith("dotnet add package AsrBilling ", StringComparison.Ordinal));

        pack.Should().BeGreaterThanOrEqualTo(0, "the package is not on nuget.org: it is packed from a clone");
        source.Should().BeGreaterThan(pack);
        add.Should().BeGreaterThan(source);
    }

    /// <summary>
    /// Runs one README line of <c>asr-billing</c> in-process: words split at spaces, a trailing comment
    /// dropped, <c>&gt; FILE</c> written, and file names taken in <paramref name="dir"/>.
    /// </summary>
    private static (int Code, string Out, string Err) RunLine(string line, string dir)
    {
        var words = line.Split(" #")[0].Split(' ', StringSplitOptions.RemoveEmptyEntries).ToList();
        words[0].Should().Be("asr-billing", line);
        var redirect = words.IndexOf(">");
        var target = redirect < 0 ? null : Path.Combine(dir, words[redirect + 1]);
        var args = (redirect < 0 ? words.Skip(1) : words.Skip(1).Take(redirect - 1))
            .Select((word, i) => !word.StartsWith('-') && word.Contains('.', StringComparison.Ordinal) && !char.IsDigit(word[0]) ? Path.Combine(dir, word) : word)
            .ToArray();

        var run = CliRunner.Run(args);
        if (target is not null)
        {
            File.WriteAllText(target, run.Out);
        }

        return run;
    }

    /// <summary>The first block of a language in a text.</summary>
    private static string Block(string language, string text)
    {
        var start = text.IndexOf($"```{language}\n", StringComparison.Ordinal);
        start.Should().BeGreaterThanOrEqualTo(0, $"the text shows a {language} block");
        start += language.Length + 4;
        return text[start..text.IndexOf("\n```", start, StringComparison.Ordinal)];
    }

    /// <summary>The lines of each <c>sh</c> block.</summary>
    private static List<List<string>> ShellBlocks(string? text = null) =>
    [
        .. ShellBlock().Matches(text ?? Readme).Select(m => m.Groups[1].Value.Split('\n').ToList()),
    ];

    [GeneratedRegex("```sh\n(.*?)\n```", RegexOptions.Singleline)]
    private static partial Regex ShellBlock();

    [GeneratedRegex("```csv\n(.*?)\n```", RegexOptions.Singleline)]
    private static partial Regex CsvBlock();

    [GeneratedRegex(@"(?<![\w./-])((?:\.\./|\.ci/|src/|tests/|docs/)[\w./*-]+)")]
    private static partial Regex RelativePath();

    [GeneratedRegex(@"\]\(([^)\s]+)\)")]
    private static partial Regex MarkdownLink();

    [GeneratedRegex(@"(?:-o|--tool-path|--output|>)\s+(\S+)")]
    private static partial Regex WrittenPath();

    internal static string RepositoryRoot()
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
