using System.Text;
using AsrBilling.Cli;
using AsrBilling.Cli.Input;
using FsCheck;
using FsCheck.Xunit;

namespace AsrBilling.Tests.Cli;

/// <summary>
/// The hand-written reader of unquoted UTF-8 records: it must split records exactly as Sylvan does,
/// and hand the stream to Sylvan, byte for byte, at the first record it does not take.
/// </summary>
public sealed class UnquotedCsvReaderTests
{
    private const int Block = 1 << 20;

    [Theory]
    [InlineData("a,b\nc,d\n", "[a|b][c|d]")]
    [InlineData("a,b\nc,d", "[a|b][c|d]")]
    [InlineData("a,b\r\nc,d\r\n", "[a|b][c|d]")]
    [InlineData("a,b\rc,d\n", "[a|b][c|d]")]
    [InlineData("a,b\r", "[a|b]")]
    [InlineData("a,\r  \ne,f\n", "[a|][  ][e|f]")]
    [InlineData("a,b\n\nc,d\n", "[a|b][][c|d]")]
    [InlineData("a,b\r\n\r\nc,d", "[a|b][][c|d]")]
    [InlineData("a,b\n\r\n", "[a|b][]")]
    [InlineData("\n", "[]")]
    [InlineData(" ,\n,,\n", "[ |][||]")]
    [InlineData("a;b;c;d,e\n", "[a;b;c;d|e]")]
    [InlineData("\uFEFFa,b\n", "[a|b]")]
    [InlineData("x,\uFEFFy\n", "[x|\uFEFFy]")]
    [InlineData("", "")]
    public void SplitsRecordsAsSylvanDoes(string text, string expected)
    {
        var (records, rest) = ReadAll(Encoding.UTF8.GetBytes(text));

        rest.Should().BeNull();
        Show(records.Select(r => r.Fields)).Should().Be(expected);
        Show(records.Select(r => r.Fields)).Should().Be(Show(Sylvan(text)));
    }

    [Fact]
    public void Record_IsTheLineWithoutItsBreak()
    {
        var (records, _) = ReadAll("id,acct\r\nx,,\rlast"u8.ToArray());

        records.Select(r => r.Raw).Should().Equal("id,acct", "x,,", "last");
        records.Select(r => r.Fields.Length).Should().Equal(2, 3, 1);
    }

    [Theory]
    [InlineData("e,\"f\ng\",h\ni,j\n")]
    [InlineData("e\"f,g\ni,j\n")]
    public void AQuote_HandsTheRestToSylvanFromItsRecord(string rest)
    {
        var (records, remainder) = ReadAll(Encoding.UTF8.GetBytes("a,b\r\nc,d\n" + rest));

        records.Select(r => r.Raw).Should().Equal("a,b", "c,d");
        remainder.Should().Be(rest);
    }

    [Fact]
    public void HandOver_KeepsTheOriginalBytes_AfterTextThatIsNotAscii()
    {
        byte[] input = [.. "é,x\r\n账户,y\r"u8, .. "\"q\",z\né\n"u8];

        var records = ReadAll(input, out var restBytes);

        records.Select(r => r.Raw).Should().Equal("é,x", "账户,y");
        records[1].Fields.Should().Equal("账户", "y");
        restBytes.Should().Equal([.. "\"q\",z\né\n"u8]);
    }

    [Fact]
    public void ABlockThatIsNotUtf8_IsLeftToSylvanWhole()
    {
        byte[] input = [.. "a,b\n"u8, 0xFF, .. ",y\n"u8];

        var records = ReadAll(input, out var restBytes);

        records.Should().BeEmpty();
        restBytes.Should().Equal(input);
    }

    [Fact]
    public void ALongRecord_IsLeftToSylvan()
    {
        var longField = new string('x', UnquotedCsvReader.MaxRecordBytes + 1);
        var (records, rest) = ReadAll(Encoding.UTF8.GetBytes($"a,b\n{longField},c\nd,e\n"));

        records.Select(r => r.Raw).Should().Equal("a,b");
        rest.Should().Be($"{longField},c\nd,e\n");
    }

    [Fact]
    public void ALineLongerThanABlock_IsLeftToSylvan()
    {
        var huge = new string('x', Block + 10);
        var (records, rest) = ReadAll(Encoding.UTF8.GetBytes($"\uFEFF{huge}\na,b\n"));

        records.Should().BeEmpty();
        rest.Should().Be($"{huge}\na,b\n", "the byte-order mark at the start is skipped in both readers");
    }

    [Theory]
    [InlineData("\r\n")]
    [InlineData("\n")]
    [InlineData("\r")]
    public void RecordsAcrossBlocks_AreEachReadOnce(string lineBreak)
    {
        // 1 MB blocks: lines of 7 to 13 bytes put line breaks, and both halves of \r\n, on each side of every block edge.
        var text = new StringBuilder();
        var expected = new List<string>();
        for (var i = 0; text.Length < (3 * Block) + 100; i++)
        {
            var line = $"{i},{new string('y', i % 7)}";
            expected.Add(line);
            text.Append(line).Append(lineBreak);
        }

        var (records, rest) = ReadAll(Encoding.UTF8.GetBytes(text.ToString()));

        rest.Should().BeNull();
        records.Select(r => r.Raw).Should().Equal(expected);
    }

    /// <summary>
    /// A usage log of valid, bad, quoted, blank and non-ASCII rows, with <c>\n</c> and <c>\r\n</c> line
    /// breaks, gives the same rows, totals and rejects as Sylvan alone. (Not lone <c>\r</c>: this test
    /// found that Sylvan reads one as a line break or not depending on the text after it.)
    /// </summary>
    [Property(MaxTest = 200)]
    public void UsageLog_ReadsAsWithSylvanAlone(int seed)
    {
        var random = new Random(seed);
        string[] rows =
        [
            "r{0},acct-1,real-time,2025-09-02T01:00:00Z,60,",
            "r{0},acct-2,recording-file,2025-09-02T16:00:00.5+08:00,0.2,calls",
            "r{0},\"acct, quoted\",real-time,2025-09-03T01:00:00Z,5,t",
            "r{0},\"acct\nwith a break\",real-time,2025-09-03T01:00:00Z,5,",
            "r{0},账户,real-time,2025-09-04T01:00:00Z,7,标签",
            "r{0},acct-1,nope,2025-09-02T01:00:00Z,60,",
            "r{0},acct-1,real-time,2025-09-02T01:00:00,60,",
            "r{0},acct-1,real-time,2025-09-02T01:00:00Z,-1,",
            "r{0},acct-1,real-time,2025-09-02T01:00:00Z,60",
            "r{0},a;b;c;d;e;f;g,real-time,2025-09-02T01:00:00Z,60,x;y",
            " r1\u00A0,\u3000acct-1 ,real-time,2025-09-05T01:00:00Z,61,\u2003calls\u00A0",
            "r{0},\u00A0,real-time,2025-09-05T01:00:00Z,62,\t",
            "\u00A0\u3000",
            "r1,acct-1,real-time,2025-09-02T01:00:00Z,60,",
            "r{0},ab\"c,real-time,2025-09-02T01:00:00Z,60,",
            "",
            "  ",
        ];
        string[] breaks = ["\n", "\r\n"];
        var text = new StringBuilder();
        if (random.Next(4) == 0)
        {
            text.Append('\uFEFF');
        }

        for (var i = 0; i < random.Next(1, 40); i++)
        {
            text.Append(string.Format(System.Globalization.CultureInfo.InvariantCulture, rows[random.Next(rows.Length)], i));
            text.Append(breaks[random.Next(breaks.Length)]);
        }

        var bytes = Encoding.UTF8.GetBytes(text.ToString()).ToList();
        var at = bytes.Count > 0 ? random.Next(bytes.Count) : -1;
        if (random.Next(3) == 0 && at >= 0 && bytes[at] is not (byte)'\n' and not (byte)'\r')
        {
            bytes[at] = (byte)random.Next(0x80, 0x100); // an invalid UTF-8 byte
        }

        if (random.Next(2) == 0)
        {
            // no final line break
            while (bytes.Count > 0 && bytes[^1] is (byte)'\n' or (byte)'\r')
            {
                bytes.RemoveAt(bytes.Count - 1);
            }
        }

        byte[] input = [.. "id,account,service,start,duration_seconds,tag\n"u8, .. bytes];
        foreach (var duplicates in new[] { DuplicatePolicy.Reject, DuplicatePolicy.Ignore })
        {
            var options = BillingOptions.Default.WithDuplicates(duplicates);
            var fast = Outcome(new UsageCsvReader(options, keepRejects: true, threads: 1), input);
            var sylvan = Outcome(new UsageCsvReader(options, keepRejects: true, threads: 1) { SylvanOnly = true }, input);
            fast.Should().Be(sylvan);
        }
    }

    private static string Outcome(UsageCsvReader reader, byte[] input)
    {
        try
        {
            var result = reader.ReadUsage(CsvSource.Stdin(() => new MemoryStream(input)));
            var totals = result.Totals.Select(t => $"{t.Account}/{t.Service.Id}/{t.Date}/{t.BillableSeconds}/{string.Join("+", t.TagSeconds.OrderBy(p => p.Key, StringComparer.Ordinal))}");
            var rejects = result.Rejects.Select(r => $"{r.Line}:{r.Row}:{r.Reason}");
            return $"read {result.RowsRead} ignored {result.DuplicatesIgnored}\n{string.Join("\n", totals)}\n{string.Join("\n", rejects)}";
        }
        catch (CliInputException e)
        {
            return "error: " + e.Message;
        }
    }

    /// <summary>Records as <c>[field|field]</c>, one after another.</summary>
    private static string Show(IEnumerable<string[]> records) => string.Concat(records.Select(r => $"[{string.Join("|", r)}]"));

    private static (List<(string[] Fields, string Raw)> Records, string? Remainder) ReadAll(byte[] input)
    {
        var (records, rest) = (ReadAll(input, out var restBytes), restBytes);
        return (records, rest is null ? null : Encoding.UTF8.GetString(rest));
    }

    private static List<(string[] Fields, string Raw)> ReadAll(byte[] input, out byte[]? rest)
    {
        var reader = new UnquotedCsvReader(new MemoryStream(input));
        var records = new List<(string[], string)>();
        while (reader.Read())
        {
            records.Add(([.. Enumerable.Range(0, reader.FieldCount).Select(i => Encoding.UTF8.GetString(reader.Field(i)))], Encoding.UTF8.GetString(reader.Record)));
        }

        if (reader.Rest is { } stream)
        {
            using var copy = new MemoryStream();
            stream.CopyTo(copy);
            rest = copy.ToArray();
        }
        else
        {
            rest = null;
        }

        return records;
    }

    private static List<string[]> Sylvan(string text)
    {
        using var reader = global::Sylvan.Data.Csv.CsvDataReader.Create(
            new StreamReader(new MemoryStream(Encoding.UTF8.GetBytes(text)), Encoding.UTF8),
            new global::Sylvan.Data.Csv.CsvDataReaderOptions { HasHeaders = false, Delimiter = ',' });
        var records = new List<string[]>();
        while (reader.Read())
        {
            records.Add([.. Enumerable.Range(0, reader.RowFieldCount).Select(i => reader.GetFieldSpan(i).ToString())]);
        }

        return records;
    }
}
