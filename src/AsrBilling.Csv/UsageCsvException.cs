using System.Globalization;

namespace AsrBilling.Csv;

/// <summary>
/// A usage or daily-totals CSV that cannot be billed: a bad row (when rejects are not kept), a bad
/// header, or a file that cannot be read. The message names the problem and where it is.
/// </summary>
public sealed class UsageCsvException : AsrBillingException
{
    /// <summary>Creates the exception for a problem at a line, and optionally a column, of the input.</summary>
    /// <param name="line">The 1-based CSV line (the header is line 1), or 0 when the problem is not on a line.</param>
    /// <param name="column">The column's name, or null when the problem is the whole row or file.</param>
    /// <param name="reason">What is wrong.</param>
    /// <param name="innerException">The underlying error, if any.</param>
    public UsageCsvException(long line, string? column, string reason, Exception? innerException = null)
        : base(Describe(line, column, reason), innerException)
    {
        Line = line;
        Column = column;
        Reason = reason;
    }

    /// <summary>The 1-based CSV line of the problem (the header is line 1); 0 when it is not on a line, such as a file that cannot be opened.</summary>
    public long Line { get; }

    /// <summary>The column of the problem, by its header name (<c>start</c>, <c>duration_seconds</c>), or a 1-based number in a bad header; null for the whole row.</summary>
    public string? Column { get; }

    /// <summary>What is wrong, without the place.</summary>
    public string Reason { get; }

    /// <summary>The message: <c>line 7, column start: …</c>, <c>line 7: …</c>, or the reason alone.</summary>
    internal static string Describe(long line, string? column, string reason) =>
        line <= 0 ? reason
        : column is null ? string.Create(CultureInfo.InvariantCulture, $"line {line}: {reason}")
        : string.Create(CultureInfo.InvariantCulture, $"line {line}, column {column}: {reason}");
}
