using System.Collections.Immutable;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using NodaTime;

namespace AsrBilling;

/// <summary>
/// Sums usage records into daily totals per (account, service, billing date), with per-tag seconds,
/// in one pass and in memory that grows with the number of daily totals, not of records.
/// </summary>
/// <remarks>
/// <para>
/// Each record is rounded up to whole seconds (billing rule 4) and counted on the date, in the
/// billing zone, on which it starts (rule 6). Totals are checked 64-bit sums. Records with an id are
/// checked for duplicates (rule 10): the ids seen are kept, so that memory grows with the number of
/// distinct ids.
/// </para>
/// <para>
/// Not thread-safe: use one aggregator per thread or shard, then merge the totals with
/// <see cref="DailyTotal.Combine"/>. An aggregator whose <see cref="Add(in UsageRecord)"/> threw keeps
/// every record before the one that failed, and none of that one.
/// </para>
/// </remarks>
public sealed class UsageAggregator
{
    private const long TicksPerDay = 864_000_000_000L;
    private const int MaxServices = 256;

    private readonly Dictionary<string, int> _accountIndex = new(StringComparer.Ordinal);
    private readonly DateTimeZone _zone;
    private readonly DuplicatePolicy _duplicates;
    private readonly string _positionName;
    private readonly AsrService[] _services = new AsrService[MaxServices];
    private Dictionary<string, long>? _ids;
    private int _serviceCount;

    // Per account: up to eight block keys and their places inline, so that finding a block reads
    // one small struct; an account with more blocks (a long history) keeps the rest in _moreBlocks.
    private string[] _accountNames = new string[16];
    private AccountBlocks[] _accounts = new AccountBlocks[16];
    private int _accountCount;
    private Dictionary<(int Account, int Key), int>? _moreBlocks;

    // Blocks of 32 consecutive days of one service, contiguous: block b holds cells [32b, 32b + 32).
    // A block's key packs (epoch day ÷ 32, service index). Measured: 10 M random-order records over
    // 10,000 accounts took 1.6–2.0 s with a block object per (account, block) and 0.45 s sorted;
    // the cache misses of pointer-chasing were the cost, so the totals live in flat arrays.
    private long[] _cells = new long[64 * 32];
    private uint[] _seen = new uint[64];
    private int _blockCount;
    private Dictionary<(int Cell, string Tag), long>? _tags;

    // The zone interval of the last record: inside it, the local date is plain arithmetic.
    private long _intervalStart = long.MaxValue;
    private long _intervalEnd = long.MinValue;
    private long _offsetTicks;

    /// <summary>Creates an empty aggregator.</summary>
    /// <param name="options">The billing zone and duplicate policy; null for <see cref="BillingOptions.Default"/>.</param>
    /// <param name="positionName">What a position counts, for error messages: "record" (the default) or "line".</param>
    public UsageAggregator(BillingOptions? options = null, string positionName = "record")
    {
        options ??= BillingOptions.Default;
        _zone = options.Zone;
        _duplicates = options.Duplicates;
        _positionName = positionName ?? "record";
    }

    /// <summary>How many records were offered, duplicates included.</summary>
    public long RecordsRead { get; private set; }

    /// <summary>How many records were skipped as duplicates under <see cref="DuplicatePolicy.Ignore"/>.</summary>
    public long DuplicatesIgnored { get; private set; }

    /// <summary>How many daily totals there are so far.</summary>
    public int DailyTotalCount { get; private set; }

    /// <summary>Adds a record; its position for error messages is <see cref="RecordsRead"/> + 1.</summary>
    /// <param name="record">The record.</param>
    /// <exception cref="ArgumentException">The record has no service (it is <c>default</c>).</exception>
    /// <exception cref="DuplicateUsageRecordException">Its id was seen before and duplicates are rejected.</exception>
    /// <exception cref="UsageOverflowException">Its day's total would exceed <see cref="long.MaxValue"/> seconds.</exception>
    public void Add(in UsageRecord record) => Add(record, RecordsRead + 1);

    /// <summary>Adds a record found at a given position, such as an input line number.</summary>
    /// <param name="record">The record.</param>
    /// <param name="position">Where the record came from, 1-based; named in duplicate errors.</param>
    /// <exception cref="ArgumentException">The record has no service (it is <c>default</c>).</exception>
    /// <exception cref="DuplicateUsageRecordException">Its id was seen before and duplicates are rejected.</exception>
    /// <exception cref="UsageOverflowException">Its day's total would exceed <see cref="long.MaxValue"/> seconds.</exception>
    public void Add(in UsageRecord record, long position)
    {
        var service = record.Service ?? throw NoService(position);
        if (record.Id is { } id && IsDuplicate(id, position))
        {
            RecordsRead++;
            DuplicatesIgnored++;
            return;
        }

        var cell = CellOf(AccountOf(record.Account ?? string.Empty), service, EpochDay(record.Start), record.BillableSeconds, record.Tag);
        AddSeconds(cell, record);
        RecordsRead++;
    }

    /// <summary>Adds records in order.</summary>
    /// <param name="records">The records.</param>
    /// <exception cref="ArgumentNullException"><paramref name="records"/> is null.</exception>
    /// <exception cref="ArgumentException">A record has no service.</exception>
    /// <exception cref="DuplicateUsageRecordException">An id repeats and duplicates are rejected.</exception>
    /// <exception cref="UsageOverflowException">A day's total would exceed <see cref="long.MaxValue"/> seconds.</exception>
    public void AddRange(IEnumerable<UsageRecord> records)
    {
        ArgumentNullException.ThrowIfNull(records);
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
    /// Returns the daily totals so far, ordered by account, service id and date (ordinal). Days whose
    /// records all lasted 0 s appear with 0 s.
    /// </summary>
    /// <returns>One total per (account, service, billing date).</returns>
    public ImmutableArray<DailyTotal> ToDailyTotals()
    {
        var result = ImmutableArray.CreateBuilder<DailyTotal>(DailyTotalCount);
        var tagsByCell = _tags?.ToLookup(p => p.Key.Cell, p => KeyValuePair.Create(p.Key.Tag, p.Value));
        var dates = new Dictionary<int, LocalDate>();
        var rankOf = new int[_serviceCount];
        var byId = Enumerable.Range(0, _serviceCount).OrderBy(i => _services[i].Id, StringComparer.Ordinal).ToArray();
        for (var rank = 0; rank < byId.Length; rank++)
        {
            rankOf[byId[rank]] = rank;
        }

        var blocksByAccount = _moreBlocks?.ToLookup(p => p.Key.Account, p => (p.Key.Key, Block: p.Value));
        foreach (var account in Enumerable.Range(0, _accountCount).OrderBy(a => _accountNames[a], StringComparer.Ordinal))
        {
            var name = _accountNames[account];
            var inline = _accounts[account];
            var blocks = Enumerable.Range(0, Math.Min(inline.Count, AccountBlocks.Inline))
                .Select(i => (Key: inline.Keys[i], Block: inline.Blocks[i]))
                .Concat(blocksByAccount?[account] ?? Enumerable.Empty<(int Key, int Block)>())
                .OrderBy(b => rankOf[b.Key & 0xFF])
                .ThenBy(b => b.Key >> 8)
                .ToList();

            // Blocks are in (service id, first day) order, and the days inside a block are in order.
            foreach (var (key, block) in blocks)
            {
                var service = _services[key & 0xFF];
                var firstDay = key >> 8 << 5;
                for (var offset = 0; offset < 32; offset++)
                {
                    if ((_seen[block] & (1u << offset)) == 0)
                    {
                        continue;
                    }

                    var cell = (block << 5) + offset;
                    var tags = tagsByCell is not null && tagsByCell.Contains(cell)
                        ? ImmutableSortedDictionary.CreateRange(StringComparer.Ordinal, tagsByCell[cell])
                        : null;
                    var day = firstDay + offset;
                    if (!dates.TryGetValue(day, out var date))
                    {
                        date = DateOf(day);
                        dates.Add(day, date);
                    }

                    result.Add(DailyTotal.Trusted(name, service, date, _cells[cell], tags));
                }
            }
        }

        return result.MoveToImmutable();
    }

    private static LocalDate DateOf(int epochDay) => new LocalDate(1970, 1, 1).PlusDays(epochDay);

    /// <summary>
    /// Adds records in batches of three tight loops: the accounts, then the cells (block and day),
    /// then the seconds into the cells, so that the cache misses of each loop overlap. Measured on
    /// 10 M random-order records over 10,000 accounts: 1.2 s record by record, 0.9 s in two loops.
    /// </summary>
    private void AddSpan(ReadOnlySpan<UsageRecord> records)
    {
        const int BatchSize = 256;
        Span<int> accounts = stackalloc int[BatchSize];
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
                RecordsRead++;
                if (record.Id is { } id && IsDuplicate(id, position))
                {
                    DuplicatesIgnored++;
                    continue;
                }

                accounts[count] = AccountOf(record.Account ?? string.Empty);
                indexes[count++] = i;
            }

            for (var j = 0; j < count; j++)
            {
                ref readonly var record = ref batch[indexes[j]];
                cells[j] = CellOf(accounts[j], record.Service, EpochDay(record.Start), record.BillableSeconds, record.Tag);
            }

            for (var j = 0; j < count; j++)
            {
                AddSeconds(cells[j], batch[indexes[j]]);
            }
        }
    }

    /// <summary>Finds or makes the cell of (account, service, day), marks the day seen, and counts the tag's seconds.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private int CellOf(int account, AsrService service, int day, long billableSeconds, string? tag)
    {
        var offset = day & 31;
        var block = BlockOf(account, (day >> 5 << 8) | IndexOf(service));
        var bit = 1u << offset;
        if ((_seen[block] & bit) == 0)
        {
            _seen[block] |= bit;
            DailyTotalCount++;
        }

        var cell = (block << 5) + offset;
        if (tag is not null)
        {
            _tags ??= [];
            ref var tagged = ref CollectionsMarshal.GetValueRefOrAddDefault(_tags, (cell, tag), out _);
            tagged += billableSeconds;
        }

        return cell;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void AddSeconds(int cell, in UsageRecord record)
    {
        ref var seconds = ref _cells[cell];
        var sum = unchecked(seconds + record.BillableSeconds);
        if (sum < seconds)
        {
            // Both are non-negative, so a wrapped sum is smaller: the total overflowed.
            throw new UsageOverflowException(record.Account ?? string.Empty, record.Service.Id, DateOf(EpochDay(record.Start)));
        }

        seconds = sum;
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

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private int IndexOf(AsrService service)
    {
        for (var i = 0; i < _serviceCount; i++)
        {
            if (ReferenceEquals(_services[i], service))
            {
                return i;
            }
        }

        return IndexOfSlow(service);
    }

    private int IndexOfSlow(AsrService service)
    {
        for (var i = 0; i < _serviceCount; i++)
        {
            if (_services[i] == service)
            {
                return i;
            }
        }

        if (_serviceCount == MaxServices)
        {
            throw new ArgumentException($"One aggregator counts at most {MaxServices} services.", nameof(service));
        }

        _services[_serviceCount] = service;
        return _serviceCount++;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private int EpochDay(Instant start)
    {
        var ticks = start.ToUnixTimeTicks();
        if (ticks < _intervalStart || ticks >= _intervalEnd)
        {
            var interval = _zone.GetZoneInterval(start);
            _intervalStart = interval.HasStart ? interval.Start.ToUnixTimeTicks() : long.MinValue;
            _intervalEnd = interval.HasEnd ? interval.End.ToUnixTimeTicks() : long.MaxValue;
            _offsetTicks = interval.WallOffset.Ticks;
        }

        var local = ticks + _offsetTicks;
        return (int)(local >= 0 ? local / TicksPerDay : ((local + 1) / TicksPerDay) - 1);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private int AccountOf(string account)
    {
        ref var index = ref CollectionsMarshal.GetValueRefOrAddDefault(_accountIndex, account, out var exists);
        if (!exists)
        {
            if (_accountCount == _accounts.Length)
            {
                Array.Resize(ref _accounts, _accountCount * 2);
                Array.Resize(ref _accountNames, _accountCount * 2);
            }

            _accountNames[_accountCount] = account;
            index = _accountCount++;
        }

        return index;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private int BlockOf(int account, int key)
    {
        ref var blocks = ref _accounts[account];
        var inline = Math.Min(blocks.Count, AccountBlocks.Inline);
        for (var i = 0; i < inline; i++)
        {
            if (blocks.Keys[i] == key)
            {
                return blocks.Blocks[i];
            }
        }

        return blocks.Count > AccountBlocks.Inline && _moreBlocks!.TryGetValue((account, key), out var more)
            ? more
            : NewBlock(ref blocks, account, key);
    }

    private int NewBlock(ref AccountBlocks blocks, int account, int key)
    {
        if (_blockCount == _seen.Length)
        {
            Array.Resize(ref _seen, _blockCount * 2);
            Array.Resize(ref _cells, _blockCount * 2 * 32);
        }

        var block = _blockCount++;
        if (blocks.Count < AccountBlocks.Inline)
        {
            blocks.Keys[blocks.Count] = key;
            blocks.Blocks[blocks.Count] = block;
        }
        else
        {
            (_moreBlocks ??= []).Add((account, key), block);
        }

        blocks.Count++;
        return block;
    }

    /// <summary>An account's first eight blocks, inline: their keys and places.</summary>
    private struct AccountBlocks
    {
        public const int Inline = 8;
        public int Count;
        public Eight Keys;
        public Eight Blocks;
    }

    [InlineArray(AccountBlocks.Inline)]
    private struct Eight
    {
        private int _element;
    }
}
