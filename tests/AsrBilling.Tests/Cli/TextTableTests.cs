using System.Text;
using AsrBilling.Cli.Output;

namespace AsrBilling.Tests.Cli;

/// <summary>
/// A table is its cells padded to each column's widest, two spaces apart, the right-aligned columns
/// padded on the left, without trailing spaces; a large one written by chunks to the stream is the
/// same text, line for line, as a small one written through the writer.
/// </summary>
public class TextTableTests
{
    [Theory]
    [InlineData(3, false)]
    [InlineData(40_000, false)] // past a chunk of lines: formatted on all cores and written to the stream
    [InlineData(3, true)]
    [InlineData(40_000, true)] // rows made on demand, twice, on several threads
    public void Rows_ArePaddedToTheWidestCell_RightAlignedWhereAsked(int rows, bool made)
    {
        var random = new Random(rows);
        var cells = Enumerable.Range(0, rows)
            .Select(r => new[] { $"acct-{random.Next(100_000)}", random.Next(3) == 0 ? "é" : "real-time", random.Next(1, 1_000_000).ToString(System.Globalization.CultureInfo.InvariantCulture), random.Next(2) == 0 ? string.Empty : "x" })
            .ToList();
        var table = new TextTable("account", "service", "seconds", "note");
        if (made)
        {
            table.MakeRows(cells.Count, i => [.. cells[i]]);
        }
        else
        {
            table.AddRows(cells);
        }

        using var stream = new MemoryStream();
        using (var output = new StreamWriter(stream, new UTF8Encoding(false), 1 << 16, leaveOpen: true) { NewLine = "\n" })
        {
            table.WriteTo(output, rightAligned: [2], stream);
            output.WriteLine("end");
        }

        // The expected text, made here cell by cell.
        string[] headers = ["account", "service", "seconds", "note"];
        var widths = Enumerable.Range(0, 4).Select(c => cells.Select(r => r[c].Length).Append(headers[c].Length).Max()).ToArray();
        string Line(string[] row) => string.Join("  ", row.Select((cell, c) => c == 2 ? cell.PadLeft(widths[c]) : cell.PadRight(widths[c]))).TrimEnd();
        var expected = new StringBuilder();
        expected.Append(Line(headers)).Append('\n');
        expected.Append(string.Join("  ", widths.Select(w => new string('-', w)))).Append('\n');
        foreach (var row in cells)
        {
            expected.Append(Line(row)).Append('\n');
        }

        expected.Append("end\n");
        Encoding.UTF8.GetString(stream.ToArray()).Should().Be(expected.ToString());
    }
}
