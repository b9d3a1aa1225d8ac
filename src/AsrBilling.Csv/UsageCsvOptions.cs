namespace AsrBilling.Csv;

/// <summary>How <see cref="UsageCsv"/> reads a CSV: set with an object initializer.</summary>
/// <example><code>var options = new UsageCsvOptions { Billing = BillingOptions.Default, KeepRejects = true };</code></example>
public sealed class UsageCsvOptions
{
    /// <summary>The options of every read: <see cref="BillingOptions.Default"/>, bad rows throw, one thread per core.</summary>
    public static UsageCsvOptions Default { get; } = new();

    /// <summary>The price book (its services and rounding rules), the billing zone and the duplicate policy.</summary>
    /// <value>The default is <see cref="BillingOptions.Default"/>: the built-in book, Asia/Shanghai billing days, duplicates rejected.</value>
    public BillingOptions Billing { get; init; } = BillingOptions.Default;

    /// <summary>Whether bad rows are kept in <see cref="UsageCsvResult.Rejects"/> while the valid rows are billed (true), or the first bad row throws (false).</summary>
    /// <value>The default is false. A bad header, an unreadable file or malformed CSV quoting throws either way.</value>
    public bool KeepRejects { get; init; }

    /// <summary>How many threads may read a large file at once; a stream is read by one.</summary>
    /// <value>The default is <see cref="Environment.ProcessorCount"/>. Must be at least 1.</value>
    public int Threads { get; init; } = Environment.ProcessorCount;

    /// <summary>Whether the input holds daily totals (<c>account,service,date,billable_seconds</c>) that another engine computed, rather than usage records.</summary>
    /// <value>The default is false: usage records (<c>id,account,service,start,duration_seconds,tag</c>).</value>
    public bool DailyTotals { get; init; }

    /// <summary>Whether seconds are also summed per tag, for <see cref="CostAllocation.Allocate"/> by tag.</summary>
    /// <value>The default is false: tags are read and checked but not summed, so the cost of a read follows the daily totals, not the (account, tag) pairs.</value>
    public bool TagSeconds { get; init; }

    /// <summary>Where to report bytes read, from any thread, or null.</summary>
    /// <value>The default is null.</value>
    public IProgress<UsageCsvProgress>? Progress { get; init; }

    /// <summary>The name of the input in messages, such as <c>standard input</c>.</summary>
    /// <value>The default is the path, or <c>the stream</c>.</value>
    public string? SourceName { get; init; }

    /// <summary>The size of the byte ranges that threads take one after another from a large file.</summary>
    /// <value>The default is 8 MiB. Must be at least 1.</value>
    public long ChunkBytes { get; init; } = 8L << 20;

    /// <summary>The smallest part of a file worth a thread of its own: a smaller file is read by one thread.</summary>
    /// <value>The default is 16 MiB. Must be at least 1.</value>
    public long MinChunkBytes { get; init; } = 16L << 20;

    /// <summary>Whether rows without quotes are parsed as UTF-8 bytes (true), or every row by Sylvan as text, the reference the byte path is tested against.</summary>
    internal bool ReadBytes { get; init; } = true;

    /// <summary>The bits of each 64-bit id key that are kept: fewer bits make different ids share keys, which tests use.</summary>
    internal ulong IdKeyMask { get; init; } = ulong.MaxValue;

    /// <summary>Throws when an option is out of range.</summary>
    internal void Validate()
    {
        ArgumentNullException.ThrowIfNull(Billing, nameof(Billing));
        ArgumentOutOfRangeException.ThrowIfLessThan(Threads, 1, nameof(Threads));
        ArgumentOutOfRangeException.ThrowIfLessThan(ChunkBytes, 1, nameof(ChunkBytes));
        ArgumentOutOfRangeException.ThrowIfLessThan(MinChunkBytes, 1, nameof(MinChunkBytes));
    }
}
