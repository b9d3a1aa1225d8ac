using AsrBilling.Csv;
using AsrBilling.Parquet;

namespace AsrBilling.Cli.Commands;

/// <summary>What a read gave, from a CSV or a Parquet file alike: the totals, the row counts, and the rejects (their line or row number, reason and text).</summary>
internal sealed record UsageRows(
    DailyTotalTable Totals, long RowsRead, long RowsBilled, long DuplicatesIgnored, IReadOnlyList<(long Number, string Reason, string Row)> Rejects, bool FromParquet)
{
    public static UsageRows From(UsageCsvResult csv) =>
        new(csv.Totals, csv.RowsRead, csv.RowsBilled, csv.DuplicatesIgnored, [.. csv.Rejects.Select(r => (r.Line, r.Reason, r.Row))], FromParquet: false);

    public static UsageRows From(UsageParquetResult parquet) =>
        new(parquet.Totals, parquet.RowsRead, parquet.RowsBilled, parquet.DuplicatesIgnored, [.. parquet.Rejects.Select(r => (r.Row, r.Reason, r.Values))], FromParquet: true);
}
