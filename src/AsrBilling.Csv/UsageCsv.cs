namespace AsrBilling.Csv;

/// <summary>
/// Reads usage logs (<c>id,account,service,start,duration_seconds,tag</c>) or daily totals
/// (<c>account,service,date,billable_seconds</c>) from CSV into daily totals to price.
/// </summary>
/// <remarks>
/// <para>
/// Columns are found by name, in any order. Each record is rounded up to whole seconds and counted
/// on the billing date, in the options' zone, on which it starts; repeated ids are rejected or
/// ignored as the billing options say, and never billed twice. A bad row throws a
/// <see cref="UsageCsvException"/> naming its line and column, or is kept in
/// <see cref="UsageCsvResult.Rejects"/> with <see cref="UsageCsvOptions.KeepRejects"/>.
/// </para>
/// <para>
/// A file is read by up to <see cref="UsageCsvOptions.Threads"/> threads over byte ranges; rows
/// without quotes are parsed as UTF-8 bytes. Memory grows with the daily totals and, for duplicate
/// checks, 8 bytes per id; per-tag seconds are kept only with <see cref="UsageCsvOptions.TagSeconds"/>.
/// </para>
/// </remarks>
/// <example>
/// <code>
/// var options = new UsageCsvOptions { Billing = BillingOptions.Default, KeepRejects = true };
/// var result = UsageCsv.Read("usage.csv", options);
/// var bill = PriceCalculator.Compute(result.Totals, options.Billing);
/// </code>
/// </example>
// The two Read overloads with an optional options argument are the package's fixed contract.
#pragma warning disable RS0026
public static class UsageCsv
{
    /// <summary>Reads a CSV file, with several threads when it is large.</summary>
    /// <param name="path">The file.</param>
    /// <param name="options">How to read and bill it; null for <see cref="UsageCsvOptions.Default"/>.</param>
    /// <returns>The daily totals and the row counts.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="path"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range, such as <see cref="UsageCsvOptions.Threads"/> below 1.</exception>
    /// <exception cref="UsageCsvException">The file cannot be read, its header is bad, or a row is bad and rejects are not kept.</exception>
    public static UsageCsvResult Read(string path, UsageCsvOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(path);
        options ??= UsageCsvOptions.Default;
        var reader = new UsageCsvReader(options);
        var source = CsvSource.File(path, options.SourceName);
        return options.DailyTotals ? reader.ReadDailyTotals(source) : reader.ReadUsage(source);
    }

    /// <summary>Reads a CSV stream once, in order, with one thread. The stream is left open.</summary>
    /// <param name="stream">The CSV bytes, UTF-8.</param>
    /// <param name="options">How to read and bill it; null for <see cref="UsageCsvOptions.Default"/>.</param>
    /// <returns>The daily totals and the row counts.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="stream"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range.</exception>
    /// <exception cref="UsageCsvException">The stream cannot be read, its header is bad, or a row is bad and rejects are not kept.</exception>
    public static UsageCsvResult Read(Stream stream, UsageCsvOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(stream);
        options ??= UsageCsvOptions.Default;
        var reader = new UsageCsvReader(options);
        var source = CsvSource.FromStream(stream, options.SourceName ?? "the stream");
        return options.DailyTotals ? reader.ReadDailyTotals(source) : reader.ReadUsage(source);
    }
}
#pragma warning restore RS0026
