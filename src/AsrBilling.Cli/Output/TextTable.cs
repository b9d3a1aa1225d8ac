namespace AsrBilling.Cli.Output;

/// <summary>An aligned plain-text table for people: columns padded to their widest cell.</summary>
internal sealed class TextTable(params string[] headers)
{
    private readonly List<string[]> _rows = [];

    public int ColumnCount => headers.Length;

    public void AddRow(params string[] cells) => _rows.Add(cells);

    /// <summary>Adds rows made elsewhere, in order.</summary>
    public void AddRows(IEnumerable<string[]> rows) => _rows.AddRange(rows);

    /// <summary>Writes the table; given the stream under <paramref name="output"/>, a large table's rows are formatted by chunks on all cores and written to it in order.</summary>
    public void WriteTo(TextWriter output, IReadOnlyCollection<int> rightAligned, Stream? stream = null)
    {
        var widths = headers.Select(h => h.Length).ToArray();
        foreach (var row in _rows)
        {
            for (var i = 0; i < row.Length; i++)
            {
                widths[i] = Math.Max(widths[i], row[i].Length);
            }
        }

        var right = Enumerable.Range(0, widths.Length).Select(rightAligned.Contains).ToArray();
        var line = new char[widths.Sum() + (2 * widths.Length)];
        WriteRow(output, headers, widths, right, line);
        WriteRule(output, widths);
        if (stream is not null && _rows.Count >= OrderedChunks.DefaultChunkLines)
        {
            output.Flush();
            var newLine = output.NewLine;
            OrderedChunks.WriteUtf8(stream, _rows.Count, (buffer, start, end) =>
            {
                var chars = new char[line.Length + newLine.Length];
                for (var r = start; r < end; r++)
                {
                    var length = Pad(_rows[r], widths, right, chars);
                    newLine.CopyTo(chars.AsSpan(length));
                    length += newLine.Length;
                    buffer.Advance(System.Text.Encoding.UTF8.GetBytes(chars.AsSpan(0, length), buffer.GetSpan(System.Text.Encoding.UTF8.GetMaxByteCount(length))));
                }
            });
            return;
        }

        foreach (var row in _rows)
        {
            WriteRow(output, row, widths, right, line);
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
