namespace AsrBilling.Cli.Output;

/// <summary>
/// RFC 4180 cells for CSV output. Sylvan's writer works from a <c>DbDataReader</c>; a bill's rows
/// are few and plain, so the two rules are written here.
/// </summary>
internal static class CsvText
{
    /// <summary>
    /// A text cell: a value that a spreadsheet would run as a formula (starting with <c>=</c>,
    /// <c>+</c>, <c>-</c>, <c>@</c>, tab or CR) is neutralised with a leading <c>'</c>; a value with a
    /// comma, quote, line break or edge space is quoted, with quotes doubled.
    /// </summary>
    public static string Cell(string value)
    {
        if (value.Length > 0 && value[0] is '=' or '+' or '-' or '@' or '\t' or '\r')
        {
            value = "'" + value;
        }

        var quote = value.AsSpan().IndexOfAny(",\"\r\n") >= 0 || (value.Length > 0 && (value[0] == ' ' || value[^1] == ' '));
        return quote ? "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : value;
    }

    public static string Row(params string[] cells) => string.Join(",", cells);
}
