namespace AsrBilling.Csv;

/// <summary>
/// What reading a CSV gave: the daily totals to price, and the count of every row, so that none is
/// lost: <see cref="RowsRead"/> = <see cref="RowsBilled"/> + <see cref="DuplicatesIgnored"/> + rejected.
/// </summary>
/// <example><code>var bill = PriceCalculator.Compute(result.Totals, options.Billing);</code></example>
public sealed class UsageCsvResult
{
    internal UsageCsvResult(DailyTotalTable totals, long rowsRead, long duplicatesIgnored, IReadOnlyList<RejectedRow> rejects)
    {
        Totals = totals;
        RowsRead = rowsRead;
        DuplicatesIgnored = duplicatesIgnored;
        Rejects = rejects;
    }

    /// <summary>The daily totals per account, service and billing date: give them to <see cref="PriceCalculator.Compute(IEnumerable{DailyTotal}, BillingOptions?)"/>.</summary>
    public DailyTotalTable Totals { get; }

    /// <summary>The data rows read (blank lines are not rows).</summary>
    public long RowsRead { get; }

    /// <summary>The rows billed: read − duplicates ignored − rejected.</summary>
    public long RowsBilled => RowsRead - DuplicatesIgnored - Rejects.Count;

    /// <summary>The rows skipped because their id came earlier, under <see cref="DuplicatePolicy.Ignore"/>.</summary>
    public long DuplicatesIgnored { get; }

    /// <summary>The rows not billed, by line, when <see cref="UsageCsvOptions.KeepRejects"/> is set; otherwise empty.</summary>
    public IReadOnlyList<RejectedRow> Rejects { get; }
}
