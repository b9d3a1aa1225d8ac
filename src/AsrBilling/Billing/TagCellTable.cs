namespace AsrBilling;

/// <summary>
/// Per-tag seconds of daily cells: one sum per (cell, tag id) that has usage, so that memory follows
/// the tagged cells rather than every (account, tag) pair's days.
/// </summary>
/// <remarks>
/// <para>
/// Three levels, so that no row waits on a cache miss into a table of millions (TagAllocationBenchmarks):
/// a small open-addressing table of recent pairs, which stays in cache; when it fills, its sums are
/// appended to a run; when the run outgrows the settled pairs, it is sorted by a radix sort, whose
/// passes read and write in order, and merged into them, held as columns sorted by (cell, tag).
/// </para>
/// <para>
/// A merge waits until the run is twice as long as the settled pairs, so it costs at most 1.5 moves per
/// sum of the run, and memory stays a small multiple of the distinct pairs whatever the number of records.
/// </para>
/// </remarks>
internal sealed class TagCellTable
{
    private readonly int _recentLimit;
    private readonly int _minRun;

    // Recent pairs: key, then seconds; the key packs (cell + 1, tag id), which keeps 0 free to mean empty.
    private long[] _recent;
    private int _shift;
    private int _recentCount;

    // Sums appended from the recent table, not yet merged: a pair may appear in several.
    private long[] _runKeys = [];
    private long[] _runSeconds = [];
    private int _runCount;

    // The settled pairs, one each, by key: so by cell, then by tag id.
    private long[] _keys = [];
    private long[] _seconds = [];
    private int _settled;

    /// <summary>Creates an empty table.</summary>
    /// <param name="recentLimit">How many entries the table of recent pairs may grow to (a power of two).</param>
    /// <param name="minRun">How many appended sums wait, at least, before they are merged.</param>
    internal TagCellTable(int recentLimit = 1 << 16, int minRun = 1 << 22)
    {
        _recentLimit = recentLimit;
        _minRun = minRun;
        var size = Math.Min(1024, recentLimit);
        _recent = new long[2 * size];
        _shift = 64 - System.Numerics.BitOperations.Log2((uint)size);
    }

    /// <summary>Adds seconds to (cell, tag); the caller knows the sum cannot overflow, being part of the cell's checked total.</summary>
    public void Add(int cell, int tag, long seconds)
    {
        var key = Key(cell, tag);
        var entries = _recent;
        var mask = (entries.Length >> 1) - 1;
        var i = Home(key, _shift);
        while (true)
        {
            ref var slot = ref entries[2 * i];
            if (slot == key)
            {
                entries[(2 * i) + 1] += seconds;
                return;
            }

            if (slot == 0)
            {
                slot = key;
                entries[(2 * i) + 1] = seconds;
                if (++_recentCount * 2 > entries.Length >> 1)
                {
                    if (entries.Length < 2 * _recentLimit)
                    {
                        GrowRecent();
                    }
                    else
                    {
                        Spill();
                    }
                }

                return;
            }

            i = (i + 1) & mask;
        }
    }

    /// <summary>
    /// The sums grouped by cell: cell c's are [start[c], start[c + 1]) of the returned columns, by tag
    /// id within a cell; cells are below <paramref name="cellCount"/>. The columns are the caller's to change.
    /// </summary>
    public (int[] Start, int[] Tags, long[] Seconds) GroupByCell(int cellCount)
    {
        Spill();
        Settle();
        var start = HugePages.NewArray<int>(cellCount + 1);
        var tags = HugePages.NewArray<int>(_settled);
        for (var k = 0; k < _settled; k++)
        {
            start[CellOf(_keys[k]) + 1]++;
            tags[k] = unchecked((int)_keys[k]);
        }

        for (var c = 0; c < cellCount; c++)
        {
            start[c + 1] += start[c];
        }

        var seconds = HugePages.NewArray<long>(_settled);
        _seconds.AsSpan(0, _settled).CopyTo(seconds);
        return (start, tags, seconds);
    }

    private static long Key(int cell, int tag) => ((long)(cell + 1) << 32) | unchecked((uint)tag);

    private static int CellOf(long key) => (int)(unchecked((ulong)key) >> 32) - 1;

    private static int Home(long key, int shift) => (int)(unchecked((ulong)key * 0x9E3779B97F4A7C15UL) >> shift);

    private void GrowRecent()
    {
        var old = _recent;
        var entries = _recent = new long[old.Length * 2];
        _shift--;
        var mask = (entries.Length >> 1) - 1;
        for (var e = 0; e < old.Length; e += 2)
        {
            if (old[e] != 0)
            {
                var j = Home(old[e], _shift);
                while (entries[2 * j] != 0)
                {
                    j = (j + 1) & mask;
                }

                (entries[2 * j], entries[(2 * j) + 1]) = (old[e], old[e + 1]);
            }
        }
    }

    /// <summary>Appends the recent sums to the run and empties the recent table; settles the run when it is long enough.</summary>
    private void Spill()
    {
        if (_recentCount == 0)
        {
            return;
        }

        if (_runCount + _recentCount > _runKeys.Length)
        {
            var size = Math.Max(_runKeys.Length * 2, Math.Max(_runCount + _recentCount, 4 * 1024));
            HugePages.Resize(ref _runKeys, size);
            HugePages.Resize(ref _runSeconds, size);
        }

        var entries = _recent;
        for (var e = 0; e < entries.Length; e += 2)
        {
            if (entries[e] != 0)
            {
                (_runKeys[_runCount], _runSeconds[_runCount]) = (entries[e], entries[e + 1]);
                _runCount++;
            }
        }

        Array.Clear(entries);
        _recentCount = 0;
        if (_runCount >= Math.Max(_minRun, 2 * _settled))
        {
            Settle();
        }
    }

    /// <summary>Sorts the run by key and merges it into the settled pairs, adding the sums of the same pair.</summary>
    private void Settle()
    {
        if (_runCount == 0)
        {
            return;
        }

        var (runKeys, runSeconds) = SortByKey(_runKeys, _runSeconds, _runCount);
        var (keys, seconds) = (HugePages.NewArray<long>(_settled + _runCount), HugePages.NewArray<long>(_settled + _runCount));
        var (o, r, w) = (0, 0, 0);
        while (o < _settled || r < _runCount)
        {
            var takeSettled = r == _runCount || (o < _settled && unchecked((ulong)_keys[o] <= (ulong)runKeys[r]));
            var (key, sum) = takeSettled ? (_keys[o], _seconds[o++]) : (runKeys[r], runSeconds[r++]);
            if (w > 0 && keys[w - 1] == key)
            {
                seconds[w - 1] += sum;
            }
            else
            {
                (keys[w], seconds[w]) = (key, sum);
                w++;
            }
        }

        (_keys, _seconds, _settled, _runCount) = (keys, seconds, w, 0);
    }

    /// <summary>
    /// Sorts the first <paramref name="n"/> keys, with their seconds, by a least-significant-digit radix
    /// sort of bytes, skipping the bytes all keys share (the unused high bits of the tag and the cell).
    /// </summary>
    /// <returns>The sorted columns: the given arrays or scratch ones.</returns>
    private static (long[] Keys, long[] Seconds) SortByKey(long[] keys, long[] seconds, int n)
    {
        var counts = new int[8 * 256];
        for (var i = 0; i < n; i++)
        {
            var key = unchecked((ulong)keys[i]);
            for (var d = 0; d < 8; d++)
            {
                counts[(d << 8) + (int)((key >> (8 * d)) & 0xFF)]++;
            }
        }

        var (fromKeys, fromSeconds) = (keys, seconds);
        long[]? toKeys = null, toSeconds = null;
        Span<int> next = stackalloc int[256];
        for (var d = 0; d < 8; d++)
        {
            var histogram = counts.AsSpan(d << 8, 256);
            if (histogram.Contains(n))
            {
                continue; // every key has the same byte here
            }

            var sum = 0;
            for (var b = 0; b < 256; b++)
            {
                (next[b], sum) = (sum, sum + histogram[b]);
            }

            toKeys ??= HugePages.NewArray<long>(n);
            toSeconds ??= HugePages.NewArray<long>(n);
            var shift = 8 * d;
            for (var i = 0; i < n; i++)
            {
                var at = next[(int)((unchecked((ulong)fromKeys[i]) >> shift) & 0xFF)]++;
                (toKeys[at], toSeconds[at]) = (fromKeys[i], fromSeconds[i]);
            }

            (fromKeys, fromSeconds, toKeys, toSeconds) = (toKeys, toSeconds, fromKeys, fromSeconds);
        }

        return (fromKeys, fromSeconds);
    }
}
