namespace AsrBilling.Parquet;

/// <summary>A row that was not billed: its number, why, and its values.</summary>
/// <param name="Row">The 1-based data row, counted over the file's row groups in order (the first row of the file is row 1).</param>
/// <param name="Reason">Why it was not billed, starting with the column when one is at fault: <c>start: '…' is not an ISO-8601 instant …</c>.</param>
/// <param name="Values">The row's values in the columns the reader uses, in the file's column order, joined by commas as in a CSV (a null is empty).</param>
public readonly record struct RejectedParquetRow(long Row, string Reason, string Values);
