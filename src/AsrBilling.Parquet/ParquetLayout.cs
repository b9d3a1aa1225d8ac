using Parquet.Schema;

namespace AsrBilling.Parquet;

/// <summary>
/// The columns of an input file, found by name as in a CSV: in any order, ignoring ASCII case and
/// surrounding spaces, other columns skipped. Only top-level, non-repeated columns count.
/// </summary>
internal sealed class ParquetLayout
{
    public static readonly string[] UsageColumns = ["id", "account", "service", "start", "duration_seconds", "tag"];
    public static readonly string[] UsageRequired = ["service", "start", "duration_seconds"];
    public static readonly string[] TotalsColumns = ["account", "service", "date", "billable_seconds"];
    public static readonly string[] TotalsRequired = ["service", "date", "billable_seconds"];

    private readonly Dictionary<string, DataField> _fields;

    private ParquetLayout(Dictionary<string, DataField> fields) => _fields = fields;

    public static ParquetLayout Find(ParquetSchema schema, string[] known, string[] required, string kind)
    {
        var fields = new Dictionary<string, DataField>(StringComparer.OrdinalIgnoreCase);
        foreach (var field in schema.Fields)
        {
            var name = field.Name.Trim();
            if (!known.Contains(name, StringComparer.OrdinalIgnoreCase))
            {
                continue;
            }

            if (fields.ContainsKey(name))
            {
                throw new UsageParquetException(0, name, $"the column '{name}' appears twice");
            }

            fields[name] = field is DataField { IsArray: false } data
                ? data
                : throw new UsageParquetException(0, name, $"the column '{field.Name}' is a {field.SchemaType.ToString().ToLowerInvariant()}, not a column of single values");
        }

        var missing = required.Where(r => !fields.ContainsKey(r)).ToList();
        if (missing.Count > 0)
        {
            throw new UsageParquetException(
                0,
                missing[0],
                $"missing required column{(missing.Count > 1 ? "s" : string.Empty)} {string.Join(", ", missing.Select(m => $"'{m}'"))}; the {kind} columns are {string.Join(", ", known)}");
        }

        return new ParquetLayout(fields);
    }

    /// <summary>The column of that name, or null when the file does not have it.</summary>
    public DataField? this[string column] => _fields.TryGetValue(column, out var field) ? field : null;
}
