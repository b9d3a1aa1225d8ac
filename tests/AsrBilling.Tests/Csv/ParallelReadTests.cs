using AsrBilling.Csv;
using AsrBilling.Tests.Cli;
using FsCheck;
using FsCheck.Xunit;

namespace AsrBilling.Tests.Csv;

/// <summary>
/// A large file is read by several workers over byte ranges; a small one, or a stream, by one.
/// Both must give the same totals, rows and rejects, or the same error. The workers' minimum range
/// is lowered here so that small files are split: into one range per worker, or into ranges of a
/// few hundred bytes that the workers take in turn, so that a worker reads ranges out of file order.
/// </summary>
public sealed class ParallelReadTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("asr-billing-parallel-").FullName;

    private const long OneRangePerWorker = long.MaxValue;
    private const long SmallRanges = 300;

    private static readonly string Mutable = CliRunner.Run("sample", "--records", "80", "--accounts", "3", "--days", "2", "--seed", "9").Out;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Theory]
    [InlineData(1, OneRangePerWorker)]
    [InlineData(2, OneRangePerWorker)]
    [InlineData(3, OneRangePerWorker)]
    [InlineData(1, SmallRanges)]
    [InlineData(2, SmallRanges)]
    public void SplitFile_BillsLikeOneReader(int seed, long chunkBytes)
    {
        var (_, csv, _) = CliRunner.Run("sample", "--records", "3000", "--accounts", "5", "--days", "4", "--seed", seed.ToString(System.Globalization.CultureInfo.InvariantCulture));

        var (split, single) = ReadSplitAndWhole(csv, Options(chunkBytes));

        split.Should().StartWith("rows 3000,").And.Be(single);
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
        var options = Options(chunkBytes, keyBits, duplicates == "ignore" ? DuplicatePolicy.Ignore : DuplicatePolicy.Reject, keepRejects: true, threads: 3);

        var (split, single) = ReadSplitAndWhole(text, options);

        split.Should().Be(single);
        split.Should().Contain(duplicates == "ignore" ? "duplicates 20," : "duplicates 0,");
        split.Should().Contain(duplicates == "ignore" ? "rejects 20\n" : "rejects 40\n");
    }

    [Theory]
    [InlineData("apart", DuplicatePolicy.Reject)]
    [InlineData("apart", DuplicatePolicy.Ignore)]
    [InlineData("repeat", DuplicatePolicy.Reject)]
    [InlineData("repeat", DuplicatePolicy.Ignore)]
    public void SplitFile_ADayThatOverflows_IsFoundAsInOnePass(string shape, DuplicatePolicy duplicates)
    {
        // 4.8e18 s twice on one day pass long.MaxValue: in two chunks ("apart"), or under one id that one pass adds once ("repeat").
        const string Big = "4800000000000000000";
        var rows = shape == "apart"
            ? Enumerable.Range(0, 9).Select(i => $"r{i},acme,real-time,2025-09-01T0{i}:00:00Z,{(i is 4 or 8 ? Big : "60")}")
            : ["a,acme,real-time,2025-09-01T02:00:00Z," + Big, "a,acme,real-time,2025-09-01T03:00:00Z," + Big, "c,acme,real-time,2025-09-05T02:00:00Z,60"];
        var text = "id,account,service,start,duration_seconds\n" + string.Join("\n", rows) + "\n";

        var (split, whole) = ReadSplitAndWhole(text, Options(40, duplicates: duplicates));
        var (splitRejects, wholeRejects) = ReadSplitAndWhole(text, Options(40, duplicates: duplicates), keepRejects: true);

        split.Should().Be(whole);
        splitRejects.Should().Be(wholeRejects);
    }

    [Theory]
    [InlineData(40)]
    [InlineData(SmallRanges)]
    public void SplitFile_ARepeatOnADayOfItsOwn_LeavesNoEmptyTotal_UnlessARowOfZeroSecondsBillsIt(long chunkBytes)
    {
        // r1 repeats on beta's 2 September: no other row bills that day, so the single pass has no total for it.
        var text = "id,account,service,start,duration_seconds\n"
            + string.Concat(Enumerable.Range(0, 12).Select(i => $"a{i},acme,real-time,2025-09-01T02:00:00Z,60\n"))
            + "r1,acme,real-time,2025-09-01T03:00:00Z,30\n"
            + string.Concat(Enumerable.Range(0, 12).Select(i => $"b{i},acme,real-time,2025-09-01T04:00:00Z,60\n"))
            + "r1,beta,real-time,2025-09-02T03:00:00Z,45\n";

        var zeroRow = text + "z1,beta,real-time,2025-09-02T05:00:00Z,0\n";

        var (split, whole) = ReadSplitAndWhole(text, Options(chunkBytes, duplicates: DuplicatePolicy.Ignore));
        var (splitWithZero, wholeWithZero) = ReadSplitAndWhole(zeroRow, Options(chunkBytes, duplicates: DuplicatePolicy.Ignore));

        split.Should().Be(whole);
        whole.Should().NotContain("beta");

        // A row of 0 s that is not a repeat bills that day: it stays, at 0 s.
        splitWithZero.Should().Be(wholeWithZero);
        wholeWithZero.Should().Contain("beta");
    }

    [Theory]
    [InlineData(OneRangePerWorker)]
    [InlineData(SmallRanges)]
    public void SplitFile_FirstBadRowInFileOrderIsReported(long chunkBytes)
    {
        var (_, csv, _) = CliRunner.Run("sample", "--records", "1000", "--seed", "3");
        var lines = csv.TrimEnd('\n').Split('\n').ToList();
        lines[900] = "late,acct-0001,real-time,2025-09-02T00:00:00Z,-1,";
        lines[400] = "early,acct-0001,nope,2025-09-02T00:00:00Z,1,";

        var (split, single) = ReadSplitAndWhole(string.Join("\n", lines) + "\n", Options(chunkBytes));

        split.Should().StartWith("error: line 401, column service: unknown service id 'nope'").And.Be(single);
    }

    [Theory]
    [InlineData(OneRangePerWorker)]
    [InlineData(SmallRanges)]
    public void SplitFile_RepeatedIdBeforeABadRow_IsReportedFirst(long chunkBytes)
    {
        var (_, csv, _) = CliRunner.Run("sample", "--records", "1000", "--seed", "4");
        var lines = csv.TrimEnd('\n').Split('\n').ToList();
        var firstId = lines[100].Split(',')[0];
        lines[700] = $"{firstId},acct-0001,real-time,2025-09-02T00:00:00Z,5,";
        lines[950] = "late,acct-0001,real-time,2025-09-02T00:00:00Z,-1,";
        // Two keys in each of 4 partitions: a shared key alone is not a repeat.
        var (split, single) = ReadSplitAndWhole(string.Join("\n", lines) + "\n", Options(chunkBytes, keyMask: 0xC000000000000003));

        split.Should().Be($"error: line 701, column id: duplicate id '{firstId}', first seen on line 101").And.Be(single);
    }

    [Fact]
    public void SplitInsideQuotedLineBreak_FallsBackToOneReader()
    {
        var rows = Enumerable.Range(0, 400)
            .Select(i => $"r{i},\"acct\nwith break {i % 3}\",real-time,2025-09-02T01:00:00Z,60,")
            .Prepend("id,account,service,start,duration_seconds,tag");
        var (split, single) = ReadSplitAndWhole(string.Join("\n", rows) + "\n", Options(OneRangePerWorker));

        split.Should().StartWith("rows 400,").And.Be(single);
    }

    [Property(MaxTest = 100)]
    public void MutatedFile_SplitInSmallRanges_BillsLikeOneReader(int seed, PositiveInt edits, bool ignoreDuplicates, bool fewKeys)
    {
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
        var options = Options(
            SmallRanges,
            fewKeys ? 0xF000000000000007UL : ulong.MaxValue, // 4 keys in each of 16 partitions
            ignoreDuplicates ? DuplicatePolicy.Ignore : DuplicatePolicy.Reject);
        var (split, whole) = ReadSplitAndWhole(text, options);
        var (splitRejects, wholeRejects) = ReadSplitAndWhole(text, options, keepRejects: true);

        split.Should().Be(whole);
        splitRejects.Should().Be(wholeRejects);
    }

    private static UsageCsvOptions Options(
        long chunkBytes, ulong keyMask = ulong.MaxValue, DuplicatePolicy duplicates = DuplicatePolicy.Reject, bool keepRejects = false, int threads = 4) =>
        new()
        {
            Billing = new BillingOptions(duplicates: duplicates),
            ChunkBytes = chunkBytes,
            MinChunkBytes = 1,
            IdKeyMask = keyMask,
            KeepRejects = keepRejects,
            Threads = threads,
            TagSeconds = true,
        };

    /// <summary>Reads the text as a file split among the workers, and as a stream by one: each outcome as text.</summary>
    private (string Split, string Whole) ReadSplitAndWhole(string text, UsageCsvOptions options, bool keepRejects = false)
    {
        options = new UsageCsvOptions
        {
            Billing = options.Billing, ChunkBytes = options.ChunkBytes, MinChunkBytes = options.MinChunkBytes, IdKeyMask = options.IdKeyMask,
            KeepRejects = options.KeepRejects || keepRejects, Threads = options.Threads, TagSeconds = true,
        };
        var file = Path.Combine(_dir, $"{Guid.NewGuid():N}.csv");
        File.WriteAllText(file, text);
        using var stream = new MemoryStream(System.Text.Encoding.UTF8.GetBytes(text));
        return (Outcome(() => UsageCsv.Read(file, options)), Outcome(() => UsageCsv.Read(stream, options)));
    }

    private static string Outcome(Func<UsageCsvResult> read)
    {
        UsageCsvResult result;
        try
        {
            result = read();
        }
        catch (UsageCsvException e)
        {
            return "error: " + e.Message;
        }

        var text = new System.Text.StringBuilder(
            $"rows {result.RowsRead}, billed {result.RowsBilled}, duplicates {result.DuplicatesIgnored}, rejects {result.Rejects.Count}\n");
        foreach (var total in result.Totals)
        {
            text.Append(total).Append(' ').AppendJoin(";", total.TagSeconds.Select(p => $"{p.Key}={p.Value}")).Append('\n');
        }

        foreach (var reject in result.Rejects)
        {
            text.Append(reject).Append('\n');
        }

        return text.ToString();
    }

    [Fact]
    public void ARepeatAloneTagged_SplitRead_HasNoTagSeconds_AsInOnePass()
    {
        // 400 untagged rows of 60 s, then r0 again with tag x: one pass never adds it, so no tags.
        var lines = new List<string> { "id,account,service,start,duration_seconds,tag" };
        lines.AddRange(Enumerable.Range(0, 400).Select(i => $"r{i},acme,real-time,2025-09-01T02:00:00Z,60,"));
        lines.Add("r0,acme,real-time,2025-09-01T02:00:00Z,30,x");
        var path = Path.Combine(_dir, "tagged-repeat.csv");
        File.WriteAllText(path, string.Join("\n", lines) + "\n");

        var split = UsageCsv.Read(path, new UsageCsvOptions
        {
            TagSeconds = true, Billing = BillingOptions.Default.WithDuplicates(DuplicatePolicy.Ignore), Threads = 3, MinChunkBytes = 300, ChunkBytes = 300,
        });

        split.Totals.Should().ContainSingle().Which.BillableSeconds.Should().Be(400 * 60);
        split.Totals.HasTagSeconds.Should().BeFalse();
        split.DuplicatesIgnored.Should().Be(1);
    }
}
