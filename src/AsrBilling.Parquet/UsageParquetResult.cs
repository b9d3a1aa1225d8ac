namespace AsrBilling.Parquet;

/// <summary>
/// What reading a Parquet file gave: the daily totals to price, and the count of every row, so that
/// none is lost: <see cref="RowsRead"/> = <see cref="RowsBilled"/> + <see cref="DuplicatesIgnored"/> + rejected.
/// </summary>
/// <example><code>var bill = PriceCalculator.Compute(result.Totals, options.Billing);</code></example>
public sealed class UsageParquetResult
{
    internal UsageParquetResult(DailyTotalTable totals, long rowsRead, long duplicatesIgnored, IReadOnlyList<RejectedParquetRow> rejects)
    {
        Totals = totals;
        RowsRead = rowsRead;
        DuplicatesIgnored = duplicatesIgnored;
        Rejects = rejects;
    }

    /// <summary>The daily totals per account, service and billing date: give them to <see cref="PriceCalculator.Compute(IEnumerable{DailyTotal}, BillingOptions?)"/>.</summary>
    public DailyTotalTable Totals { get; }

    /// <summary>The rows read, over every row group.</summary>
    public long RowsRead { get; }

    /// <summary>The rows billed: read − duplicates ignored − rejected.</summary>
    public long RowsBilled => RowsRead - DuplicatesIgnored - Rejects.Count;

    /// <summary>The rows skipped because their id came earlier, under <see cref="DuplicatePolicy.Ignore"/>.</summary>
    public long DuplicatesIgnored { get; }

    /// <summary>The rows not billed, in row order, when <see cref="UsageParquetOptions.KeepRejects"/> is set; otherwise empty.</summary>
    public IReadOnlyList<RejectedParquetRow> Rejects { get; }
}
