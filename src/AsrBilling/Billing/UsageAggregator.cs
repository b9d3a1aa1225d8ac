using System.Collections.Immutable;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using AsrBilling.Bulk;
using NodaTime;

namespace AsrBilling;

/// <summary>
/// Sums usage records into daily totals per (account, service, billing date), with per-tag seconds,
/// in one pass and in memory that grows with the number of daily totals, not of records.
/// </summary>
/// <remarks>
/// <para>
/// Each record is rounded up to whole seconds (billing rule 4), then to the billing increment and
/// per-record minimum of the price version in force (Tencent: 1 s, none), and counted on the date,
/// in the billing zone, on which it starts (rule 6). Totals are checked 64-bit sums. Records with an id are
/// checked for duplicates (rule 10): the ids seen are kept, so that memory grows with the number of
/// distinct ids.
/// </para>
/// <para>
/// Not thread-safe: use one aggregator per thread or shard, then merge the totals with
/// <see cref="DailyTotal.Combine"/>. An aggregator whose <see cref="Add(in UsageRecord)"/> threw keeps
/// every record before the one that failed, and none of that one.
/// </para>
/// <para>
/// <see cref="UsageAggregatorBulk.AddAtUnixTicks"/>'s work is compiled fully optimized at its
/// first call instead of starting unoptimized and being recompiled once hot, since a large bill
/// calls it for every row from the start.
/// </para>
/// </remarks>
public sealed class UsageAggregator
{
    private static readonly long MinUnixTicks = Instant.MinValue.ToUnixTimeTicks();
    private static readonly long MaxUnixTicks = Instant.MaxValue.ToUnixTimeTicks();

    // The last stamp given to an aggregator; each one's keys carry its own, never 0.
    private static long s_lastStamp;

    private readonly long _stamp = Interlocked.Increment(ref s_lastStamp);

    // The cells, slots and dates live in the store; this class checks ids and records and counts them.
    private readonly DailyCellStore _store;
    private readonly DateTimeZone _zone;
    private readonly PriceBook _book;
    private readonly DuplicatePolicy _duplicates;
    private readonly string _positionName;

    // The first and last Unix ticks whose billing date the calendar holds (BillingOptions.BillableStarts).
    private readonly long _firstTicks;
    private readonly long _lastTicks;
    private Dictionary<string, long>? _ids;

    /// <summary>Creates an empty aggregator.</summary>
    /// <param name="options">The billing zone and duplicate policy; null for <see cref="BillingOptions.Default"/>.</param>
    /// <param name="positionName">What a position counts, for error messages: "record" (the default) or "line".</param>
    public UsageAggregator(BillingOptions? options = null, string positionName = "record")
    {
        options ??= BillingOptions.Default;
        _book = options.PriceBook;
        _zone = options.Zone;
        _duplicates = options.Duplicates;
        _positionName = positionName ?? "record";
        _store = new DailyCellStore(_book, _zone);
        var starts = options.BillableStarts;
        _firstTicks = starts.HasStart ? starts.Start.ToUnixTimeTicks() : MinUnixTicks;
        _lastTicks = starts.HasEnd ? starts.End.ToUnixTimeTicks() - 1 : MaxUnixTicks;
    }

    /// <summary>How many records were offered, duplicates included.</summary>
    public long RecordsRead { get; private set; }

    /// <summary>How many records were skipped as duplicates under <see cref="DuplicatePolicy.Ignore"/>.</summary>
    public long DuplicatesIgnored { get; private set; }

    /// <summary>How many daily totals there are so far.</summary>
    public int DailyTotalCount => _store.DailyTotalCount;

    /// <summary>Adds a record; its position for error messages is <see cref="RecordsRead"/> + 1.</summary>
    /// <param name="record">The record.</param>
    /// <exception cref="ArgumentException">The record has no service (it is <c>default</c>).</exception>
    /// <exception cref="DuplicateUsageRecordException">Its id was seen before and duplicates are rejected.</exception>
    /// <exception cref="UsageOverflowException">Its day's total would exceed <see cref="long.MaxValue"/> seconds.</exception>
    /// <exception cref="BillingDateOutOfRangeException">It starts outside <see cref="BillingOptions.BillableStarts"/>.</exception>
    public void Add(in UsageRecord record) => Add(record, RecordsRead + 1);

    /// <summary>Adds a record found at a given position, such as an input line number.</summary>
    /// <param name="record">The record.</param>
    /// <param name="position">Where the record came from, 1-based; named in duplicate errors.</param>
    /// <exception cref="ArgumentException">The record has no service (it is <c>default</c>).</exception>
    /// <exception cref="DuplicateUsageRecordException">Its id was seen before and duplicates are rejected.</exception>
    /// <exception cref="UsageOverflowException">Its day's total would exceed <see cref="long.MaxValue"/> seconds.</exception>
    /// <exception cref="BillingDateOutOfRangeException">It starts outside <see cref="BillingOptions.BillableStarts"/>; its id is not kept.</exception>
    public void Add(in UsageRecord record, long position)
    {
        ThrowIfReleased();
        var service = record.Service ?? throw NoService(position);
        CheckStart(record.Start);
        if (record.Id is { } id && IsDuplicate(id, position))
        {
            RecordsRead++;
            DuplicatesIgnored++;
            return;
        }

        var account = record.Account ?? string.Empty;
        var cell = _store.CellOf(_store.SlotOf(account), service, _store.EpochDay(record.Start));
        AddSeconds(cell, record);
        if (record.Tag is { } tag)
        {
            _store.AddTagSeconds(cell, _store.TagIdOf(tag), record.BillableSeconds);
        }

        RecordsRead++;
    }

    /// <summary>
    /// Adds usage already rounded up to whole billable seconds, for example parsed from text whose
    /// precision a <see cref="Duration"/> would cut. There is no id: the caller checks duplicates.
    /// </summary>
    /// <param name="service">The service.</param>
    /// <param name="start">When the use started; it chooses the billing day.</param>
    /// <param name="billableSeconds">The whole seconds to bill; not negative.</param>
    /// <param name="account">The billing account, or null for the default account.</param>
    /// <param name="tag">A label to allocate costs by, or null.</param>
    /// <exception cref="ArgumentNullException"><paramref name="service"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="billableSeconds"/> is negative.</exception>
    /// <exception cref="UsageOverflowException">The day's total would exceed <see cref="long.MaxValue"/> seconds.</exception>
    /// <exception cref="BillingDateOutOfRangeException"><paramref name="start"/> is outside <see cref="BillingOptions.BillableStarts"/>.</exception>
    public void Add(AsrService service, Instant start, long billableSeconds, string? account = null, string? tag = null)
    {
        ArgumentNullException.ThrowIfNull(service);
        ArgumentOutOfRangeException.ThrowIfNegative(billableSeconds);
        ThrowIfReleased();
        CheckStart(start);
        account ??= string.Empty;
        var day = _store.EpochDay(start);
        var cell = _store.CellOf(_store.CachedSlotOf(account), service, day);
        if (!_store.TryAddSeconds(cell, billableSeconds))
        {
            throw new UsageOverflowException(account, service.Id, ZoneDayCache.DateOf(day));
        }

        if (tag is not null)
        {
            _store.AddTagSeconds(cell, _store.TagIdOf(tag), billableSeconds);
        }

        RecordsRead++;
    }

    /// <summary>Resolves a tag alone, for <see cref="UsageAggregatorBulk.GetTagKey"/>.</summary>
    internal UsageKey GetTagKey(string tag) => new(_stamp, -1, _store.TagIdOf(tag));

    /// <summary>A new tag id for a name given as UTF-8, for <see cref="UsageAggregatorBulk.NewTagKey"/>.</summary>
    internal UsageKey NewTagKey(ReadOnlySpan<byte> utf8Name) => new(_stamp, -1, _store.NewTagId(utf8Name));

    /// <summary>Resolves an (account, tag) pair once, for <see cref="UsageAggregatorBulk.GetKey"/>.</summary>
    internal UsageKey GetKey(string? account, string? tag)
    {
        return new UsageKey(_stamp, _store.SlotOf(account ?? string.Empty), tag is null ? -1 : _store.TagIdOf(tag));
    }

    /// <summary>Adds whole seconds for a key of this aggregator, its start given as Unix ticks; see <see cref="UsageAggregatorBulk.AddAtUnixTicks"/>.</summary>
    // Fully optimized at its first call rather than tiered up (see the remarks on the class).
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal void AddAtUnixTicks(UsageKey key, AsrService service, long unixTicks, long billableSeconds)
    {
        ThrowIfReleased();
        CheckRow(key, service, unixTicks, billableSeconds);
        var store = _store;
        var day = store.EpochDay(unixTicks);
        var serviceIndex = store.IndexOf(service);
        var cell = store.CellOf(key.Slot, serviceIndex, day);
        if (!store.TryAddSeconds(cell, billableSeconds))
        {
            throw new UsageOverflowException(store.AccountOf(key.Slot), service.Id, ZoneDayCache.DateOf(day));
        }

        if (key.Tag >= 0)
        {
            store.AddTagSeconds(cell, key.Tag, billableSeconds);
        }

        RecordsRead++;
    }

    /// <summary>Adds rows of whole seconds by key in chunks; see <see cref="UsageAggregatorBulk.AddBatch"/>.</summary>
    /// <remarks>
    /// Each chunk is done in three loops: the first checks the rows and asks for their slots' memory,
    /// the second finds every row's cell and asks for its memory, the third adds, so that the cache
    /// misses of a chunk overlap instead of following one another (<c>AggregationBenchmarks</c>).
    /// The store does the last two (<see cref="DailyCellStore.AddChunk"/>).
    /// </remarks>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal int AddBatch(ReadOnlySpan<UsageKey> keys, ReadOnlySpan<AsrService> services, ReadOnlySpan<long> unixTicks, ReadOnlySpan<long> billableSeconds, Span<int> overflowed)
    {
        var count = keys.Length;
        if (services.Length != count || unixTicks.Length != count || billableSeconds.Length != count || overflowed.Length < count)
        {
            throw new ArgumentException("The keys, services, starts and seconds should be as many, and the overflow span at least as long.", nameof(keys));
        }

        // An empty batch touches no cell: a loader may flush one after the totals are taken.
        if (count > 0)
        {
            ThrowIfReleased();
        }

        const int Chunk = 64;
        Span<int> cells = stackalloc int[Chunk];
        var store = _store;
        var failed = 0;
        for (var start = 0; start < count; start += Chunk)
        {
            var n = Math.Min(Chunk, count - start);
            for (var j = start; j < start + n; j++)
            {
                CheckRow(keys[j], services[j], unixTicks[j], billableSeconds[j]);
                store.PrefetchSlot(keys[j].Slot);
            }

            var before = failed;
            failed = store.AddChunk(keys, services, unixTicks, billableSeconds, start, n, cells, overflowed, failed);
            RecordsRead += n - (failed - before);
        }

        return failed;
    }

    private void CheckRow(UsageKey key, AsrService service, long unixTicks, long billableSeconds)
    {
        if (key.Owner != _stamp || key.Slot < 0)
        {
            throw new ArgumentException(key.Slot < 0 && key.Owner != 0
                ? "A tag key adds no usage by itself: join it to an account's key with WithTag."
                : "The key comes from another aggregator: get it from this one's GetKey.", nameof(key));
        }

        ArgumentNullException.ThrowIfNull(service);
        ArgumentOutOfRangeException.ThrowIfNegative(billableSeconds);
        if (unixTicks < _firstTicks || unixTicks > _lastTicks)
        {
            throw unixTicks < MinUnixTicks || unixTicks > MaxUnixTicks
                ? new ArgumentOutOfRangeException(nameof(unixTicks), unixTicks, "Value should be within the range of NodaTime's Instant.")
                : new BillingDateOutOfRangeException(Instant.FromUnixTimeTicks(unixTicks), _zone.Id);
        }
    }

    /// <summary>Refuses a start whose billing date the calendar does not hold, before anything of its record is kept.</summary>
    private void CheckStart(Instant start)
    {
        var ticks = start.ToUnixTimeTicks();
        if (ticks < _firstTicks || ticks > _lastTicks)
        {
            throw new BillingDateOutOfRangeException(start, _zone.Id);
        }
    }

    /// <summary>Adds records in order.</summary>
    /// <param name="records">The records.</param>
    /// <exception cref="ArgumentNullException"><paramref name="records"/> is null.</exception>
    /// <exception cref="ArgumentException">A record has no service.</exception>
    /// <exception cref="DuplicateUsageRecordException">An id repeats and duplicates are rejected.</exception>
    /// <exception cref="UsageOverflowException">A day's total would exceed <see cref="long.MaxValue"/> seconds.</exception>
    /// <exception cref="BillingDateOutOfRangeException">A record starts outside <see cref="BillingOptions.BillableStarts"/>.</exception>
    public void AddRange(IEnumerable<UsageRecord> records)
    {
        ArgumentNullException.ThrowIfNull(records);
        ThrowIfReleased();
        switch (records)
        {
            case UsageRecord[] array:
                AddSpan(array);
                break;
            case List<UsageRecord> list:
                AddSpan(CollectionsMarshal.AsSpan(list));
                break;
            case ImmutableArray<UsageRecord> immutable:
                AddSpan(immutable.AsSpan());
                break;
            default:
                foreach (var record in records)
                {
                    Add(record, RecordsRead + 1);
                }

                break;
        }
    }

    /// <summary>
    /// Adds another aggregator's totals to this one, as if its records had been added here: how
    /// shards that each read part of the usage (one per thread, say) are brought together. The
    /// result is what <see cref="DailyTotal.Combine"/> gives for both aggregators' <see cref="ToDailyTotals"/>,
    /// without building them.
    /// </summary>
    /// <remarks>
    /// Ids are not compared across aggregators: give all the records of an id to one shard, or check
    /// ids before sharding. <see cref="RecordsRead"/> and <see cref="DuplicatesIgnored"/> add up.
    /// When this throws, nothing has been added.
    /// </remarks>
    /// <param name="other">An aggregator with the same price book and zone; it is not changed.</param>
    /// <exception cref="ArgumentNullException"><paramref name="other"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="other"/> is this aggregator, bills with another
    /// price book or zone, or the two count more than 256 services between them.</exception>
    /// <exception cref="UsageOverflowException">A day's total would exceed <see cref="long.MaxValue"/> seconds.</exception>
    public void Merge(UsageAggregator other)
    {
        ArgumentNullException.ThrowIfNull(other);
        if (ReferenceEquals(other, this))
        {
            throw new ArgumentException("An aggregator cannot be merged into itself.", nameof(other));
        }

        if (!Equals(other._book, _book) || !Equals(other._zone, _zone))
        {
            throw new ArgumentException("The aggregators bill with different price books or zones: their records were rounded and dated differently.", nameof(other));
        }

        ThrowIfReleased();
        other.ThrowIfReleased();
        _store.Merge(other._store);
        RecordsRead += other.RecordsRead;
        DuplicatesIgnored += other.DuplicatesIgnored;
    }

    /// <summary>
    /// Returns the daily totals so far, ordered by account, service id and date (ordinal). Days whose
    /// records all lasted 0 s appear with 0 s.
    /// </summary>
    /// <returns>One total per (account, service, billing date).</returns>
    public ImmutableArray<DailyTotal> ToDailyTotals() => ToDailyTotalTable().ToImmutableArray();

    /// <summary>
    /// Returns the daily totals so far, column-wise, ordered by account, service id and date (ordinal),
    /// with per-tag seconds when any record had a tag. Days whose records all lasted 0 s appear with 0 s.
    /// </summary>
    /// <returns>One total per (account, service, billing date).</returns>
    public DailyTotalTable ToDailyTotalTable()
    {
        ThrowIfReleased();
        return _store.ToDailyTotalTable();
    }

    /// <summary>Fails once <see cref="Bulk.UsageAggregatorBulk.ToDailyTotalTableAndRelease"/> gave the aggregator's memory back.</summary>
    internal void ThrowIfReleased()
    {
        if (_store.Released)
        {
            throw new ObjectDisposedException(nameof(UsageAggregator), "The aggregator's memory was given back by ToDailyTotalTableAndRelease: it cannot be used again.");
        }
    }

    /// <summary>Gives the aggregator's cells back to the system; see <see cref="Bulk.UsageAggregatorBulk.ToDailyTotalTableAndRelease"/>.</summary>
    internal void Release() => _store.Release();

    /// <summary>
    /// Returns the daily totals of several aggregators together, as if one aggregator had added all
    /// their records: the same as merging them into one with <see cref="Merge"/> and calling
    /// <see cref="ToDailyTotalTable()"/>, but written in one pass on all cores, with no table per
    /// aggregator to combine afterwards. The aggregators are not changed.
    /// </summary>
    /// <remarks>Ids are not compared across aggregators, as in <see cref="Merge"/>.</remarks>
    /// <param name="aggregators">Aggregators with the same price book and zone, each listed once; none is changed.</param>
    /// <returns>One total per (account, service, billing date), ordered by account, service id and date (ordinal).</returns>
    /// <exception cref="ArgumentNullException"><paramref name="aggregators"/> or one of them is null.</exception>
    /// <exception cref="ArgumentException">An aggregator is listed twice, the aggregators bill with different
    /// price books or zones, or they count more than 256 services between them.</exception>
    /// <exception cref="UsageOverflowException">A day's total would exceed <see cref="long.MaxValue"/> seconds.</exception>
    public static DailyTotalTable ToDailyTotalTable(IReadOnlyList<UsageAggregator> aggregators)
    {
        ArgumentNullException.ThrowIfNull(aggregators);
        var stores = new DailyCellStore[aggregators.Count];
        var listed = new HashSet<UsageAggregator>(ReferenceEqualityComparer.Instance);
        for (var i = 0; i < aggregators.Count; i++)
        {
            var aggregator = aggregators[i];
            ArgumentNullException.ThrowIfNull(aggregator, nameof(aggregators));
            aggregator.ThrowIfReleased();
            if (!listed.Add(aggregator))
            {
                throw new ArgumentException($"The aggregator at index {i} is listed twice: its records would be counted twice.", nameof(aggregators));
            }

            if (!Equals(aggregator._book, aggregators[0]._book) || !Equals(aggregator._zone, aggregators[0]._zone))
            {
                throw new ArgumentException($"The aggregator at index {i} bills with another price book or zone than the first: their records were rounded and dated differently.", nameof(aggregators));
            }

            stores[i] = aggregator._store;
        }

        return DailyCellStore.ToDailyTotalTable(stores);
    }

    /// <summary>
    /// Adds records in batches of three tight loops: the accounts, then the cells (block and day),
    /// then the seconds into the cells, so that the cache misses of each loop overlap
    /// (<c>AggregationBenchmarks</c>).
    /// </summary>
    private void AddSpan(ReadOnlySpan<UsageRecord> records)
    {
        const int BatchSize = 256;
        Span<int> slots = stackalloc int[BatchSize];
        Span<int> cells = stackalloc int[BatchSize];
        Span<int> indexes = stackalloc int[BatchSize];
        for (var start = 0; start < records.Length; start += BatchSize)
        {
            var batch = records.Slice(start, Math.Min(BatchSize, records.Length - start));
            var count = 0;
            for (var i = 0; i < batch.Length; i++)
            {
                ref readonly var record = ref batch[i];
                var position = RecordsRead + 1;
                _ = record.Service ?? throw NoService(position);
                CheckStart(record.Start);
                RecordsRead++;
                if (record.Id is { } id && IsDuplicate(id, position))
                {
                    DuplicatesIgnored++;
                    continue;
                }

                slots[count] = _store.SlotOf(record.Account ?? string.Empty);
                indexes[count++] = i;
            }

            for (var j = 0; j < count; j++)
            {
                ref readonly var record = ref batch[indexes[j]];
                cells[j] = _store.CellOf(slots[j], record.Service, _store.EpochDay(record.Start));
            }

            for (var j = 0; j < count; j++)
            {
                ref readonly var record = ref batch[indexes[j]];
                AddSeconds(cells[j], record);
                if (record.Tag is { } tag)
                {
                    _store.AddTagSeconds(cells[j], _store.TagIdOf(tag), record.BillableSeconds);
                }
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void AddSeconds(int cell, in UsageRecord record)
    {
        if (!_store.TryAddSeconds(cell, record.BillableSeconds))
        {
            throw new UsageOverflowException(record.Account ?? string.Empty, record.Service.Id, ZoneDayCache.DateOf(_store.EpochDay(record.Start)));
        }
    }

    private ArgumentException NoService(long position) =>
        new($"The {_positionName} at position {position} has no service: a default(UsageRecord) cannot be billed.");

    private bool IsDuplicate(string id, long position)
    {
        _ids ??= new Dictionary<string, long>(StringComparer.Ordinal);
        ref var first = ref CollectionsMarshal.GetValueRefOrAddDefault(_ids, id, out var exists);
        if (!exists)
        {
            first = position;
            return false;
        }

        return _duplicates == DuplicatePolicy.Reject
            ? throw new DuplicateUsageRecordException(id, first, position, _positionName)
            : true;
    }
}
