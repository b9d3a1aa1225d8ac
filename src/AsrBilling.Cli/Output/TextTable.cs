namespace AsrBilling.Cli.Output;

/// <summary>An aligned plain-text table for people: columns padded to their widest cell.</summary>
internal sealed class TextTable(params string[] headers)
{
    private readonly List<string[]> _rows = [];

    // Rows made on demand, from any thread, when there are many; null when they are added.
    private (int Count, Func<int, string[]> Row)? _made;

    public int ColumnCount => headers.Length;

    private int RowCount => _made?.Count ?? _rows.Count;

    public void AddRow(params string[] cells) => _rows.Add(cells);

    /// <summary>Adds rows made elsewhere, in order.</summary>
    public void AddRows(IEnumerable<string[]> rows) => _rows.AddRange(rows);

    /// <summary>
    /// Takes <paramref name="count"/> rows made by <paramref name="row"/> (on several threads at once)
    /// instead of added ones: they are made twice, for the widths and for the text, and never kept,
    /// since a million rows of kept cells cost more in garbage collection than making them again.
    /// </summary>
    public void MakeRows(int count, Func<int, string[]> row) => _made = (count, row);

    private string[] Row(int index) => _made is { } made ? made.Row(index) : _rows[index];

    /// <summary>Writes the table; given the stream under <paramref name="output"/>, a large table's rows are formatted by chunks on all cores and written to it in order.</summary>
    public void WriteTo(TextWriter output, IReadOnlyCollection<int> rightAligned, Stream? stream = null)
    {
        var widths = headers.Select(h => h.Length).ToArray();
        var count = RowCount;
        var rangeWidths = Ranges.Map(count, OrderedChunks.DefaultChunkLines, (from, to) =>
        {
            var most = new int[widths.Length];
            for (var k = from; k < to; k++)
            {
                var row = Row(k);
                for (var i = 0; i < row.Length; i++)
                {
                    most[i] = Math.Max(most[i], row[i].Length);
                }
            }

            return most;
        });
        foreach (var most in rangeWidths)
        {
            for (var i = 0; i < widths.Length; i++)
            {
                widths[i] = Math.Max(widths[i], most[i]);
            }
        }

        var right = Enumerable.Range(0, widths.Length).Select(rightAligned.Contains).ToArray();
        var line = new char[widths.Sum() + (2 * widths.Length)];
        WriteRow(output, headers, widths, right, line);
        WriteRule(output, widths);
        if (stream is not null && count >= OrderedChunks.DefaultChunkLines)
        {
            output.Flush();
            var newLine = output.NewLine;
            OrderedChunks.WriteUtf8(stream, count, (buffer, start, end) =>
            {
                var chars = new char[line.Length + newLine.Length];
                for (var r = start; r < end; r++)
                {
                    var length = Pad(Row(r), widths, right, chars);
                    newLine.CopyTo(chars.AsSpan(length));
                    length += newLine.Length;
                    buffer.Advance(System.Text.Encoding.UTF8.GetBytes(chars.AsSpan(0, length), buffer.GetSpan(System.Text.Encoding.UTF8.GetMaxByteCount(length))));
                }
            });
            return;
        }

        for (var k = 0; k < count; k++)
        {
            WriteRow(output, Row(k), widths, right, line);
        }
    }

    private static void WriteRule(TextWriter output, int[] widths) =>
        output.WriteLine(string.Join("  ", widths.Select(w => new string('-', w))));

    private static void WriteRow(TextWriter output, string[] cells, int[] widths, bool[] right, char[] line)
    {
        output.Write(line.AsSpan(0, Pad(cells, widths, right, line)));
        output.WriteLine();
    }

    /// <summary>A row's cells padded into one line, two spaces apart, without trailing white space: in a buffer, not a string per cell (a table of a million rows); returns its length.</summary>
    private static int Pad(string[] cells, int[] widths, bool[] right, Span<char> line)
    {
        var at = 0;
        for (var i = 0; i < cells.Length; i++)
        {
            if (i > 0)
            {
                line[at++] = ' ';
                line[at++] = ' ';
            }

            var (cell, pad) = (cells[i], widths[i] - cells[i].Length);
            if (right[i])
            {
                line.Slice(at, pad).Fill(' ');
                at += pad;
            }

            cell.CopyTo(line[at..]);
            at += cell.Length;
            if (!right[i])
            {
                line.Slice(at, pad).Fill(' ');
                at += pad;
            }
        }

        return line[..at].TrimEnd().Length;
    }
}
