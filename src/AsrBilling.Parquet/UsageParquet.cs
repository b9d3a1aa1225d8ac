namespace AsrBilling.Parquet;

/// <summary>
/// Reads usage logs (<c>id,account,service,start,duration_seconds,tag</c>) or daily totals
/// (<c>account,service,date,billable_seconds</c>) from Parquet into daily totals to price.
/// </summary>
/// <remarks>
/// <para>
/// Columns are found by name, as in a CSV: in any order, ignoring ASCII case and surrounding spaces,
/// and other columns are skipped. Text columns are read exactly as the CSV reader reads its fields.
/// <c>start</c> may also be a timestamp adjusted to UTC (milli-, micro- or nanoseconds), and
/// <c>duration_seconds</c> a decimal, an integer or a floating-point number; a floating-point
/// number is read as the shortest decimal that round-trips to it, never through binary arithmetic.
/// </para>
/// <para>
/// Each record is rounded up to whole seconds and counted on the billing date, in the options'
/// zone, on which it starts; repeated ids are rejected or ignored as the billing options say, and
/// never billed twice. A bad row throws a <see cref="UsageParquetException"/> naming its row and
/// column, or is kept in <see cref="UsageParquetResult.Rejects"/> with <see cref="UsageParquetOptions.KeepRejects"/>.
/// </para>
/// </remarks>
/// <example>
/// <code>
/// var options = new UsageParquetOptions { Billing = BillingOptions.Default, KeepRejects = true };
/// var result = UsageParquet.Read("usage.parquet", options);
/// var bill = PriceCalculator.Compute(result.Totals, options.Billing);
/// </code>
/// </example>
// The two Read overloads with an optional options argument mirror the CSV package's contract.
#pragma warning disable RS0026
public static class UsageParquet
{
    /// <summary>Reads a Parquet file.</summary>
    /// <param name="path">The file.</param>
    /// <param name="options">How to read and bill it; null for <see cref="UsageParquetOptions.Default"/>.</param>
    /// <returns>The daily totals and the row counts.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="path"/> is null.</exception>
    /// <exception cref="UsageParquetException">The file cannot be read, a column is missing or of an unsupported type, or a row is bad and rejects are not kept.</exception>
    public static UsageParquetResult Read(string path, UsageParquetOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(path);
        options ??= UsageParquetOptions.Default;
        options.Validate();
        FileStream stream;
        try
        {
            stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.RandomAccess);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new UsageParquetException(0, null, $"cannot read {options.SourceName ?? path}: {e.Message}", e);
        }

        using (stream)
        {
            return ParquetInput.Read(stream, options, options.SourceName ?? path, path);
        }
    }

    /// <summary>Reads a Parquet stream, which must be seekable (Parquet keeps its schema at the end). The stream is left open.</summary>
    /// <param name="stream">The Parquet bytes.</param>
    /// <param name="options">How to read and bill it; null for <see cref="UsageParquetOptions.Default"/>.</param>
    /// <returns>The daily totals and the row counts.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="stream"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="stream"/> cannot seek.</exception>
    /// <exception cref="UsageParquetException">The stream is not Parquet, a column is missing or of an unsupported type, or a row is bad and rejects are not kept.</exception>
    public static UsageParquetResult Read(Stream stream, UsageParquetOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(stream);
        if (!stream.CanSeek)
        {
            throw new ArgumentException("A Parquet stream must be seekable: its schema is at its end. Copy it into a MemoryStream or a file first.", nameof(stream));
        }

        options ??= UsageParquetOptions.Default;
        options.Validate();
        return ParquetInput.Read(stream, options, options.SourceName ?? "the stream");
    }
}
#pragma warning restore RS0026
