namespace AsrBilling.Csv;

/// <summary>A row that was not billed: its line, why, and its text as read.</summary>
/// <param name="Line">The 1-based CSV line (the header is line 1).</param>
/// <param name="Reason">Why it was not billed, starting with the column when one is at fault: <c>start: '…' is not an ISO-8601 instant …</c>.</param>
/// <param name="Row">The row's text as read, without its line break.</param>
public readonly record struct RejectedRow(long Line, string Reason, string Row);
