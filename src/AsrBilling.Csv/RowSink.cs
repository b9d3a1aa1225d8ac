using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using AsrBilling.Bulk;
using NodaTime;

namespace AsrBilling.Csv;

/// <summary>What checking a row's id decided.</summary>
internal enum IdCheck
{
    /// <summary>Logged, or not seen before: go on with the row.</summary>
    New,

    /// <summary>Seen before and duplicates are ignored: the row is counted as ignored and is done.</summary>
    Ignored,

    /// <summary>Seen before and duplicates are reported: the row is bad.</summary>
    Repeated,
}

/// <summary>
/// Where one worker's rows go, from the byte path and the text path alike: it checks each id, adds
/// the row to the chunk's aggregator (byte rows in batches), or keeps it as a reject or the first error.
/// </summary>
internal sealed class RowSink : IDisposable
{
    private readonly KeyTable _accounts;
    private readonly KeyTable _tags;
    private readonly PendingRows _pending = new();
    private readonly Dictionary<string, string> _strings = new(StringComparer.Ordinal);
    private readonly IdTable? _seen;
    private readonly HashSet<ulong>? _repeatedKeys;
    private readonly ulong _idKeyMask;
    private readonly bool _ignoreDuplicates;
    private readonly BillingOptions _billing;

    // Before this start some service has no price version in force (every service has one from here on).
    private readonly long _allPricedTicks;

    // The chunk being read: where its lines start, when to stop early.
    private long _firstLine;
    private Func<bool>? _shouldStop;

    /// <param name="csv">The options.</param>
    /// <param name="inlineDuplicates">Whether ids are checked as they are read (one worker), or logged (several).</param>
    /// <param name="repeatedKeys">When given, nothing is billed or reported: only the valid rows whose id key is one of these are collected.</param>
    /// <param name="expectedIds">How many ids a worker that checks them inline may meet, as far as is known (0: unknown); its table grows past it.</param>
    public RowSink(UsageCsvOptions csv, bool inlineDuplicates, HashSet<ulong>? repeatedKeys, long expectedIds = 0)
    {
        _repeatedKeys = repeatedKeys;
        _idKeyMask = csv.IdKeyMask;
        _ignoreDuplicates = csv.Billing.Duplicates == DuplicatePolicy.Ignore;
        KeepRejects = csv.KeepRejects;
        TagSeconds = csv.TagSeconds;
        Aggregator = new UsageAggregator(csv.Billing);
        _billing = csv.Billing;
        var starts = csv.Billing.BillableStarts;
        _allPricedTicks = AllPricedTicks(csv.Billing);
        FirstStartTicks = Math.Max(starts.HasStart ? starts.Start.ToUnixTimeTicks() : long.MinValue, _allPricedTicks);
        LastStartTicks = starts.HasEnd ? starts.End.ToUnixTimeTicks() - 1 : long.MaxValue;
        _accounts = KeyTable.Accounts(Aggregator);
        _tags = KeyTable.Tags(Aggregator);
        if (inlineDuplicates)
        {
            _seen = new IdTable(Math.Max(expectedIds, 1 << 16));
        }
        else if (repeatedKeys is null)
        {
            Ids = new IdLog(csv.IdKeyMask);
        }
    }

    /// <summary>The totals of every chunk this worker read.</summary>
    public UsageAggregator Aggregator { get; }

    /// <summary>The id keys of every chunk this worker read.</summary>
    public IdLog? Ids { get; }

    /// <summary>Whether rows are only collected when their id key repeats, after a first read.</summary>
    public bool CollectsRepeats => _repeatedKeys is not null;

    /// <summary>Whether bad rows are kept as rejects rather than stopping the read.</summary>
    public bool KeepRejects { get; }

    /// <summary>Whether rows are billed per tag as well.</summary>
    public bool TagSeconds { get; }

    /// <summary>The first start, in Unix ticks, that every service of the book can bill: its billing date is in the calendar and priced.</summary>
    public long FirstStartTicks { get; }

    /// <summary>The last start, in Unix ticks, whose billing date the calendar holds.</summary>
    public long LastStartTicks { get; }

    /// <summary>
    /// Why a row of a service starting at <paramref name="start"/> cannot be billed, in the library's
    /// words: its billing date is outside the calendar, or before the service's first price version.
    /// Null when it can be billed.
    /// </summary>
    public string? Unbillable(AsrService service, Instant start)
    {
        var ticks = start.ToUnixTimeTicks();
        if (ticks > LastStartTicks || (ticks < FirstStartTicks && !_billing.BillableStarts.Contains(start)))
        {
            return new BillingDateOutOfRangeException(start, _billing.Zone.Id).Message;
        }

        return ticks >= _allPricedTicks ? null : CsvInput.NoPrice(_billing.PriceBook, service, start.InZone(_billing.Zone).Date);
    }

    /// <summary>The first instant on whose billing date every service of the book has a price version in force.</summary>
    private static long AllPricedTicks(BillingOptions billing)
    {
        var latestFirst = billing.PriceBook.Tables.GroupBy(t => t.Service).Max(g => g.Min(t => t.EffectiveFrom));
        try
        {
            return latestFirst.AtStartOfDayInZone(billing.Zone).ToInstant().ToUnixTimeTicks();
        }
        catch (ArgumentOutOfRangeException)
        {
            return long.MinValue; // the day starts before the first instant: every instant is on or after it
        }
    }

    // The counts of the chunk being read; see ChunkRead.
    private long Rows { get; set; }

    private long Lines { get; set; }

    private long DuplicatesIgnored { get; set; }

    private List<RejectedRow> Rejects { get; set; } = [];

    private List<RepeatCandidate> Candidates { get; set; } = [];

    private List<RepeatCandidate> ZeroRows { get; set; } = [];

    private RowError? FirstError { get; set; }

    /// <summary>Starts a chunk.</summary>
    /// <param name="firstLine">The line number of the chunk's first line, or 0 to number from 0 (fixed up when the chunks before are counted).</param>
    /// <param name="shouldStop">Asked now and then: true stops the chunk early.</param>
    public void Begin(long firstLine, Func<bool>? shouldStop)
    {
        (_firstLine, _shouldStop) = (firstLine, shouldStop);
        (Rows, Lines, DuplicatesIgnored, Rejects, Candidates, ZeroRows, FirstError) = (0, 0, 0, [], [], [], null);
    }

    /// <summary>What the chunk gave.</summary>
    public ChunkRead End(long quotes) => new(Lines, Rows, quotes, DuplicatesIgnored, Rejects, Candidates, ZeroRows, FirstError);

    /// <summary>Counts a line read, blank or not, and returns its number.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public long NextLine() => _firstLine + Lines++;

    /// <summary>Counts a data row; true when the run asks to stop (asked every 65,536 rows).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool CountRowAndStop() => (++Rows & 0xFFFF) == 0 && _shouldStop?.Invoke() == true;

    /// <summary>Logs a row's id, or checks it against the ids seen so far in this chunk's read.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public IdCheck CheckId(IdLog.IdDigest digest, long line)
    {
        if (_seen is null)
        {
            Ids!.Add(digest);
            return IdCheck.New;
        }

        return _seen.Add(digest, line) == 0 ? IdCheck.New : Duplicate();
    }

    /// <summary>Whether ids are checked as they are read, in a table that <see cref="PrefetchId"/> helps.</summary>
    public bool ChecksIdsInline => _seen is not null;

    /// <summary>Asks for the memory of an id's slot some rows before <see cref="CheckId"/>.</summary>
    public void PrefetchId(ReadOnlySpan<byte> id) => _seen!.Prefetch(IdLog.Digest(id));

    /// <summary>Why a row whose id got <see cref="IdCheck.Repeated"/> is bad.</summary>
    public string DuplicateReason(ReadOnlySpan<char> id, IdLog.IdDigest digest) => RepeatPass.DuplicateReason(id, _seen!.FirstRow(digest));

    /// <summary>Gives back the id table's memory, which is not the garbage collector's.</summary>
    public void Dispose() => _seen?.Dispose();

    /// <summary>Whether an id's key is one of the repeated keys looked for.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool IsRepeatedKey(IdLog.IdDigest digest) => _repeatedKeys!.Contains(IdLog.Key(digest, _idKeyMask));

    /// <summary>Collects a valid row whose id key repeats.</summary>
    public void AddCandidate(RepeatCandidate candidate) => Candidates.Add(candidate);

    /// <summary>Collects a valid row of 0 s whose id key does not repeat: the day it bills stays in the totals.</summary>
    public void AddZeroRow(RepeatCandidate row) => ZeroRows.Add(row);

    /// <summary>Queues a byte row, whose account and tag are offsets and lengths in <paramref name="text"/>; false to stop reading.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool Add(ReadOnlySpan<byte> text, int account, int accountLength, int tag, int tagLength, AsrService service, long ticks, long seconds, long line, int start, int end)
    {
        var pending = _pending;
        pending.Add(account, accountLength, tag, tagLength, service, ticks, seconds, line, start, end);
        return !pending.IsFull || FlushPending(text);
    }

    /// <summary>Whether a day's seconds overflowed in this worker, in any chunk: a split read then gives way to one pass, whose rows are added in file order.</summary>
    public bool Overflowed { get; private set; }

    /// <summary>Adds a row read as text; null, or why its day would overflow.</summary>
    public string? Add(UsageKey key, AsrService service, Instant start, long seconds)
    {
        try
        {
            Aggregator.Add(key, service, start, seconds);
            return null;
        }
        catch (UsageOverflowException e)
        {
            Overflowed = true;
            return e.Message;
        }
    }

    /// <summary>
    /// Adds the byte rows waiting in <see cref="_pending"/>, whose text is in <paramref name="text"/>;
    /// a row whose day would overflow is a bad row. False to stop reading.
    /// </summary>
    public bool FlushPending(ReadOnlySpan<byte> text)
    {
        var p = _pending;
        if (p.Count == 0)
        {
            return true;
        }

        var withTag = TagSeconds;
        for (var i = 0; i < p.Count; i++)
        {
            p.Hashes[i] = _accounts.Prepare(text.Slice(p.Accounts[i], p.AccountLengths[i]));
            p.TagHashes[i] = withTag && p.TagLengths[i] > 0 ? _tags.Prepare(text.Slice(p.Tags[i], p.TagLengths[i])) : 0;
        }

        for (var i = 0; i < p.Count; i++)
        {
            _accounts.PrefetchText(p.Hashes[i]);
            if (withTag && p.TagLengths[i] > 0)
            {
                _tags.PrefetchText(p.TagHashes[i]);
            }
        }

        for (var i = 0; i < p.Count; i++)
        {
            var account = _accounts.Get(p.Hashes[i], text.Slice(p.Accounts[i], p.AccountLengths[i]));
            p.Keys[i] = withTag && p.TagLengths[i] > 0 ? account.WithTag(_tags.Get(p.TagHashes[i], text.Slice(p.Tags[i], p.TagLengths[i]))) : account;
        }

        var failed = Aggregator.AddBatch(p.Keys.AsSpan(0, p.Count), p.Services.AsSpan(0, p.Count), p.Ticks.AsSpan(0, p.Count), p.Seconds.AsSpan(0, p.Count), p.Overflowed);
        p.Count = 0;
        Overflowed |= failed > 0;
        for (var f = 0; f < failed; f++)
        {
            var i = p.Overflowed[f];
            string message;
            try
            {
                // Adding it alone throws the same overflow, with the account, service and date in its message.
                Aggregator.AddAtUnixTicks(p.Keys[i], p.Services[i], p.Ticks[i], p.Seconds[i]);
                continue;
            }
            catch (UsageOverflowException e)
            {
                message = e.Message;
            }

            // Not read again as text: the id is already taken.
            var raw = KeepRejects ? CsvInput.NoBom.GetString(text[p.Starts[i]..p.Ends[i]]) : null;
            if (!Fail(p.Lines[i], "duration_seconds", message, raw))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Keeps a bad row as a reject and returns true when its text is given (rejects are kept), or records it as the first error and returns false.</summary>
    public bool Fail(long line, string? column, string error, string? rawRow)
    {
        if (rawRow is not null)
        {
            Rejects.Add(new RejectedRow(line, CsvInput.Reason(column, error), rawRow));
            return true;
        }

        FirstError = new RowError(line, column, error);
        return false;
    }

    /// <summary>Records malformed CSV on the line after the last one read: the reader cannot go on past it.</summary>
    public void FailMalformed(string reason) => FirstError = new RowError(_firstLine + Lines, null, reason);

    /// <summary>The aggregator's key of a row's account and, when tag seconds are kept, its tag, from their trimmed UTF-8 bytes.</summary>
    public UsageKey KeyOf(ReadOnlySpan<byte> account, ReadOnlySpan<byte> tag)
    {
        var key = _accounts.Get(_accounts.Prepare(account), account);
        return TagSeconds && !tag.IsEmpty ? key.WithTag(_tags.Get(_tags.Prepare(tag), tag)) : key;
    }

    /// <summary>The text of UTF-8 bytes, one string per distinct text; null for none.</summary>
    public string? Intern(ReadOnlySpan<byte> bytes)
    {
        if (bytes.IsEmpty)
        {
            return null;
        }

        var text = CsvInput.NoBom.GetString(bytes);
        ref var interned = ref CollectionsMarshal.GetValueRefOrAddDefault(_strings, text, out _);
        return interned ??= text;
    }

    private IdCheck Duplicate()
    {
        if (!_ignoreDuplicates)
        {
            return IdCheck.Repeated;
        }

        DuplicatesIgnored++;
        return IdCheck.Ignored;
    }
}
