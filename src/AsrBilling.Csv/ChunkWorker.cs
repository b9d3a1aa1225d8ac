namespace AsrBilling.Csv;

/// <summary>
/// One thread's reader: reads byte ranges of usage rows, one after another, into its own
/// <see cref="RowSink"/> (aggregator and id log), through the byte path and, where it cannot go on, the text path.
/// </summary>
internal sealed class ChunkWorker : IDisposable
{
    private readonly RowSink _sink;
    private readonly TextRowReader _text;
    private readonly ByteRowScanner? _bytes;

    /// <param name="csv">The options.</param>
    /// <param name="layout">The columns.</param>
    /// <param name="inlineDuplicates">Whether this worker checks ids as it reads (one worker), or logs them (several).</param>
    /// <param name="repeatedKeys">When given, nothing is billed or reported: the worker only collects the valid rows whose id key is one of these.</param>
    /// <param name="expectedIds">How many ids a worker that checks them inline may meet, as far as is known (0: unknown).</param>
    public ChunkWorker(UsageCsvOptions csv, CsvLayout layout, bool inlineDuplicates, HashSet<ulong>? repeatedKeys = null, long expectedIds = 0)
    {
        IReadOnlyList<AsrService> services = csv.Billing.PriceBook.Services;
        var dates = new FieldParsers.DateCache();
        _sink = new RowSink(csv, inlineDuplicates, repeatedKeys, expectedIds);
        _text = new TextRowReader(_sink, layout, services, dates);
        _bytes = csv.ReadBytes ? new ByteRowScanner(_sink, _text, layout, services, dates) : null;
    }

    /// <summary>The totals of every chunk this worker read.</summary>
    public UsageAggregator Aggregator => _sink.Aggregator;

    /// <summary>Whether a day's seconds overflowed in any chunk this worker read.</summary>
    public bool Overflowed => _sink.Overflowed;

    /// <summary>The id keys of every chunk this worker read.</summary>
    public IdLog? Ids => _sink.Ids;

    /// <summary>Gives back the memory of the ids checked inline (a log is its reader's to free).</summary>
    public void Dispose() => _sink.Dispose();

    /// <summary>Reads one chunk into this worker's aggregator and id log.</summary>
    /// <param name="counting">The chunk's bytes.</param>
    /// <param name="firstLine">The line number of the chunk's first line, or 0 to number from 0 (fixed up when the chunks before are counted).</param>
    /// <param name="shouldStop">Asked now and then: true stops the chunk early.</param>
    public ChunkRead Run(CountingStream counting, long firstLine, Func<bool>? shouldStop)
    {
        _sink.Begin(firstLine, shouldStop);
        if (_bytes is null)
        {
            _text.ReadText(counting);
        }
        else if (_bytes.ReadBytes(counting) is { } rest)
        {
            _text.ReadText(rest);
        }

        return _sink.End(counting.Quotes);
    }
}
