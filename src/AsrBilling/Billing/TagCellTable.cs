using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics.X86;

namespace AsrBilling;

/// <summary>
/// Per-tag seconds of daily cells: one entry per (cell, tag id) that has usage, in an open-addressing
/// table, so that memory follows the tagged cells rather than every (account, tag) pair's days.
/// </summary>
/// <remarks>
/// An entry is two longs side by side, key then seconds, so that one cache line holds both. The key
/// packs (cell + 1, tag id), which keeps 0 free to mean an empty entry. Linear probing from a
/// Fibonacci hash; the table doubles at a load of 1/2, so probes stay short.
/// </remarks>
internal sealed class TagCellTable
{
    private long[] _entries = new long[2 * 1024];
    private int _shift = 64 - 10;
    private int _count;

    /// <summary>How many (cell, tag) entries there are.</summary>
    public int Count => _count;

    /// <summary>The home entry of (cell, tag), to prefetch with <see cref="Prefetch"/> and pass to <see cref="Add"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public int HomeOf(int cell, int tag) => Home(Key(cell, tag), _shift);

    /// <summary>Asks for an entry's memory ahead of its use; a stale index after growth is harmless.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public unsafe void Prefetch(int home)
    {
        if (Sse.IsSupported && 2 * home < _entries.Length)
        {
            Sse.Prefetch0(Unsafe.AsPointer(ref _entries[2 * home]));
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe void PrefetchAt(ref int item)
    {
        if (Sse.IsSupported)
        {
            Sse.Prefetch0(Unsafe.AsPointer(ref item));
        }
    }

    /// <summary>Adds seconds to (cell, tag); the caller knows the sum cannot overflow, being part of the cell's checked total.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Add(int cell, int tag, long seconds)
    {
        var key = Key(cell, tag);
        var entries = _entries;
        var mask = (entries.Length >> 1) - 1;
        var i = HomeOf(cell, tag);
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
                if (++_count * 2 > entries.Length >> 1)
                {
                    Grow();
                }

                return;
            }

            i = (i + 1) & mask;
        }
    }

    /// <summary>
    /// The entries grouped by cell: cell c's are [start[c], start[c + 1]) of the returned columns, in
    /// table order within a cell; cells are below <paramref name="cellCount"/>.
    /// </summary>
    public (int[] Start, int[] Tags, long[] Seconds) GroupByCell(int cellCount)
    {
        var start = new int[cellCount + 1];
        var entries = _entries;
        for (var e = 0; e < entries.Length; e += 2)
        {
            if (entries[e] != 0)
            {
                start[(int)(entries[e] >> 32)]++; // cell + 1: counts land one place up, ready for the prefix sum
            }
        }

        for (var c = 0; c < cellCount; c++)
        {
            start[c + 1] += start[c];
        }

        var next = start.AsSpan(0, cellCount).ToArray();
        var (tags, seconds) = (new int[_count], new long[_count]);
        Span<int> places = stackalloc int[Batch];
        Span<int> from = stackalloc int[Batch];
        var i = 0;
        while (i < entries.Length)
        {
            // A batch's places first, with their memory asked for; cells lie in table order, so the places are scattered.
            var n = 0;
            for (; i < entries.Length && n < Batch; i += 2)
            {
                if (entries[i] != 0)
                {
                    (from[n], places[n]) = (i, next[(int)(entries[i] >> 32) - 1]++);
                    PrefetchAt(ref tags[places[n]]);
                    PrefetchAt(ref Unsafe.As<long, int>(ref seconds[places[n]]));
                    n++;
                }
            }

            for (var k = 0; k < n; k++)
            {
                tags[places[k]] = unchecked((int)entries[from[k]]);
                seconds[places[k]] = entries[from[k] + 1];
            }
        }

        return (start, tags, seconds);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static long Key(int cell, int tag) => ((long)(cell + 1) << 32) | unchecked((uint)tag);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int Home(long key, int shift) => (int)(unchecked((ulong)key * 0x9E3779B97F4A7C15UL) >> shift);

    private void Grow()
    {
        var old = _entries;
        var entries = _entries = new long[old.Length * 2];
        _shift--;
        var mask = (entries.Length >> 1) - 1;
        Span<int> homes = stackalloc int[Batch];
        Span<int> from = stackalloc int[Batch];
        var i = 0;
        while (i < old.Length)
        {
            // Find a batch's homes and ask for their memory, then place them: the misses overlap.
            var n = 0;
            for (; i < old.Length && n < Batch; i += 2)
            {
                if (old[i] != 0)
                {
                    (from[n], homes[n]) = (i, Home(old[i], _shift));
                    Prefetch(homes[n]);
                    n++;
                }
            }

            for (var k = 0; k < n; k++)
            {
                var j = homes[k];
                while (entries[2 * j] != 0)
                {
                    j = (j + 1) & mask;
                }

                (entries[2 * j], entries[(2 * j) + 1]) = (old[from[k]], old[from[k] + 1]);
            }
        }
    }

    /// <summary>How many entries a batch of <see cref="Grow"/> or <see cref="GroupByCell"/> places after asking for their memory.</summary>
    private const int Batch = 32;
}
