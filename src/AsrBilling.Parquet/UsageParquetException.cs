using System.Globalization;

namespace AsrBilling.Parquet;

/// <summary>
/// A usage or daily-totals Parquet file that cannot be billed: a bad row (when rejects are not kept),
/// a missing column or one of an unsupported type, or a file that cannot be read. The message names
/// the problem and where it is.
/// </summary>
public sealed class UsageParquetException : AsrBillingException
{
    /// <summary>Creates the exception for a problem at a row, and optionally a column, of the input.</summary>
    /// <param name="row">The 1-based data row (the first row of the file is row 1), or 0 when the problem is not in a row.</param>
    /// <param name="column">The column's name, or null when the problem is the whole row or file.</param>
    /// <param name="reason">What is wrong.</param>
    /// <param name="innerException">The underlying error, if any.</param>
    public UsageParquetException(long row, string? column, string reason, Exception? innerException = null)
        : base(Describe(row, column, reason), innerException)
    {
        Row = row;
        Column = column;
        Reason = reason;
    }

    /// <summary>The 1-based data row of the problem (the first row of the file is row 1); 0 when it is not in a row, such as a missing column.</summary>
    public long Row { get; }

    /// <summary>The column of the problem, by its name in the file's schema (<c>start</c>, <c>duration_seconds</c>); null for the whole row or file.</summary>
    public string? Column { get; }

    /// <summary>What is wrong, without the place.</summary>
    public string Reason { get; }

    /// <summary>The message: <c>row 7, column start: …</c>, <c>column start: …</c>, <c>row 7: …</c>, or the reason alone.</summary>
    internal static string Describe(long row, string? column, string reason) =>
        row <= 0 ? (column is null ? reason : $"column {column}: {reason}")
        : column is null ? string.Create(CultureInfo.InvariantCulture, $"row {row}: {reason}")
        : string.Create(CultureInfo.InvariantCulture, $"row {row}, column {column}: {reason}");
}
