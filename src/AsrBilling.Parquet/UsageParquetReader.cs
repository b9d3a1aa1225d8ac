using System.Runtime.CompilerServices;
using AsrBilling.Bulk;
using AsrBilling.Csv;
using Parquet;
using Parquet.Schema;

namespace AsrBilling.Parquet;

/// <summary>
/// Reads usage rows from Parquet, one row group at a time, into a <see cref="UsageAggregator"/> by the
/// bulk API, with the CSV reader's checks in the CSV reader's order: service, start, duration, id.
/// </summary>
/// <remarks>
/// Read alone, ids are checked as they are read (<see cref="IdTable"/>), the first occurrence kept, as the
/// CSV reader's single pass does. As one of several workers (<see cref="ParallelParquetRead"/>), each reads
/// the row groups it is given and only logs its ids (<see cref="IdLog"/>); a second pass over the rows whose
/// id keys repeat (<see cref="RepeatCandidates"/>) finds the repeats, as the CSV reader's parallel read does.
/// </remarks>
internal sealed class UsageParquetReader : IDisposable
{
    private readonly UsageParquetOptions _options;
    private readonly ParquetReader _reader;
    private readonly Stream _file;
    private readonly UsageAggregator _aggregator;
    private readonly KeyCache _keys;
    private readonly HeldTexts<AsrService?> _servicesHeld = new();
    private readonly FindText<AsrService?> _findService;
    private readonly BillableStarts _starts;
    private readonly IReadOnlyList<AsrService> _services;
    private readonly FieldParsers.DateCache _dates = new();
    private readonly IdTable? _seen;
    private IdLog? _log;
    private HashSet<ulong>? _repeatedKeys;
    private readonly List<RepeatCandidate> _candidates = [];
    private readonly List<RepeatCandidate> _zeroRows = [];
    private readonly List<RejectedParquetRow> _rejects = [];
    private readonly bool _ignoreDuplicates;

    // Two sets of the columns: the next row group is decoded into one while the rows of the other are read.
    private readonly Columns[] _sets;
    private readonly ChunkBuffer _buffer = new();
    private TextColumn? _id;
    private TextColumn? _account;
    private TextColumn _service;
    private ParquetColumn _start;
    private ParquetColumn _duration;
    private TextColumn? _tag;
    private ParquetColumn[] _columns;

    // The batch of valid rows to add, and their row numbers for a day that would overflow; added by the
    // thousand, while its arrays are still in cache (the CSV reader adds every 64 rows).
    private const int BatchRows = 1024;
    private UsageKey[] _batchKeys = [];
    private AsrService[] _batchServices = [];
    private long[] _batchTicks = [];
    private long[] _batchSeconds = [];
    private long[] _batchRows = [];
    private int[] _overflowed = [];
    private string[] _batchValues = [];
    private int _batchCount;

    // Worked out where each set is decoded, off the rows' thread: whether each row has an id and its digest (so that each row's
    // slot is asked for a few rows ahead), and each valid start and duration (Unread where not valid).
    private const int PrefetchAhead = 16;
    private const long Unread = long.MinValue;
    private readonly Prepared[] _prepared = [new(), new()];
    // One per set: a set is prepared where it was decoded while a large group of the other is prepared as its rows are read.
    private readonly FieldParsers.DateCache[] _decodedDates = [new(), new()];
    private Prepared _rows = new();

    // A reader that decodes its own groups prepares their rows by slices as it reads them, so that what it
    // prepared is still in cache; _rows then holds rows [_rowBase, _sliceEnd).
    private const int PrepareSlice = 4096;
    private int _rowBase;
    private int _sliceEnd;

    private long _rowsRead;
    private long _duplicatesIgnored;

    /// <summary>A reader of every row group in turn, with ids checked inline (<paramref name="mode"/> Alone), or a worker that logs them (Logging).</summary>
    public UsageParquetReader(UsageParquetOptions options, ParquetReader reader, Stream file, IdMode mode = IdMode.Alone)
    {
        _options = options;
        (_reader, _file) = (reader, file);
        _aggregator = new UsageAggregator(options.Billing);
        _keys = new KeyCache(_aggregator);
        _starts = new BillableStarts(options.Billing);
        _services = options.Billing.PriceBook.Services;
        _findService = text => FieldParsers.Service(text, _services);
        _ignoreDuplicates = options.Billing.Duplicates == DuplicatePolicy.Ignore;
        (_seen, _log) = mode == IdMode.Alone ? (new IdTable(reader.Metadata?.NumRows ?? 0), null) : ((IdTable?)null, new IdLog(options.IdKeyMask));
        var layout = ParquetLayout.Find(reader.Schema, ParquetLayout.UsageColumns, ParquetLayout.UsageRequired, "usage");
        var fields = reader.Schema.DataFields.ToList();
        _sets = [Columns.Of(layout, fields), Columns.Of(layout, fields)];
        (_id, _account, _service, _start, _duration, _tag, _columns) = _sets[0];
        Reserve(reader, mode == IdMode.Alone ? _sets : [_sets[0]], _buffer);
    }

    /// <summary>Sizes each Snappy column's page buffer and the chunk buffer once, for the largest chunk of the file's footer: a worker uses one set, a reader alone both.</summary>
    private static void Reserve(ParquetReader reader, Columns[] sets, ChunkBuffer buffer)
    {
        var columns = sets[0].All;
        var (pages, chunk) = (new long[columns.Length], 0L);
        for (var g = 0; g < reader.RowGroupCount; g++)
        {
            using var group = reader.OpenRowGroupReader(g);
            for (var c = 0; c < columns.Length; c++)
            {
                if (group.GetMetadata(columns[c].Field)?.MetaData is { Codec: global::Parquet.Meta.CompressionCodec.SNAPPY } meta)
                {
                    (pages[c], chunk) = (Math.Max(pages[c], meta.TotalUncompressedSize), Math.Max(chunk, meta.TotalCompressedSize));
                }
            }
        }

        buffer.Reserve(chunk);
        foreach (var set in sets)
        {
            for (var c = 0; c < columns.Length; c++)
            {
                set.All[c].Reserve(pages[c]);
            }
        }
    }

    public async ValueTask<UsageParquetResult> ReadAsync()
    {
        await ParquetInput.ForEachGroupAsync(_reader, _file, [.. _sets.Select(s => s.All)], (set, rows, firstRow) =>
        {
            (_id, _account, _service, _start, _duration, _tag, _columns) = _sets[set];
            _rows = _prepared[set];
            return Group(set, rows, firstRow, sliced: rows > _options.PreparedWholeRows);
        }, (set, rows) =>
        {
            if (rows <= _options.PreparedWholeRows)
            {
                Prepare(set, 0, rows);
            }
        }, _buffer).ConfigureAwait(false);
        _rejects.Sort((a, b) => a.Row.CompareTo(b.Row));
        return new UsageParquetResult(_aggregator.ToDailyTotalTable(), _rowsRead, _duplicatesIgnored, _rejects);
    }

    /// <summary>How the ids are checked.</summary>
    public enum IdMode
    {
        /// <summary>As they are read, in one table: the reader reads every row group.</summary>
        Alone,

        /// <summary>Logged by key, for <see cref="IdLog.FindRepeatedKeys(IReadOnlyList{IdLog})"/>: the reader is one of several.</summary>
        Logging,
    }

    public UsageAggregator Aggregator => _aggregator;

    /// <summary>Whether a day's seconds overflowed in a row group this reader read.</summary>
    public bool Overflowed { get; private set; }

    public long RowsRead => _rowsRead;

    public IdLog? Log => _log;

    public List<RejectedParquetRow> Rejects => _rejects;

    /// <summary>The valid rows whose id key repeats, found after <see cref="CollectRepeats"/>.</summary>
    public List<RepeatCandidate> RepeatCandidates => _candidates;

    /// <summary>The other valid rows of 0 s, found after <see cref="CollectRepeats"/>.</summary>
    public List<RepeatCandidate> ZeroRows => _zeroRows;

    /// <summary>
    /// Turns a worker whose log was read into the pass for repeats: the groups it reads next add nothing and
    /// count no rows; their valid rows whose id key is one of <paramref name="repeatedKeys"/>, and those of 0 s, are collected.
    /// </summary>
    public void CollectRepeats(HashSet<ulong> repeatedKeys)
    {
        _log?.Dispose();
        (_log, _repeatedKeys) = (null, repeatedKeys);
    }

    /// <summary>Reads one row group's rows, decoded here; false when a bad row stopped it (rejects not kept: it throws).</summary>
    public bool ReadGroup(int group, long firstRow)
    {
        var count = ParquetInput.LoadAsync(_reader, _file, group, [_sets[0].All], 0, decoded: null, _buffer).AsTask().GetAwaiter().GetResult();
        (_id, _account, _service, _start, _duration, _tag, _columns) = _sets[0];
        _rows = _prepared[0];
        return Group(0, count, firstRow, sliced: true);
    }

    /// <summary>Gives back the id table's or log's memory, which is not the garbage collector's.</summary>
    public void Dispose()
    {
        _seen?.Dispose();
        _log?.Dispose();
    }

    // Fully optimized at its first call: a loop run once per page or row group would stay in its precompiled code.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private bool Group(int set, int rows, long firstRow, bool sliced)
    {
        // Row indexes within a group and counts of rows: checks on them only cost the loop.
        unchecked
        {
            Arrays.Grow(ref _batchKeys, BatchRows);
            Arrays.Grow(ref _batchServices, BatchRows);
            Arrays.Grow(ref _batchTicks, BatchRows);
            Arrays.Grow(ref _batchSeconds, BatchRows);
            Arrays.Grow(ref _batchRows, BatchRows);
            Arrays.Grow(ref _overflowed, BatchRows);
            if (_options.KeepRejects)
            {
                Arrays.Grow(ref _batchValues, BatchRows);
            }

            _batchCount = 0;
            _keys.NewGroup(_account, _options.TagSeconds ? _tag : null, rows);
            _servicesHeld.NewGroup();
            (_rowBase, _sliceEnd) = (0, sliced ? 0 : rows);
            for (var i = 0; i < rows; i++)
            {
                if (i == _sliceEnd)
                {
                    (_rowBase, _sliceEnd) = (i, Math.Min(rows, i + PrepareSlice));
                    Prepare(set, i, _sliceEnd - i);
                }

                if (_seen is not null && _id is not null && i + PrefetchAhead < _sliceEnd)
                {
                    _seen.Prefetch(_rows.Digests[i + PrefetchAhead - _rowBase]);
                }

                if (i + KeyCache.RowsAhead < rows)
                {
                    _keys.Ahead(_account, _options.TagSeconds ? _tag : null, i + KeyCache.RowsAhead);
                }

                _rowsRead += _repeatedKeys is null ? 1 : 0;
                if (!Row(i, firstRow + i))
                {
                    return false;
                }
            }

            return Flush();
        }
    }

    /// <summary>
    /// Digests the ids of rows [<paramref name="first"/>, <paramref name="first"/> + <paramref name="rows"/>) of a set and
    /// reads their starts and durations, into the set's prepared columns from index 0: a whole group on the thread
    /// that decoded it, or a slice just before its rows are read.
    /// </summary>
    // Fully optimized at its first call: a loop run once per page or row group would stay in its precompiled code.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void Prepare(int set, int first, int rows)
    {
        // Row indexes, and ticks multiplied only within the bounds above: checks on them only cost the loops.
        unchecked
        {
            var (columns, prepared) = (_sets[set], _prepared[set]);
            prepared.Grow(rows);
            var hasId = prepared.HasId.AsSpan(0, rows);
            if (columns.Id is { EveryRowPlain: true, IsAscii: true } plainIds)
            {
                // Every id written in place, in order, and ASCII: its bytes at once, without its row's place.
                for (var i = 0; i < rows; i++)
                {
                    var bytes = FieldParsers.Trim(plainIds.PlainUtf8(first + i));
                    hasId[i] = !bytes.IsEmpty;
                    prepared.Digests[i] = IdLog.Digest(bytes);
                }
            }
            else if (columns.Id is { } ids)
            {
                var ascii = ids.IsAscii;
                for (var i = 0; i < rows; i++)
                {
                    // Bytes as the file holds them where this package decoded them and they are UTF-8; else the characters, encoded.
                    if (ids.IsDecoded && FieldParsers.Trim(ids.Utf8(first + i)) is var bytes && (ascii || System.Text.Unicode.Utf8.IsValid(bytes)))
                    {
                        hasId[i] = !bytes.IsEmpty;
                        prepared.Digests[i] = IdLog.Digest(bytes);
                    }
                    else
                    {
                        var id = FieldParsers.Trim(ids.Text(first + i));
                        hasId[i] = !id.IsEmpty;
                        prepared.Digests[i] = IdLog.Digest(id);
                    }
                }
            }
            else
            {
                hasId.Clear();
            }

            var codes = prepared.Codes.AsSpan(0, 3 * rows);
            TextColumn.WriteCodes(columns.Service, codes, 0, first, rows);
            TextColumn.WriteCodes(columns.Account, codes, 1, first, rows);
            TextColumn.WriteCodes(columns.Tag, codes, 2, first, rows);

            // Timestamps and decimals this package decoded are read in integers: a decimal's seconds rounded up by division.
            var (timestamps, decimals) = (columns.Start as ValueColumn<DateTime>, columns.Duration as ValueColumn<decimal>);
            var (perUnit, scale) = (timestamps?.TicksPerUnit ?? 0, decimals?.Scale ?? -1);
            var (low, high) = perUnit > 0 ? (-DateTime.UnixEpoch.Ticks / perUnit, (DateTime.MaxValue.Ticks - DateTime.UnixEpoch.Ticks) / perUnit) : (0, -1);
            var unit = scale is >= 0 and <= 18 ? Pow10(scale) : 1; // a wider decimal is left to Parquet.Net
            var ticks = prepared.Ticks.AsSpan(0, rows);
            var seconds = prepared.Seconds.AsSpan(0, rows);

            var startRaws = timestamps is null ? default : timestamps.DenseRaws(first, rows);
            var durationRaws = decimals is null ? default : decimals.DenseRaws(first, rows);
            if (startRaws.Length == rows && durationRaws.Length == rows)
            {
                // Both decoded here without nulls (so a timestamp in a unit read here and a decimal of scale 0 to 18): read in order, without each row's place.
                for (var i = 0; i < rows; i++)
                {
                    var (at, unscaled) = (startRaws[i], durationRaws[i]);
                    ticks[i] = at >= low && at <= high ? at * perUnit : StartTicks(set, columns.Start, first + i);
                    seconds[i] = unscaled >= 0 ? RoundUp(unscaled, scale, unit) : DurationSeconds(columns.Duration, first + i);
                }

                return;
            }

            for (var i = 0; i < rows; i++)
            {
                ticks[i] = timestamps is not null && timestamps.TryRaw(first + i, out var at) && at >= low && at <= high ? at * perUnit : StartTicks(set, columns.Start, first + i);
                seconds[i] = decimals is not null && decimals.TryRaw(first + i, out var unscaled) && unscaled >= 0 ? RoundUp(unscaled, scale, unit) : DurationSeconds(columns.Duration, first + i);
            }
        }
    }

    private long StartTicks(int set, ParquetColumn start, int i) => TryStart(start, _decodedDates[set], i, out var ticks, out _) ? ticks : Unread;

    private static long DurationSeconds(ParquetColumn duration, int i) => TypedFields.TrySeconds(duration, i, out var seconds, out _) ? seconds : Unread;

    /// <summary>The whole seconds of a decimal's unscaled value (not negative), rounded up; <paramref name="unit"/> is 10^<paramref name="scale"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static long RoundUp(long unscaled, int scale, long unit) => unchecked(scale switch
    {
        // The usual scales divide by a constant, which compiles to a multiplication; a quotient plus 1 cannot overflow.
        0 => unscaled,
        3 => (unscaled / 1000) + (unscaled % 1000 == 0 ? 0 : 1),
        6 => (unscaled / 1_000_000) + (unscaled % 1_000_000 == 0 ? 0 : 1),
        _ => (unscaled / unit) + (unscaled % unit == 0 ? 0 : 1),
    });

    private static long Pow10(int power)
    {
        long value = 1;
        for (var p = 0; p < power; p++)
        {
            value *= 10;
        }

        return value;
    }

    /// <summary>Checks one row and queues it; false to stop: the row is bad and rejects are not kept.</summary>
    // Fully optimized at its first call: it has no precompiled code (it uses the core's key type), and a thousand rows at tier 0 cost more than compiling it once.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private bool Row(int i, long row)
    {
        // Row indexes and counts of rows: checks on them only cost the row.
        unchecked
        {
            if (_repeatedKeys is not null && !MayBeCollected(i))
            {
                return true;
            }

            string? column = null, error = null;
            AsrService? service;
            long ticks = 0, seconds = 0;
            var at = i - _rowBase;
            var codes = _rows.Codes.AsSpan(3 * at, 3);
            if ((service = _servicesHeld.TryKnown(codes[0], out var known) ? known : _servicesHeld.Find(_service, i, _findService)) is null)
            {
                (column, error) = ("service", FieldParsers.UnknownService(_service.Text(i), _services));
            }
            else if ((ticks = _rows.Ticks[at]) == Unread && !TryStart(_start, _dates, i, out ticks, out error) || (!_starts.AllBillable(ticks) && (error = _starts.Unbillable(service, ticks)) is not null))
            {
                column = "start";
            }
            else if ((seconds = _rows.Seconds[at]) == Unread && !TypedFields.TrySeconds(_duration, i, out seconds, out error))
            {
                column = "duration_seconds";
            }
            else if (!_rows.HasId[at])
            {
                if (_repeatedKeys is not null)
                {
                    return Repeat(i, row, service!, ticks, seconds, id: null);
                }
            }
            else if (_seen is null)
            {
                var digest = _rows.Digests[at];
                if (_log is null)
                {
                    return Repeat(i, row, service!, ticks, seconds, _repeatedKeys!.Contains(IdLog.Key(digest, _options.IdKeyMask)) ? IdText(i) : null);
                }

                _log.Add(digest);
            }
            else if (_seen.Add(_rows.Digests[at], row) is var first and > 0)
            {
                if (_ignoreDuplicates)
                {
                    _duplicatesIgnored++;
                    return true;
                }

                (column, error) = ("id", ParallelParquetRead.DuplicateReason(IdText(i), first));
            }

            if (_repeatedKeys is not null)
            {
                // The pass for repeats: a bad row was dealt with by the read before it.
                return true;
            }

            if (error is null)
            {
                var b = _batchCount++;
                _batchKeys[b] = _keys.KeyOf(_account, _tag, i, _options.TagSeconds, codes[1], codes[2]);
                (_batchServices[b], _batchTicks[b], _batchSeconds[b], _batchRows[b]) = (service!, ticks, seconds, row);
                if (_options.KeepRejects)
                {
                    _batchValues[b] = ParquetInput.Values(_columns, i);
                }

                return _batchCount < BatchRows || Flush();
            }

            return Fail(row, column, error, _options.KeepRejects ? ParquetInput.Values(_columns, i) : null);
        }
    }

    /// <summary>In the pass for repeats, whether a row may be one to collect: its id key repeats, or it may bill 0 s; the others need no checks.</summary>
    private bool MayBeCollected(int i) =>
        _rows.Seconds[i - _rowBase] is 0 or Unread || (_rows.HasId[i - _rowBase] && _repeatedKeys!.Contains(IdLog.Key(_rows.Digests[i - _rowBase], _options.IdKeyMask)));

    private string IdText(int i) => FieldParsers.Trim(_id!.Text(i)).ToString();

    /// <summary>In the pass for repeats, collects a valid row whose id key repeats (<paramref name="id"/> given), or one of 0 s: the day it bills stays in the totals.</summary>
    private bool Repeat(int i, long row, AsrService service, long ticks, long seconds, string? id)
    {
        if (id is not null || seconds == 0)
        {
            var (account, tag) = (_account is null ? null : FieldParsers.Trim(_account.Text(i)).ToString(), _tag is null ? null : FieldParsers.Trim(_tag.Text(i)).ToString());
            (id is null ? _zeroRows : _candidates).Add(new RepeatCandidate(row, id ?? string.Empty, account, tag, service, ticks, seconds, _options.KeepRejects && id is not null ? ParquetInput.Values(_columns, i) : string.Empty));
        }

        return true;
    }

    private static bool TryStart(ParquetColumn start, FieldParsers.DateCache dates, int i, out long ticks, out string? error)
    {
        ticks = 0;
        error = null;
        if (start.IsNull(i))
        {
            error = "the start is null";
            return false;
        }

        if (start is ValueColumn<DateTime> typed)
        {
            ticks = TypedFields.UnixTicks(typed.Value(i));
            return true;
        }

        if (!FieldParsers.TryInstant(((TextColumn)start).Text(i), dates, out var instant, out error))
        {
            return false;
        }

        ticks = instant.ToUnixTimeTicks();
        return true;
    }

    /// <summary>Adds the queued rows by the bulk API; a row whose day would overflow is a bad row of its duration.</summary>
    private bool Flush()
    {
        var count = _batchCount;
        _batchCount = 0;
        var failed = _aggregator.AddBatch(
            _batchKeys.AsSpan(0, count), _batchServices.AsSpan(0, count), _batchTicks.AsSpan(0, count), _batchSeconds.AsSpan(0, count), _overflowed);
        Overflowed |= failed > 0;
        for (var f = 0; f < failed; f++)
        {
            var b = _overflowed[f];
            string message;
            try
            {
                // Adding it alone throws the same overflow, with the account, service and date in its message.
                _aggregator.AddAtUnixTicks(_batchKeys[b], _batchServices[b], _batchTicks[b], _batchSeconds[b]);
                continue;
            }
            catch (UsageOverflowException e)
            {
                message = e.Message;
            }

            if (!Fail(_batchRows[b], "duration_seconds", message, _options.KeepRejects ? _batchValues[b] : null))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>What <see cref="Prepare"/> works out for each row of a set.</summary>
    private sealed class Prepared
    {
        private IdLog.IdDigest[] _digests = [];
        private bool[] _hasId = [];
        private long[] _ticks = [];
        private long[] _seconds = [];
        private int[] _codes = [];

        public IdLog.IdDigest[] Digests => _digests;

        /// <summary>Whether the row has an id (trimmed, not empty).</summary>
        public bool[] HasId => _hasId;

        public long[] Ticks => _ticks;

        public long[] Seconds => _seconds;

        /// <summary>Each row's dictionary index of its service, account and tag (<see cref="TextColumn.Code"/>; -1 for none), three to a row.</summary>
        public int[] Codes => _codes;

        public void Grow(int rows)
        {
            Arrays.GrowUninitialized(ref _digests, rows);
            Arrays.GrowUninitialized(ref _hasId, rows);
            Arrays.GrowUninitialized(ref _ticks, rows);
            Arrays.GrowUninitialized(ref _seconds, rows);
            Arrays.GrowUninitialized(ref _codes, 3 * rows);
        }
    }

    /// <summary>A valid row whose id key repeats: its row, id, and the usage it adds; the values when rejects are kept.</summary>
    internal sealed record RepeatCandidate(long Row, string Id, string? Account, string? Tag, AsrService Service, long UnixTicks, long Seconds, string Values);

    /// <summary>The columns of one row group, those the file has; <see cref="All"/> in the file's order.</summary>
    private sealed record Columns(TextColumn? Id, TextColumn? Account, TextColumn Service, ParquetColumn Start, ParquetColumn Duration, TextColumn? Tag, ParquetColumn[] All)
    {
        public static Columns Of(ParquetLayout layout, List<DataField> fields)
        {
            var (id, account, service, start, duration, tag) = (TypedFields.Text(layout, "id"), TypedFields.Text(layout, "account"), TypedFields.Text(layout, "service")!, TypedFields.Start(layout), TypedFields.Duration(layout), TypedFields.Text(layout, "tag"));
            return new Columns(id, account, service, start, duration, tag, [.. new ParquetColumn?[] { id, account, service, start, duration, tag }.OfType<ParquetColumn>().OrderBy(c => fields.IndexOf(c.Field))]);
        }
    }

    private bool Fail(long row, string? column, string error, string? values)
    {
        if (values is null)
        {
            // The rows queued before it go first: a day one of them overflows is the first bad row.
            Flush();
            throw new UsageParquetException(row, column, error);
        }

        _rejects.Add(new RejectedParquetRow(row, ParquetInput.Reason(column, error), values));
        return true;
    }
}
