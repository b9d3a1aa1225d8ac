namespace AsrBilling.Csv;

/// <summary>How far a read has got, reported through <see cref="UsageCsvOptions.Progress"/>.</summary>
/// <param name="BytesRead">The bytes read so far, over every thread.</param>
/// <param name="TotalBytes">The bytes to read after the header, or null for a stream of unknown length.</param>
public readonly record struct UsageCsvProgress(long BytesRead, long? TotalBytes);
