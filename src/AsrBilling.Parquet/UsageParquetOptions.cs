namespace AsrBilling.Parquet;

/// <summary>How <see cref="UsageParquet"/> reads a Parquet file: set with an object initializer.</summary>
/// <example><code>var options = new UsageParquetOptions { Billing = BillingOptions.Default, KeepRejects = true };</code></example>
public sealed class UsageParquetOptions
{
    /// <summary>The options of every read: <see cref="BillingOptions.Default"/>, bad rows throw.</summary>
    public static UsageParquetOptions Default { get; } = new();

    /// <summary>The price book (its services and rounding rules), the billing zone and the duplicate policy.</summary>
    /// <value>The default is <see cref="BillingOptions.Default"/>: the built-in book, Asia/Shanghai billing days, duplicates rejected.</value>
    public BillingOptions Billing { get; init; } = BillingOptions.Default;

    /// <summary>Whether bad rows are kept in <see cref="UsageParquetResult.Rejects"/> while the valid rows are billed (true), or the first bad row throws (false).</summary>
    /// <value>The default is false. A missing column, a column of an unsupported type or an unreadable file throws either way.</value>
    public bool KeepRejects { get; init; }

    /// <summary>Whether the input holds daily totals (<c>account,service,date,billable_seconds</c>) that another engine computed, rather than usage records.</summary>
    /// <value>The default is false: usage records (<c>id,account,service,start,duration_seconds,tag</c>).</value>
    public bool DailyTotals { get; init; }

    /// <summary>Whether seconds are also summed per tag, for <see cref="CostAllocation.Allocate"/> by tag.</summary>
    /// <value>The default is false: tags are read but not summed, so the cost of a read follows the daily totals, not the (account, tag) pairs.</value>
    public bool TagSeconds { get; init; }

    /// <summary>The name of the input in messages.</summary>
    /// <value>The default is the path, or <c>the stream</c>.</value>
    public string? SourceName { get; init; }

    /// <summary>Throws when an option is out of range.</summary>
    /// <summary>How many threads may read a file's row groups at once; a stream is read by one.</summary>
    /// <value>The default is <see cref="Environment.ProcessorCount"/>. Must be at least 1.</value>
    public int Threads { get; init; } = Environment.ProcessorCount;

    /// <summary>The bits of each id's key that are kept: tests make different ids share keys.</summary>
    internal ulong IdKeyMask { get; init; } = ulong.MaxValue;

    /// <summary>The most rows of a row group read alone whose starts, seconds and id digests are worked out at once where it was decoded (45 bytes a row); a larger group's by slices as its rows are read.</summary>
    internal int PreparedWholeRows { get; init; } = 1 << 18;

    internal void Validate()
    {
        ArgumentNullException.ThrowIfNull(Billing, nameof(Billing));
        ArgumentOutOfRangeException.ThrowIfLessThan(Threads, 1, nameof(Threads));
    }
}
