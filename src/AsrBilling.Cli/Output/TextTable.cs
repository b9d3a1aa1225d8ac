namespace AsrBilling.Cli.Output;

/// <summary>An aligned plain-text table for people: columns padded to their widest cell.</summary>
internal sealed class TextTable(params string[] headers)
{
    private readonly List<string[]> _rows = [];

    public int ColumnCount => headers.Length;

    public void AddRow(params string[] cells) => _rows.Add(cells);

    public void WriteTo(TextWriter output, IReadOnlyCollection<int> rightAligned)
    {
        var widths = headers.Select(h => h.Length).ToArray();
        foreach (var row in _rows)
        {
            for (var i = 0; i < row.Length; i++)
            {
                widths[i] = Math.Max(widths[i], row[i].Length);
            }
        }

        WriteRow(output, headers, widths, rightAligned);
        WriteRule(output, widths);
        foreach (var row in _rows)
        {
            WriteRow(output, row, widths, rightAligned);
        }
    }

    private static void WriteRule(TextWriter output, int[] widths) =>
        output.WriteLine(string.Join("  ", widths.Select(w => new string('-', w))));

    private static void WriteRow(TextWriter output, string[] cells, int[] widths, IReadOnlyCollection<int> rightAligned)
    {
        var padded = cells.Select((c, i) => rightAligned.Contains(i) ? c.PadLeft(widths[i]) : c.PadRight(widths[i]));
        output.WriteLine(string.Join("  ", padded).TrimEnd());
    }
}
