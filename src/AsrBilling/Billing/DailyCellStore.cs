using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics.X86;
using AsrBilling.Bulk;
using NodaTime;

namespace AsrBilling;

/// <summary>
/// The storage of a <see cref="UsageAggregator"/>: one cell of seconds per (slot, service, billing day),
/// 32 bits with 64-bit sums kept aside and overflow checked at <see cref="long.MaxValue"/>, found without
/// a search, in memory that grows with the cells.
/// </summary>
/// <remarks>
/// <para>
/// A slot is an account, which holds its daily totals; per-tag seconds, when asked for, are in a
/// <see cref="TagCellTable"/> by (cell, tag id), so they cost memory only where used. Cells come in blocks of one calendar month
/// of one service (a bill's usual span, which 32-day blocks split in two), kept in flat arrays: block b holds cells
/// [32b, 32b + 32), one a day of the month, and a block's key packs (month index since 1970-01, service index).
/// </para>
/// <para>
/// Each slot finds its blocks in a small dense table indexed by (month from the slot's first,
/// service index); blocks outside it (services past the eighth, histories past 16 months) are in a dictionary. The store trusts its callers: keys, services and instants are checked by
/// the aggregator, which also counts the records.
/// </para>
/// </remarks>
internal sealed partial class DailyCellStore
{
    private const int MaxServices = 256;

    // A slot's table: 8 services a window (a month), 16 windows at most.
    private const int Stride = 8;
    private const int MaxWindows = 16;
    private const int MonthCodeCacheSize = 1024;

    private readonly PriceBook _book;

    // Whether every table bills whole seconds as they are (increment 1 s, no minimum): then records need no price lookup.
    private readonly bool _wholeSeconds;
    private Dictionary<long, PriceRules?>? _rulesByDay;
    private readonly AsrService[] _services = new AsrService[MaxServices];
    private int _serviceCount;

    // A field, not readonly: the cache is a mutable struct that must not be copied.
    private ZoneDayCache _days;

    // Per-slot tables, not a search of the slot's blocks: no unpredictable branch (AggregationBenchmarks).
    private string[] _slotAccounts = new string[16];
    private SlotTable[] _slots = new SlotTable[16];
    private int _slotCount;
    private Dictionary<(int Slot, int Key), int>? _moreBlocks;
    private int[] _blockSlot = new int[64];
    private int[] _blockKey = new int[64];
    private int[] _blockFirstDay = new int[64];

    // The (epoch day, month code) of recent days, direct-mapped by day, empty as day int.MinValue (outside LocalDate's range).
    private readonly long[] _monthCodes = new long[MonthCodeCacheSize];

    // Flat arrays, not an object per block: pointer-chasing cache misses were the cost (AggregationBenchmarks).
    // Cells are in pages of 2^19 (2 MB), so that growing never copies them or holds twice their memory;
    // the first page starts small and doubles, for the many small aggregators. Pages of 2 MB or more
    // are aligned windows on huge pages, which save page faults and TLB misses on random adds (figures in the commits).
    private const int PageBits = 19;
    private ArraySegment<uint>[] _pages = [new uint[64 * 32]];

    // A cell holds 32 bits, half the memory of a 64-bit sum (whole-process figures in the commit): a sum of
    // WideMark or more is kept in _wide, and its cell holds the mark.
    private const uint WideMark = uint.MaxValue;
    private Dictionary<int, long>? _wide;
    private uint[] _seen = new uint[64];
    private int _blockCount;

    /// <summary>Creates an empty store.</summary>
    /// <param name="book">The price book whose rules round each record's seconds.</param>
    /// <param name="zone">The billing zone, which dates the records.</param>
    internal DailyCellStore(PriceBook book, DateTimeZone zone)
    {
        _book = book;
        _wholeSeconds = book.Tables.All(t => t.Rules.BillsWholeSeconds);
        _days = new ZoneDayCache(zone);
        _monthCodes.AsSpan().Fill(long.MinValue);

        // The well-known services take the indexes of their ordinals, found without a search.
        foreach (var service in AsrService.All)
        {
            _services[_serviceCount++] = service;
        }
    }

    /// <summary>Whether <see cref="Release"/> gave the cells back: the store is not used again.</summary>
    internal bool Released { get; private set; }

    /// <summary>
    /// Gives the pages of the cells and per-tag entries back to the system (<see cref="HugePages.Release"/>), for a
    /// store whose totals are taken and which is not used again; the cells are dropped, so any later use fails.
    /// </summary>
    internal void Release()
    {
        foreach (var page in _pages)
        {
            HugePages.Release(page.Array!, page.Offset, page.Count);
        }

        _tagCells?.Release();
        (_pages, _tagCells, Released) = ([], null, true);
    }

    /// <summary>How many (account, service, day) cells there are: the daily totals.</summary>
    internal int DailyTotalCount { get; private set; }

    /// <summary>The billing day of an instant.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal int EpochDay(Instant start) => _days.EpochDay(start);

    /// <summary>The billing day of an instant given as Unix ticks.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal int EpochDay(long ticks) => _days.EpochDay(ticks);

    /// <summary>The index of a service, given one when new.</summary>
    /// <exception cref="ArgumentException">The service would be the 257th.</exception>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal int IndexOf(AsrService service)
    {
        var ordinal = service.Ordinal;
        if (unchecked((uint)ordinal) < (uint)AsrService.All.Length)
        {
            return ordinal;
        }

        for (var i = 0; i < _serviceCount; i++)
        {
            if (ReferenceEquals(_services[i], service))
            {
                return i;
            }
        }

        return IndexOfSlow(service);
    }

    /// <summary>Finds or makes the cell of (slot, service, day).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal int CellOf(int slot, AsrService service, int day) => CellOf(slot, IndexOf(service), day);

    /// <summary>Finds or makes the cell of (slot, service index, day).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal int CellOf(int slot, int serviceIndex, int day)
    {
        var code = MonthCode(day);
        return CellIn(slot, (code >> 5 << 8) | serviceIndex, code & 31, day);
    }

    /// <summary>Finds or makes the cell of a day in (slot, key), at an offset (day of month − 1) into the key's month.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private int CellIn(int slot, int key, int offset, int day)
    {
        var cell = UnseenCellIn(slot, key, offset, day);
        MarkSeen(cell);
        return cell;
    }

    /// <summary>As <see cref="CellIn"/>, without counting the cell as seen: the caller does, with <see cref="MarkSeen"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private int UnseenCellIn(int slot, int key, int offset, int day) => unchecked((BlockOf(slot, key, day - offset) << 5) + offset);

    /// <summary>Counts a cell as a daily total the first time it is met.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void MarkSeen(int cell)
    {
        ref var seen = ref _seen[cell >> 5];
        var bit = 1u << (cell & 31);
        if ((seen & bit) == 0)
        {
            seen |= bit;
            DailyTotalCount = unchecked(DailyTotalCount + 1);
        }
    }

    /// <summary>The month code of an epoch day: month index since 1970-01 × 32 + day of month − 1.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private int MonthCode(int day)
    {
        ref var cached = ref _monthCodes[day & (MonthCodeCacheSize - 1)];
        if (unchecked((int)(cached >> 32)) == day)
        {
            return unchecked((int)cached);
        }

        var date = ZoneDayCache.DateOf(day);
        var code = ((((date.Year - 1970) * 12) + date.Month - 1) << 5) | (date.Day - 1);
        cached = ((long)day << 32) | unchecked((uint)code);
        return code;
    }

    /// <summary>
    /// Adds one record's whole seconds to a cell, after the billing increment and per-record minimum
    /// of the price version in force on the cell's day; false when the sum would overflow (both are
    /// non-negative, so a wrapped sum is smaller).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal bool TryAddSeconds(int cell, long billableSeconds) => TryAdd(cell, Billable(cell, billableSeconds));

    /// <summary>Adds seconds (not negative) to a cell; false when the sum would overflow.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private bool TryAdd(int cell, long seconds)
    {
        ref var narrow = ref Cell(cell);
        var sum = narrow + unchecked((ulong)seconds);
        if (sum < WideMark)
        {
            narrow = unchecked((uint)sum);
            return true;
        }

        return TryAddWide(ref narrow, cell, seconds);
    }

    /// <summary>As <see cref="TryAdd"/>, for a sum that does not fit a cell's 32 bits, or a cell that holds the mark.</summary>
    private bool TryAddWide(ref uint narrow, int cell, long billableSeconds)
    {
        var seconds = narrow == WideMark ? _wide![cell] : narrow;
        var sum = unchecked(seconds + billableSeconds);
        if (sum < seconds)
        {
            return false;
        }

        (_wide ??= [])[cell] = sum;
        narrow = WideMark;
        return true;
    }

    /// <summary>A cell's seconds.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal long Seconds(int cell)
    {
        var narrow = Cell(cell);
        return narrow != WideMark ? narrow : _wide![cell];
    }

    /// <summary>
    /// Adds one record's seconds to a tag of a cell, rounded as <see cref="TryAddSeconds"/> rounds
    /// them; call it after that succeeded, so the tag's sum, a part of the cell's, cannot overflow.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal void AddTagSeconds(int cell, int tag, long billableSeconds) => _tagCells!.Add(cell, tag, Billable(cell, billableSeconds));

    /// <summary>A record's seconds after the billing increment and per-record minimum in force on the cell's day.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private long Billable(int cell, long billableSeconds) =>
        _wholeSeconds || billableSeconds == 0 ? billableSeconds : RulesOf(cell)?.BillableSeconds(billableSeconds) ?? billableSeconds;

    /// <summary>Asks for a slot's table ahead of its use.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal void PrefetchSlot(int slot)
    {
        // A table is 80 bytes, so it spans two cache lines or three: the first and the last are asked for.
        ref var table = ref Unsafe.As<SlotTable, byte>(ref _slots[slot]);
        Prefetch(ref table);
        Prefetch(ref Unsafe.Add(ref table, Unsafe.SizeOf<SlotTable>() - 1));
    }

    /// <summary>
    /// Adds the checked rows [start, start + n) of a batch, whose slots were prefetched: finds every
    /// row's cell and asks for its memory, then adds, so that the cache misses overlap.
    /// </summary>
    /// <returns><paramref name="failed"/> plus the rows that would overflow, whose indexes are appended to <paramref name="overflowed"/>.</returns>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal int AddChunk(
        ReadOnlySpan<UsageKey> keys, ReadOnlySpan<AsrService> services, ReadOnlySpan<long> unixTicks, ReadOnlySpan<long> billableSeconds,
        int start, int n, Span<int> cells, Span<int> overflowed, int failed)
    {
        // Indexes within the batch and the store, which checked arithmetic only makes slower.
        unchecked
        {
            for (var i = 0; i < n; i++)
            {
                var j = start + i;
                var day = _days.EpochDay(unixTicks[j]);
                var code = MonthCode(day);
                cells[i] = UnseenCellIn(keys[j].Slot, (code >> 5 << 8) | IndexOf(services[j]), code & 31, day);

                // The seen bits too are asked for here and read in the second pass: with many accounts they are a cache miss of their own.
                Prefetch(ref _seen[cells[i] >> 5]);
                Prefetch(ref Cell(cells[i]));
                if (keys[j].Tag >= 0)
                {
                    _tagCells!.Prefetch(cells[i], keys[j].Tag);
                }
            }

            for (var i = 0; i < n; i++)
            {
                var j = start + i;
                MarkSeen(cells[i]);
                if (!TryAddSeconds(cells[i], billableSeconds[j]))
                {
                    overflowed[failed++] = j;
                    continue;
                }

                if (keys[j].Tag >= 0)
                {
                    AddTagSeconds(cells[i], keys[j].Tag, billableSeconds[j]);
                }
            }

            return failed;
        }
    }

    /// <summary>Asks for a cache line ahead of its use; a stale address after the GC moved the array is harmless.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static unsafe void Prefetch<T>(ref T cell)
    {
        if (Sse.IsSupported)
        {
            Sse.Prefetch0(Unsafe.AsPointer(ref cell));
        }
    }

    /// <summary>The rules of the price version in force on a cell's service and day, or null when none is.</summary>
    private PriceRules? RulesOf(int cell)
    {
        var key = _blockKey[cell >> 5];
        var day = _blockFirstDay[cell >> 5] + (cell & 31);
        var cacheKey = ((long)(key & 0xFF) << 32) | unchecked((uint)day);
        ref var rules = ref CollectionsMarshal.GetValueRefOrAddDefault(_rulesByDay ??= [], cacheKey, out var exists);
        if (!exists)
        {
            rules = _book.TryGetTable(_services[key & 0xFF], ZoneDayCache.DateOf(day), out var table) ? table.Rules : null;
        }

        return rules;
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
    private int BlockOf(int slot, int key, int firstDay)
    {
        ref var table = ref _slots[slot];
        var entry = TableEntry(ref table, key);
        return entry > 0 ? unchecked(entry - 1) : BlockOfSlow(ref table, slot, key, firstDay);
    }

    /// <summary>A key's entry in a slot's table: its block + 1, 0 for none yet, or −1 when the table has no place for the key.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int TableEntry(ref SlotTable table, int key)
    {
        var window = unchecked((key >> 8) - table.BaseWindow);
        var service = key & 0xFF;
        if (unchecked((uint)window) < unchecked((uint)table.Windows) && service < Stride)
        {
            var index = unchecked((window * Stride) + service);
            return table.Blocks is { } blocks ? blocks[index] : table.Inline[index];
        }

        return -1;
    }

    private int BlockOfSlow(ref SlotTable table, int slot, int key, int firstDay)
    {
        var window = key >> 8;
        var service = key & 0xFF;
        if (table.Windows == 0)
        {
            (table.BaseWindow, table.Windows) = (window, SlotTable.InlineWindows);
        }

        var first = Math.Min(table.BaseWindow, window);
        var end = Math.Max(table.BaseWindow + table.Windows, window + 1);
        if (service < Stride && end - first <= MaxWindows)
        {
            if (first != table.BaseWindow || end > table.BaseWindow + table.Windows)
            {
                // Grow the table to cover the window, keeping the blocks it has.
                var windows = Math.Min(MaxWindows, Math.Max(end - first, table.Windows * 2));
                var blocks = new int[windows * Stride];
                ReadOnlySpan<int> old = table.Blocks ?? (ReadOnlySpan<int>)table.Inline;
                old.CopyTo(blocks.AsSpan((table.BaseWindow - first) * Stride));
                (table.BaseWindow, table.Windows, table.Blocks) = (first, windows, blocks);
            }

            var index = ((window - table.BaseWindow) * Stride) + service;
            ref var entry = ref table.Blocks is { } grown ? ref grown[index] : ref table.Inline[index];
            if (entry == 0)
            {
                entry = NewBlock(slot, key, firstDay) + 1;
            }

            return entry - 1;
        }

        ref var more = ref CollectionsMarshal.GetValueRefOrAddDefault(_moreBlocks ??= [], (slot, key), out var exists);
        if (!exists)
        {
            more = NewBlock(slot, key, firstDay);
        }

        return more;
    }

    /// <summary>A cell's 32 bits, in its page: its seconds, or <see cref="WideMark"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private ref uint Cell(int cell)
    {
        ref var page = ref _pages[cell >> PageBits];
        return ref page.Array![unchecked(page.Offset + (cell & ((1 << PageBits) - 1)))];
    }

    private int NewBlock(int slot, int key, int firstDay)
    {
        if (_blockCount == _seen.Length)
        {
            Array.Resize(ref _seen, _blockCount * 2);
            Array.Resize(ref _blockSlot, _blockCount * 2);
            Array.Resize(ref _blockKey, _blockCount * 2);
            Array.Resize(ref _blockFirstDay, _blockCount * 2);
        }

        var end = (_blockCount + 1) << 5;
        if (_pages.Length == 1 && end > _pages[0].Count && _pages[0].Count < 1 << PageBits)
        {
            var grown = HugePages.NewAligned<uint>(Math.Min(_pages[0].Count * 2, 1 << PageBits));
            _pages[0].AsSpan().CopyTo(grown);
            _pages[0] = grown;
        }
        else if (end > _pages.Length << PageBits)
        {
            _pages = [.. _pages, HugePages.NewAligned<uint>(1 << PageBits)];
        }

        _blockSlot[_blockCount] = slot;
        _blockKey[_blockCount] = key;
        _blockFirstDay[_blockCount] = firstDay;
        return _blockCount++;
    }

    /// <summary>
    /// A slot's blocks: entry (window − <see cref="BaseWindow"/>) × 8 + service holds block + 1, or 0.
    /// The first two windows (months) are inline, so the common case reads
    /// no other object; a longer history moves to <see cref="Blocks"/>.
    /// </summary>
    private struct SlotTable
    {
        public const int InlineWindows = 2;
        public int BaseWindow;
        public int Windows;
        public int[]? Blocks;
        public InlineBlocks Inline;
    }

    [InlineArray(SlotTable.InlineWindows * Stride)]
    private struct InlineBlocks
    {
        private int _element;
    }
}
