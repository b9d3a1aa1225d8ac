using System.Globalization;
using System.Text;
using AsrBilling.Csv;
using AsrBilling.Tests.Cli;
using FsCheck;
using FsCheck.Xunit;

namespace AsrBilling.Tests.Csv;

/// <summary>
/// The usage reader splits and parses plain rows as UTF-8 bytes and reads anything else with
/// Sylvan. Reading every row with Sylvan is the reference: both must give the same totals, row
/// counts, rejects and first error, whatever the bytes.
/// </summary>
public sealed class ByteReaderTests : IDisposable
{
    private const string Header = "id,account,service,start,duration_seconds,tag";

    // The sample's rows, without its header.
    private static readonly string Sample = CliRunner.Run("sample", "--records", "40", "--accounts", "3", "--days", "2", "--seed", "21").Out.Split('\n', 2)[1];

    // Bytes that change how a row is split, trimmed or decoded: separators, white space in and out
    // of ASCII (no-break space, ideographic space), a byte-order mark, accented and CJK letters,
    // bytes that are not UTF-8, and the characters of instants and numbers.
    private static readonly byte[][] Edits =
    [
        .. new[] { ",", "\n", "\"", "\r\n", " ", "\t", "\u00a0", "\u3000", "\ufeff", "é", "计费", ".", "-", ":", "Z", "+", "0", "9", "x", "\v" }
            .Select(Encoding.UTF8.GetBytes),
        [0xFF], [0xC3], [0xE8, 0xAE],
    ];

    private readonly string _dir = Directory.CreateTempSubdirectory("asr-billing-bytes-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Property(MaxTest = 300)]
    public void MutatedCsv_ReadsAsSylvanReadsIt(int seed, PositiveInt edits)
    {
        var random = new Random(seed);
        var bytes = Encoding.UTF8.GetBytes(Sample).ToList();
        for (var i = 0; i < (edits.Get % 8) + 1; i++)
        {
            var at = random.Next(bytes.Count + 1);
            switch (random.Next(4))
            {
                case 0 when at < bytes.Count:
                    bytes.RemoveAt(at);
                    break;
                case 1:
                    // Repeat a line: a duplicate id.
                    var start = random.Next(bytes.Count);
                    var line = bytes.Skip(start).TakeWhile(b => b != (byte)'\n').Append((byte)'\n').ToList();
                    bytes.InsertRange(at, line);
                    break;
                default:
                    bytes.InsertRange(at, Edits[random.Next(Edits.Length)]);
                    break;
            }
        }

        // Sylvan reads a lone \r as a line break or not depending on the text around it: the byte
        // path reads it as part of its field, a case of its own below.
        for (var i = bytes.Count - 1; i >= 0; i--)
        {
            if (bytes[i] == (byte)'\r' && (i + 1 == bytes.Count || bytes[i + 1] != (byte)'\n'))
            {
                bytes.RemoveAt(i);
            }
        }

        ReadBothWays(bytes.ToArray());
    }

    [Fact]
    public void LoneCarriageReturn_IsPartOfItsField()
    {
        var text = Rows("a1,ac\rme,real-time,2025-09-01T10:00:00Z,60,", "a2,acme,real-time,2025-09-01T1\r0:00:00Z,60,");

        var reader = new UsageCsvReader(new BillingOptions(), keepRejects: true, threads: 1);
        var result = reader.ReadUsage(Source(Encoding.UTF8.GetBytes(text)));

        result.Totals.Single().Account.Should().Be("ac\rme");
        result.Rejects.Single().Should().Be(new RejectedRow(3, "start: '2025-09-01T1\r0:00:00Z' is not an ISO-8601 instant such as 2025-09-01T08:00:00.000Z", "a2,acme,real-time,2025-09-01T1\r0:00:00Z,60,"));
    }

    [Fact]
    public void RowLongerThanTheLimit_IsAClearError()
    {
        var text = Rows("a1,acme,real-time,2025-09-01T10:00:00Z,60," + new string('t', 1_100_000));

        foreach (var readBytes in new[] { true, false })
        {
            var reader = new UsageCsvReader(new BillingOptions(), keepRejects: true, threads: 1, readBytes: readBytes);
            var act = () => reader.ReadUsage(Source(Encoding.UTF8.GetBytes(text)));

            act.Should().Throw<UsageCsvException>().WithMessage("line 2: the row is longer than 1,048,576 characters");
        }
    }

    [Fact]
    public void CrLfLines_ReadAsLf()
    {
        var lf = Rows("a1,acme,real-time,2025-09-01T10:00:00Z,61,", "a2,acme,real-time,2025-09-01T11:00:00Z,30.5,x");
        var totals = ReadBothWays(Encoding.UTF8.GetBytes(lf.Replace("\n", "\r\n", StringComparison.Ordinal)));

        totals.Should().Be(ReadBothWays(Encoding.UTF8.GetBytes(lf)));
        totals.Should().Contain("acme|real-time|2025-09-01|92|x=31", "61 s + 31 s (30.5 rounded up); the tag has only the second row");
    }

    [Fact]
    public void LastLineWithoutLineBreak_IsRead()
    {
        var text = Rows("a1,acme,real-time,2025-09-01T10:00:00Z,61,").TrimEnd('\n');

        ReadBothWays(Encoding.UTF8.GetBytes(text)).Should().Contain("acme|real-time|2025-09-01|61|");
    }

    [Fact]
    public void NonAsciiAccountsAndTags_AreKeptAsText()
    {
        var text = Rows(
            "a1,腾讯会议,real-time,2025-09-01T10:00:00Z,60,客服",
            "a2, 腾讯会议\u00a0,real-time,2025-09-01T10:00:00Z,60,客服",
            "a3,café,recording-file,2025-09-01T10:00:00Z,1,");

        var totals = ReadBothWays(Encoding.UTF8.GetBytes(text));

        // The no-break space is trimmed like any white space: both rows are the same account.
        totals.Should().Contain("腾讯会议|real-time|2025-09-01|120|客服=120");
        totals.Should().Contain("café|recording-file|2025-09-01|1|");
    }

    [Fact]
    public void AccountsAndTagsDifferingInOneByte_AreKeptApart()
    {
        // Every length from 1 to 20 bytes (the key cache keeps fields of up to 16 bytes as words),
        // and for each, the names that differ from it in one byte, at every place.
        var names = new List<string>();
        for (var length = 1; length <= 20; length++)
        {
            var name = new string('a', length);
            names.Add(name);
            names.AddRange(Enumerable.Range(0, length).Select(at => name.Remove(at, 1).Insert(at, "b")));
        }

        // Each name twice, far apart, as an account without a tag and as a tag of one account: the
        // second time is a cache hit, or a miss after other keys, and must find the same key.
        var rows = names.Concat(names).SelectMany((name, i) => new[]
        {
            $"k{i},{name},real-time,2025-09-01T10:00:00Z,60,",
            $"t{i},acme,real-time,2025-09-01T10:00:00Z,60,{name}",
        });

        var totals = ReadBothWays(Encoding.UTF8.GetBytes(Rows([.. rows])));

        var acme = $"acme|real-time|2025-09-01|{120 * names.Count}|{string.Join(";", names.Order(StringComparer.Ordinal).Select(n => $"{n}=120"))}";
        totals.Split('\n').Skip(1).Should().BeEquivalentTo(names.Select(n => $"{n}|real-time|2025-09-01|120|").Append(acme));
    }

    [Fact]
    public void QuotedFieldHalfWay_RestIsReadBySylvan()
    {
        var text = Rows(
            "a1,acme,real-time,2025-09-01T10:00:00Z,60,",
            "a2,\"acme\",real-time,2025-09-01T10:00:00Z,60,\"two\nlines\"",
            "a3,acme,real-time,2025-09-01T10:00:00Z,60,",
            "a4,acme,real-time,2025-09-01T10:00:00Z,bad,");

        var reader = new UsageCsvReader(new BillingOptions(), keepRejects: true, threads: 1);
        var result = reader.ReadUsage(Source(Encoding.UTF8.GetBytes(text)));

        result.Totals.Single().BillableSeconds.Should().Be(180);
        result.RowsRead.Should().Be(4);
        result.Rejects.Single().Line.Should().Be(5, "lines count records, the header being line 1: the quoted line break starts none");
    }

    [Fact]
    public void LineLongerThanTheBuffer_IsRead()
    {
        var tag = new string('t', 300_000);
        var text = Rows("a1,acme,real-time,2025-09-01T10:00:00Z,60," + tag, "a2,acme,real-time,2025-09-01T10:00:00Z,1,");

        ReadBothWays(Encoding.UTF8.GetBytes(text)).Should().Contain($"acme|real-time|2025-09-01|61|{tag}=60");
    }

    [Fact]
    public void RepeatedIdWithOtherSpaces_IsADuplicate()
    {
        var text = Rows("id-1,acme,real-time,2025-09-01T10:00:00Z,60,", " id-1\u3000,acme,real-time,2025-09-01T10:00:00Z,60,");

        var reader = new UsageCsvReader(new BillingOptions(), keepRejects: false, threads: 1);
        var act = () => reader.ReadUsage(Source(Encoding.UTF8.GetBytes(text)));

        act.Should().Throw<UsageCsvException>().WithMessage("line 3, column id: duplicate id 'id-1', first seen on line 2");
    }

    [Theory]
    [InlineData("region,id,account,service,start,duration_seconds,tag", "eu,a1,acme,real-time,2025-09-01T10:00:00Z,61,x", "eu,a2,acme,real-time,2025-09-01T11:00:00Z,30.5,x")]
    [InlineData("id,account,request_id,service,start,duration_seconds,tag", "a1,acme,r-1,real-time,2025-09-01T10:00:00Z,61,x", "a2,acme,r-2,real-time,2025-09-01T11:00:00Z,30.5,x")]
    [InlineData("id,account,service,start,duration_seconds,tag,region,note", "a1,acme,real-time,2025-09-01T10:00:00Z,61,x,eu,", "a2,acme,real-time,2025-09-01T11:00:00Z,30.5,x,eu,late")]
    [InlineData("Region ,service,start,duration_seconds,account,tag,", "eu,real-time,2025-09-01T10:00:00Z,61,acme,x,", "\"e,u\",real-time,2025-09-01T11:00:00Z,30.5,acme,x,")]
    public void ExtraColumns_AnywhereInTheHeader_AreSkipped_OnBothPaths(string header, string first, string second)
    {
        var file = Path.Combine(_dir, "extra.csv");
        File.WriteAllText(file, Rows(header, first, second));

        foreach (var readBytes in new[] { true, false })
        {
            var result = Outcome(() => new UsageCsvReader(new BillingOptions(), keepRejects: false, threads: 1, readBytes: readBytes).ReadUsage(CsvSource.File(file)));

            // 61 s + 31 s (30.5 rounded up), both tagged x; the extra columns change nothing.
            result.Should().Be("read 2, ignored 0\nacme|real-time|2025-09-01|92|x=92", $"readBytes {readBytes}");
        }
    }

    [Theory]
    [InlineData("id,service,start,duration_seconds,service", "line 1, column 5: the column 'service' appears twice, as columns 2 and 5")]
    [InlineData("region,service,start,duration_seconds,REGION", "line 1, column 5: the column 'REGION' appears twice, as columns 1 and 5")]
    public void ColumnNamedTwice_IsAnErrorOnLine1(string header, string message)
    {
        var file = Path.Combine(_dir, "twice.csv");
        File.WriteAllText(file, Rows(header, "a1,real-time,2025-09-01T10:00:00Z,61,x"));

        var act = () => new UsageCsvReader(new BillingOptions(), keepRejects: true, threads: 1).ReadUsage(CsvSource.File(file));

        act.Should().Throw<UsageCsvException>().WithMessage(message).Which.Line.Should().Be(1);
    }

    /// <summary>Reads the bytes both ways under each policy; returns the totals as text when they bill.</summary>
    private string ReadBothWays(byte[] data)
    {
        var file = Path.Combine(_dir, $"{Guid.NewGuid():N}.csv");
        File.WriteAllBytes(file, [.. Encoding.UTF8.GetBytes(Header + "\n"), .. data]);
        string? billed = null;
        foreach (var keepRejects in new[] { false, true })
        {
            foreach (var duplicates in new[] { DuplicatePolicy.Reject, DuplicatePolicy.Ignore })
            {
                var options = new BillingOptions(duplicates: duplicates);
                var bytes = Outcome(() => new UsageCsvReader(options, keepRejects, threads: 1).ReadUsage(CsvSource.File(file)));
                var text = Outcome(() => new UsageCsvReader(options, keepRejects, threads: 1, readBytes: false).ReadUsage(CsvSource.File(file)));
                bytes.Should().Be(text, $"keepRejects {keepRejects}, duplicates {duplicates}");
                billed ??= keepRejects && duplicates == DuplicatePolicy.Reject ? bytes : null;
            }
        }

        return billed!;
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

        var totals = result.Totals.Select(t =>
            $"{t.Account}|{t.Service.Id}|{t.Date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}|{t.BillableSeconds}|{string.Join(";", t.TagSeconds.Select(p => $"{p.Key}={p.Value}"))}");
        var rejects = result.Rejects.Select(r => $"{r.Line}: {r.Row} => {r.Reason}");
        return string.Join("\n", [$"read {result.RowsRead}, ignored {result.DuplicatesIgnored}", .. totals, .. rejects]);
    }

    private static string Rows(params string[] rows) => string.Join("\n", rows) + "\n";

    private CsvSource Source(byte[] data)
    {
        var file = Path.Combine(_dir, $"{Guid.NewGuid():N}.csv");
        File.WriteAllBytes(file, [.. Encoding.UTF8.GetBytes(Header + "\n"), .. data]);
        return CsvSource.File(file);
    }
}
