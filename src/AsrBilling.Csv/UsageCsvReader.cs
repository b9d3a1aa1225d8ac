namespace AsrBilling.Csv;

/// <summary>
/// Reads a usage CSV (<c>id,account,service,start,duration_seconds,tag</c>, any order) into daily
/// totals. Rows without quotes are split and parsed as UTF-8 bytes; from a quote on, Sylvan reads the
/// rest of the byte range. A large file is split at line breaks into ranges of about
/// <see cref="UsageCsvOptions.ChunkBytes"/>, which one worker per core takes in turn, each with its own
/// <see cref="UsageAggregator"/>; the workers' aggregators are merged.
/// </summary>
/// <remarks>
/// <para>
/// Line numbers count CSV records, the header being line 1; they equal physical lines unless a
/// quoted field holds a line break. A split can only fall inside such a field if an odd number of
/// quotes comes before it: the readers count quotes as they go, and when a split turns out to be
/// inside quotes the file is read again by one worker.
/// </para>
/// <para>
/// Duplicate ids: one worker checks each id as it reads it. Parallel workers log 64-bit id keys
/// (<see cref="IdLog"/>), which are checked after reading. When a key repeats, the file is read
/// again for the rows with a repeated key: their ids are compared as text, the first occurrence in
/// file order is kept, and the usage of every repeat is taken out of the totals, so that a
/// duplicate is never billed.
/// </para>
/// </remarks>
internal sealed class UsageCsvReader
{
    private readonly UsageCsvOptions _csv;

    /// <summary>Creates a reader.</summary>
    /// <param name="options">The billing options, rejects, threads, progress and chunk sizes.</param>
    public UsageCsvReader(UsageCsvOptions options)
    {
        options.Validate();
        _csv = options;
    }

    /// <summary>Creates a reader; for tests.</summary>
    internal UsageCsvReader(BillingOptions options, bool keepRejects, int threads, bool readBytes = true)
        : this(new UsageCsvOptions { Billing = options, KeepRejects = keepRejects, Threads = threads, ReadBytes = readBytes, TagSeconds = true })
    {
    }

    public UsageCsvResult ReadUsage(CsvSource source)
    {
        var (layout, headerBytes, rest) = CsvHeader.Read(source, CsvLayout.UsageColumns, CsvLayout.UsageRequired, "usage");
        var chunks = source.Length is { } length && rest is null ? ChunkPlanner.Plan(_csv, source, headerBytes, length) : null;
        if (chunks is { Count: > 1 })
        {
            var parallel = ParallelRead.Read(_csv, source, layout, chunks);
            if (parallel is not null)
            {
                return parallel;
            }

            rest = null; // a split fell inside a quoted field, or a day overflowed: read the file again in one pass
        }

        var progress = ProgressCounter.Start(_csv.Progress, source.Length is { } size ? size - headerBytes : null);
        using var stream = new CountingStream(rest ?? CsvInput.OpenAt(source, headerBytes, long.MaxValue), progress);
        // A usage row takes some 80 bytes: the id table is sized for the file's rows at that, and grows past it.
        using var worker = new ChunkWorker(_csv, layout, inlineDuplicates: true, expectedIds: source.Length is { } bytes ? bytes / 80 : 0);
        var read = worker.Run(stream, firstLine: 2, shouldStop: null);
        if (read.FirstError is { } failure)
        {
            throw new UsageCsvException(failure.Line, failure.Column, failure.Reason);
        }

        return new UsageCsvResult(worker.Aggregator.ToDailyTotalTable(), read.Rows, read.DuplicatesIgnored, read.Rejects);
    }

    public UsageCsvResult ReadDailyTotals(CsvSource source) => DailyTotalsCsvReader.Read(_csv, source);
}
