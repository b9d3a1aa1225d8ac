namespace AsrBilling.Csv;

/// <summary>
/// The columns of an input CSV, found by name in any order (ASCII case and surrounding spaces are
/// ignored). Columns the reader does not use are skipped, because real exports carry more (a region,
/// a request id); a repeated name or a missing required column is an error on line 1.
/// </summary>
internal sealed class CsvLayout
{
    public static readonly string[] UsageColumns = ["id", "account", "service", "start", "duration_seconds", "tag"];
    public static readonly string[] UsageRequired = ["service", "start", "duration_seconds"];
    public static readonly string[] TotalsColumns = ["account", "service", "date", "billable_seconds"];
    public static readonly string[] TotalsRequired = ["service", "date", "billable_seconds"];

    private readonly Dictionary<string, int> _ordinals;

    private CsvLayout(Dictionary<string, int> ordinals, int fieldCount, string[] names)
    {
        _ordinals = ordinals;
        FieldCount = fieldCount;
        Names = names;
    }

    /// <summary>How many fields every row must have.</summary>
    public int FieldCount { get; }

    /// <summary>The header's column names, by ordinal.</summary>
    public string[] Names { get; }

    public static CsvLayout Parse(IReadOnlyList<string> header, string[] known, string[] required, string kind)
    {
        var ordinals = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        var names = new string[header.Count];
        for (var i = 0; i < header.Count; i++)
        {
            var name = header[i].Trim();
            names[i] = name;
            if (name.Length > 0 && !ordinals.TryAdd(name, i))
            {
                throw new UsageCsvException(1, Column(i), $"the column '{name}' appears twice, as columns {ordinals[name] + 1} and {i + 1}");
            }
        }

        var missing = required.Where(r => !ordinals.ContainsKey(r)).ToList();
        if (missing.Count > 0)
        {
            throw new UsageCsvException(
                1,
                null,
                $"missing required column{(missing.Count > 1 ? "s" : string.Empty)} {string.Join(", ", missing.Select(m => $"'{m}'"))}; the {kind} columns are {string.Join(", ", known)}");
        }

        return new CsvLayout(ordinals, header.Count, names);
    }

    private static string Column(int ordinal) => (ordinal + 1).ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>The ordinal of a column, or -1 when the header does not have it.</summary>
    public int this[string column] => _ordinals.TryGetValue(column, out var ordinal) ? ordinal : -1;
}
