using System.Runtime.CompilerServices;

namespace AsrBilling;

/// <summary>
/// Per-tag seconds of daily cells: one sum per (cell, tag id) that has usage, so that memory follows
/// the tagged cells rather than every (account, tag) pair's days.
/// </summary>
/// <remarks>
/// <para>
/// Three levels, so that no row waits on a cache miss into a table of millions (TagAllocationBenchmarks):
/// a small open-addressing table of recent pairs, which stays in cache; when it fills, its sums are
/// appended to a run, each packed in one 64-bit word; when the run outgrows the settled pairs, it is unpacked,
/// sorted in place by a radix sort and merged into them, held as columns sorted by (cell, tag). Where the recent table sums fewer than an
/// eighth of its adds (rows in no order of their pairs), the next million adds skip it and go straight to the run.
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
    private readonly int _directAdds;

    // Recent pairs: key, then seconds; the key packs (cell + 1, tag id), which keeps 0 free to mean empty.
    private long[] _recent;
    private int _shift;
    private int _recentCount;

    // Adds since the recent table was last emptied, and how many more go straight to the run: a table that
    // sums few of its adds (rows in no order of their pairs) only costs a probe and a copy per add.
    private int _added;
    private int _direct;
    private int _runLimit;

    // Sums appended, not yet merged (a pair may appear in several): each packed in one word (AppendRun), half the memory a
    // read touches for them (whole-process figures in the commit); the few that do not fit are kept whole in _runWide.
    private long[] _run = [];
    private int _runCount;
    private List<(long Key, long Seconds)>? _runWide;

    // The settled pairs, one each, by key: so by cell, then by tag id.
    private long[] _keys = [];
    private long[] _seconds = [];
    private int _settled;

    // Columns no longer used, kept to be taken again: each new page costs a fault and a clearing of it.
    private readonly List<long[]> _spares = [];

    /// <summary>Creates an empty table.</summary>
    /// <param name="recentLimit">How many entries the table of recent pairs may grow to (a power of two).</param>
    /// <param name="minRun">How many appended sums wait, at least, before they are merged.</param>
    /// <param name="directAdds">How many adds go straight to the run once the recent table sums too few of them, before it is tried again.</param>
    internal TagCellTable(int recentLimit = 1 << 16, int minRun = 1 << 23, int directAdds = 1 << 20)
    {
        _recentLimit = recentLimit;
        _minRun = minRun;
        _directAdds = directAdds;
        var size = Math.Min(1024, recentLimit);
        _recent = new long[2 * size];
        _shift = 64 - System.Numerics.BitOperations.Log2((uint)size);
    }

    /// <summary>Adds seconds to (cell, tag); the caller knows the sum cannot overflow, being part of the cell's checked total.</summary>
    public void Add(int cell, int tag, long seconds)
    {
        var key = Key(cell, tag);
        if (_direct > 0)
        {
            Append(key, seconds);
            return;
        }

        _added++;
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

    /// <summary>Asks for the memory of (cell, tag)'s place in the recent pairs ahead of its <see cref="Add"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Prefetch(int cell, int tag)
    {
        if (_direct == 0)
        {
            DailyCellStore.Prefetch(ref _recent[2 * Home(Key(cell, tag), _shift)]);
        }
    }

    /// <summary>Appends a sum to the run, past the recent table.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void Append(long key, long seconds)
    {
        if (_runCount == _runLimit)
        {
            ReserveDirect();
        }

        AppendRun(key, seconds);
        _direct--;
    }

    /// <summary>Appends a sum to the run, which has room: packed, or kept whole when it does not fit a word.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void AppendRun(long key, long seconds)
    {
        var cellPlusOne = unchecked((ulong)key) >> 32;
        var tag = unchecked((uint)key);
        if (cellPlusOne < 1UL << CellBits && tag < 1U << TagBits && unchecked((ulong)seconds) < 1UL << SecondsBits)
        {
            _run[_runCount++] = unchecked((long)((cellPlusOne << (TagBits + SecondsBits)) | ((ulong)tag << SecondsBits) | (ulong)seconds));
        }
        else
        {
            (_runWide ??= []).Add((key, seconds));
        }
    }

    // A packed sum's bits: cell + 1 (up to 67 M cells), tag id (up to 1 M), seconds (up to 72 h), from the top down.
    private const int CellBits = 26;
    private const int TagBits = 20;
    private const int SecondsBits = 18;

    /// <summary>Makes room in the run for the next direct appends, a block at a time, settling it first when it has reached its length.</summary>
    private void ReserveDirect()
    {
        var n = Math.Min(_direct, DirectBlock);
        MakeRunRoom(n);
        _runLimit = _runCount + n;
    }

    /// <summary>
    /// The sums grouped by cell: cell c's are [start[c], start[c + 1]) of the returned columns, by tag
    /// id within a cell; cells are below <paramref name="cellCount"/>. A key's low 32 bits are its tag id.
    /// The columns are the table's own, valid until the next <see cref="Add"/>, and must not be changed.
    /// </summary>
    // Fully optimized at its first call: run a few times per bill, its loop would stay in precompiled code.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public (int[] Start, long[] Keys, long[] Seconds) GroupByCell(int cellCount)
    {
        Spill();
        Settle();
        var start = HugePages.NewArray<int>(cellCount + 1);
        for (var k = 0; k < _settled; k++)
        {
            start[CellOf(_keys[k]) + 1]++;
        }

        for (var c = 0; c < cellCount; c++)
        {
            start[c + 1] += start[c];
        }

        return (start, _keys, _seconds);
    }

    /// <summary>Gives the columns' pages back to the system (<see cref="HugePages.Release"/>): the table is not used again.</summary>
    public void Release()
    {
        foreach (var column in (ReadOnlySpan<long[]>)[_keys, _seconds, _run, .. _spares])
        {
            HugePages.Release(column, 0, column.Length);
        }

        (_keys, _seconds, _run, _runWide) = ([], [], [], null);
        _spares.Clear();
        (_settled, _runCount, _runLimit, _direct) = (0, 0, 0, 0);
    }

    /// <summary>A key's tag id.</summary>
    public static int TagOf(long key) => unchecked((int)key);

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

    /// <summary>
    /// Appends the recent sums to the run and empties the recent table. A run that has reached its
    /// length is settled first; the run's columns grow fourfold, uninitialized, so that memory is touched only where written.
    /// </summary>
    // Fully optimized at its first call: run a few times per bill, its loop would stay in precompiled code.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void Spill()
    {
        if (_recentCount == 0)
        {
            return;
        }

        MakeRunRoom(_recentCount);
        var entries = _recent;
        for (var e = 0; e < entries.Length; e += 2)
        {
            if (entries[e] != 0)
            {
                AppendRun(entries[e], entries[e + 1]);
            }
        }

        Array.Clear(entries);

        // A full table that summed fewer than an eighth of its adds: the next adds go straight to the run.
        if (entries.Length == 2 * _recentLimit && _recentCount > _added - (_added >> 3))
        {
            (_direct, _runLimit) = (_directAdds, _runCount);
        }

        (_recentCount, _added) = (0, 0);
    }

    /// <summary>Room for <paramref name="n"/> more sums in the run: it is settled first when it has reached its length, and grows when short.</summary>
    private void MakeRunRoom(int n)
    {
        if (_runCount > 0 && _runCount + n > Math.Max(_minRun, 2 * _settled))
        {
            Settle();
        }

        if (_runCount + n > _run.Length)
        {
            var run = Take(RunLength(_run.Length, _runCount + n));
            _run.AsSpan(0, _runCount).CopyTo(run);
            _run = run;
        }
    }

    /// <summary>
    /// The length run columns of <paramref name="current"/> grow to for <paramref name="needed"/> sums: fourfold, but from a
    /// 32nd of the shortest run that settles (with room for a recent table's sums) to that length at once, since each step
    /// up copies the run into new pages, and those steps were most of the pages a large read touched. Past it, fourfold
    /// again: a run that waits on many settled pairs is not given their length before it needs it.
    /// </summary>
    private int RunLength(int current, int needed)
    {
        var size = Math.Max(current * 4L, Math.Max(needed, 4 * 1024));
        var firstSettle = (long)_minRun + _recentLimit;
        return (int)Math.Min(size >= firstSettle / 32 && size < firstSettle ? firstSettle : size, Array.MaxLength);
    }

    /// <summary>
    /// Unpacks the run into a column of keys and one of seconds, sorts them by key, and merges them into the settled
    /// pairs, adding the sums of the same pair. The first run becomes the settled pairs; the next run takes a column of
    /// its length, touched only where written.
    /// </summary>
    private void Settle()
    {
        var wide = _runWide?.Count ?? 0;
        if (_runCount + wide == 0)
        {
            return;
        }

        var (runKeys, runSeconds, runCount) = Unpack(wide);
        KeySort.SortByKey(runKeys, runSeconds, runCount);
        if (_settled == 0)
        {
            (_keys, _seconds, _settled) = (runKeys, runSeconds, SumRepeats(runKeys, runSeconds, runCount));
            (_run, _runCount, _runLimit) = (Take(runKeys.Length), 0, 0);
            return;
        }

        if (_keys.Length < _settled + runCount)
        {
            // Columns with room for twice both, so that the next merges are in place too: pages past what is written are never touched.
            var length = (int)Math.Min(2L * (_settled + runCount), Array.MaxLength);
            var (keys, seconds) = (Take(length), Take(length));
            _keys.AsSpan(0, _settled).CopyTo(keys);
            _seconds.AsSpan(0, _settled).CopyTo(seconds);
            Spare(_keys);
            Spare(_seconds);
            (_keys, _seconds) = (keys, seconds);
        }

        MergeInPlace(runKeys, runSeconds, runCount);
        (_run, _runCount, _runLimit) = (runKeys, 0, 0);
        Spare(runSeconds);
    }

    /// <summary>
    /// The run's sums as a column of keys (the run's own, unpacked in place) and one of seconds, the <paramref name="wide"/>
    /// sums kept whole after the packed ones; and how many there are.
    /// </summary>
    // Fully optimized at its first call: run a few times per bill, its loop would stay in precompiled code.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private (long[] Keys, long[] Seconds, int Count) Unpack(int wide)
    {
        var count = _runCount + wide;
        if (count > _run.Length)
        {
            var run = Take(count);
            _run.AsSpan(0, _runCount).CopyTo(run);
            _run = run;
        }

        var (keys, seconds) = (_run, Take(_run.Length));
        const ulong TagMask = (1UL << TagBits) - 1;
        const ulong SecondsMask = (1UL << SecondsBits) - 1;
        for (var i = 0; i < _runCount; i++)
        {
            var packed = unchecked((ulong)keys[i]);
            seconds[i] = unchecked((long)(packed & SecondsMask));
            keys[i] = unchecked((long)(((packed >> (TagBits + SecondsBits)) << 32) | ((packed >> SecondsBits) & TagMask)));
        }

        for (var w = 0; w < wide; w++)
        {
            (keys[_runCount + w], seconds[_runCount + w]) = _runWide![w];
        }

        _runWide?.Clear();
        return (keys, seconds, count);
    }

    /// <summary>
    /// Merges a sorted run into the settled pairs in their own columns, which have room for both: from
    /// the largest key down, so that no settled pair is overwritten before it is read; the pairs
    /// written are then moved down to follow the settled ones left in place. New columns would cost a
    /// page fault and a clearing of each of their pages.
    /// </summary>
    // Fully optimized at its first call: run a few times per bill, its loop would stay in precompiled code.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void MergeInPlace(long[] runKeys, long[] runSeconds, int runCount)
    {
        var (keys, seconds) = (_keys, _seconds);
        var end = _settled + runCount;

        // Written pairs are [w + 1, end); w = o + r + 1 + (sums merged so far), so w > o while the run lasts.
        // A tie takes the settled pair first, so the run's equal pairs are added to it and none is left equal.
        var (o, r, w) = (_settled - 1, runCount - 1, end - 1);
        while (r >= 0)
        {
            var takeSettled = o >= 0 && unchecked((ulong)keys[o] >= (ulong)runKeys[r]);
            var (key, sum) = takeSettled ? (keys[o], seconds[o--]) : (runKeys[r], runSeconds[r--]);
            if (w + 1 < end && keys[w + 1] == key)
            {
                seconds[w + 1] += sum;
            }
            else
            {
                (keys[w], seconds[w]) = (key, sum);
                w--;
            }
        }

        var written = end - (w + 1);
        if (w != o)
        {
            Array.Copy(keys, w + 1, keys, o + 1, written);
            Array.Copy(seconds, w + 1, seconds, o + 1, written);
        }

        _settled = o + 1 + written;
    }

    /// <summary>Adds the seconds of equal keys among the first <paramref name="n"/>, which are sorted; returns how many keys are left.</summary>
    // Fully optimized at its first call: run a few times per bill, its loop would stay in precompiled code.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static int SumRepeats(long[] keys, long[] seconds, int n)
    {
        var w = 0;
        for (var i = 0; i < n; i++)
        {
            if (w > 0 && keys[w - 1] == keys[i])
            {
                seconds[w - 1] += seconds[i];
            }
            else
            {
                (keys[w], seconds[w]) = (keys[i], seconds[i]);
                w++;
            }
        }

        return w;
    }

    /// <summary>A column of at least <paramref name="length"/>: a spare one when long enough, else new and uninitialized.</summary>
    private long[] Take(int length)
    {
        for (var i = 0; i < _spares.Count; i++)
        {
            if (_spares[i].Length >= length)
            {
                var taken = _spares[i];
                _spares.RemoveAt(i);
                return taken;
            }
        }

        return HugePages.NewUninitialized<long>(length);
    }

    /// <summary>Keeps a column no longer used to be taken again: the two longest are kept, so what is kept stays within the columns in use.</summary>
    private void Spare(long[] column)
    {
        _spares.Add(column);
        if (_spares.Count > 2)
        {
            _spares.Remove(_spares.MinBy(c => c.Length)!);
        }
    }

    // How many direct adds a reservation of room in the run covers.
    private const int DirectBlock = 1 << 14;
}
