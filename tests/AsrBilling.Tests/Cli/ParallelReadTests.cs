using AsrBilling.Cli.Input;
using FsCheck;
using FsCheck.Xunit;

namespace AsrBilling.Tests.Cli;

/// <summary>
/// A large file is read by several workers over byte ranges; a small one, or standard input, by
/// one. Both must give the same bill, rows and rejects. The workers' minimum range is lowered here
/// so that small files are split: into one range per worker, or into ranges of a few hundred
/// bytes that the workers take in turn, so that a worker reads ranges out of file order.
/// </summary>
[Collection(nameof(ParallelReadTests))]
public sealed class ParallelReadTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("asr-billing-parallel-").FullName;
    private readonly long _minChunk = UsageCsvReader.MinChunkBytes;
    private readonly long _chunk = UsageCsvReader.ChunkBytes;

    private const long OneRangePerWorker = long.MaxValue;
    private const long SmallRanges = 300;

    private static readonly string Mutable = CliRunner.Run("sample", "--records", "80", "--accounts", "3", "--days", "2", "--seed", "9").Out;

    public ParallelReadTests() => UsageCsvReader.MinChunkBytes = 1;

    public void Dispose()
    {
        UsageCsvReader.MinChunkBytes = _minChunk;
        UsageCsvReader.ChunkBytes = _chunk;
        IdLog.KeyBits = ulong.MaxValue;
        Directory.Delete(_dir, recursive: true);
    }

    [Theory]
    [InlineData(1, OneRangePerWorker)]
    [InlineData(2, OneRangePerWorker)]
    [InlineData(3, OneRangePerWorker)]
    [InlineData(1, SmallRanges)]
    [InlineData(2, SmallRanges)]
    public void SplitFile_BillsLikeOneReader(int seed, long chunkBytes)
    {
        UsageCsvReader.ChunkBytes = chunkBytes;
        var (_, csv, _) = CliRunner.Run("sample", "--records", "3000", "--accounts", "5", "--days", "4", "--seed", seed.ToString(System.Globalization.CultureInfo.InvariantCulture));

        var (split, single) = BillSplitAndWhole(csv, "--format", "json");

        split.Code.Should().Be(0, split.Err);
        split.Out.Should().Be(single.Out);
    }

    [Theory]
    [InlineData("ignore", OneRangePerWorker, ulong.MaxValue)]
    [InlineData("reject", OneRangePerWorker, ulong.MaxValue)]
    [InlineData("ignore", SmallRanges, ulong.MaxValue)]
    [InlineData("reject", SmallRanges, ulong.MaxValue)]
    [InlineData("ignore", SmallRanges, 0UL)] // every id has the same key
    [InlineData("reject", SmallRanges, 0UL)]
    [InlineData("ignore", OneRangePerWorker, 0xF00000000000000FUL)] // 8 keys in each of 16 partitions, for 2,000 ids
    [InlineData("reject", SmallRanges, 0xF00000000000000FUL)]
    public void SplitFile_WithDuplicatesAndBadRows_MatchesOneReader(string duplicates, long chunkBytes, ulong keyBits)
    {
        UsageCsvReader.ChunkBytes = chunkBytes;
        IdLog.KeyBits = keyBits;
        var (_, csv, _) = CliRunner.Run("sample", "--records", "2000", "--accounts", "3", "--days", "2", "--seed", "5");
        var lines = csv.TrimEnd('\n').Split('\n').ToList();
        // Repeat some rows (same id, other usage), and break some, spread over the file.
        for (var i = 1900; i > 1; i -= 97)
        {
            var fields = lines[i].Split(',');
            lines.Add($"{fields[0]},{fields[1]},{fields[2]},{fields[3]},1234.5,{fields[5]}");
            lines.Insert(i, $"bad{i},acct-0001,real-time,yesterday,60,");
        }

        var text = string.Join("\n", lines) + "\n";
        var file = Path.Combine(_dir, "dups.csv");
        File.WriteAllText(file, text);
        var splitRejects = Path.Combine(_dir, "split-rejects.csv");
        var singleRejects = Path.Combine(_dir, "single-rejects.csv");

        var split = CliRunner.Run("bill", file, "--format", "json", "--threads", "3", "--duplicates", duplicates, "--rejects", splitRejects);
        var single = CliRunner.RunWithInput(text, "bill", "-", "--format", "json", "--duplicates", duplicates, "--rejects", singleRejects);

        split.Code.Should().Be(0, split.Err);
        split.Out.Should().Be(single.Out);
        File.ReadAllText(splitRejects).Should().Be(File.ReadAllText(singleRejects));
        split.Out.Should().Contain(duplicates == "ignore" ? "\"duplicates\":20" : "\"duplicates\":0");
    }

    [Theory]
    [InlineData(OneRangePerWorker)]
    [InlineData(SmallRanges)]
    public void SplitFile_FirstBadRowInFileOrderIsReported(long chunkBytes)
    {
        UsageCsvReader.ChunkBytes = chunkBytes;
        var (_, csv, _) = CliRunner.Run("sample", "--records", "1000", "--seed", "3");
        var lines = csv.TrimEnd('\n').Split('\n').ToList();
        lines[900] = "late,acct-0001,real-time,2025-09-02T00:00:00Z,-1,";
        lines[400] = "early,acct-0001,nope,2025-09-02T00:00:00Z,1,";
        var file = Path.Combine(_dir, "bad.csv");
        File.WriteAllText(file, string.Join("\n", lines) + "\n");

        var (code, output, error) = CliRunner.Run("bill", file, "--threads", "4");

        code.Should().Be(1);
        output.Should().BeEmpty();
        error.Should().StartWith("asr-billing: line 401, column service: unknown service id 'nope'");
    }

    [Theory]
    [InlineData(OneRangePerWorker)]
    [InlineData(SmallRanges)]
    public void SplitFile_RepeatedIdBeforeABadRow_IsReportedFirst(long chunkBytes)
    {
        UsageCsvReader.ChunkBytes = chunkBytes;
        IdLog.KeyBits = 0xC000000000000003; // two keys in each of 4 partitions: a shared key alone is not a repeat
        var (_, csv, _) = CliRunner.Run("sample", "--records", "1000", "--seed", "4");
        var lines = csv.TrimEnd('\n').Split('\n').ToList();
        var firstId = lines[100].Split(',')[0];
        lines[700] = $"{firstId},acct-0001,real-time,2025-09-02T00:00:00Z,5,";
        lines[950] = "late,acct-0001,real-time,2025-09-02T00:00:00Z,-1,";
        var (split, single) = BillSplitAndWhole(string.Join("\n", lines) + "\n");

        split.Code.Should().Be(1);
        split.Err.Should().StartWith($"asr-billing: line 701, column id: duplicate id '{firstId}', first seen on line 101");
        single.Err.Should().Be(split.Err);
    }

    [Fact]
    public void SplitInsideQuotedLineBreak_FallsBackToOneReader()
    {
        var rows = Enumerable.Range(0, 400)
            .Select(i => $"r{i},\"acct\nwith break {i % 3}\",real-time,2025-09-02T01:00:00Z,60,")
            .Prepend("id,account,service,start,duration_seconds,tag");
        var (split, single) = BillSplitAndWhole(string.Join("\n", rows) + "\n", "--format", "json");

        split.Code.Should().Be(0, split.Err);
        split.Out.Should().Be(single.Out);
        split.Out.Should().Contain("\"read\":400");
    }

    [Property(MaxTest = 100)]
    public void MutatedFile_SplitInSmallRanges_BillsLikeOneReader(int seed, PositiveInt edits, bool ignoreDuplicates, bool fewKeys)
    {
        UsageCsvReader.ChunkBytes = SmallRanges;
        IdLog.KeyBits = fewKeys ? 0xF000000000000007UL : ulong.MaxValue; // 4 keys in each of 16 partitions
        var random = new Random(seed);
        var lines = Mutable.Split('\n', StringSplitOptions.RemoveEmptyEntries).ToList();
        for (var i = 0; i < (edits.Get % 10) + 1; i++)
        {
            var at = random.Next(1, lines.Count);
            lines[at] = random.Next(5) switch
            {
                0 => lines[random.Next(1, lines.Count)], // a repeated id
                1 => lines[at].Insert(random.Next(lines[at].Length), "\""),
                2 => lines[at].Replace(",", ",\"", StringComparison.Ordinal) + "\"\n\"x\"",
                3 => lines[at].Insert(random.Next(lines[at].Length), " \u00a0é,"),
                _ => lines[at].Remove(random.Next(lines[at].Length), 1),
            };
        }

        var text = string.Join(random.Next(2) == 0 ? "\n" : "\r\n", lines) + "\n";
        var (split, whole) = BillSplitAndWhole(text, ["--format", "json", "--duplicates", ignoreDuplicates ? "ignore" : "reject"]);

        split.Should().Be(whole);
    }

    /// <summary>Bills the text as a file read by four workers, and from standard input by one.</summary>
    private ((int Code, string Out, string Err) Split, (int Code, string Out, string Err) Whole) BillSplitAndWhole(string text, params string[] options)
    {
        var file = Path.Combine(_dir, $"{Guid.NewGuid():N}.csv");
        File.WriteAllText(file, text);
        return (CliRunner.Run(["bill", file, "--threads", "4", .. options]), CliRunner.RunWithInput(text, ["bill", "-", .. options]));
    }
}

[CollectionDefinition(nameof(ParallelReadTests), DisableParallelization = true)]
public sealed class ParallelReadGroup;
