using System.Runtime.CompilerServices;

namespace AsrBilling;

/// <summary>
/// Sorts (key, seconds) columns by key as unsigned, in place: the sort of a <see cref="TagCellTable"/>'s run
/// of (cell, tag) pairs before it is merged into the settled ones.
/// </summary>
internal static class KeySort
{
    /// <summary>
    /// Sorts the first <paramref name="n"/> keys, with their seconds, in place. When the bits in which keys
    /// differ and the seconds fit one 64-bit word together, as a run's (cell, tag) pairs do, each pair is
    /// packed into one, sorted by a least-significant-digit radix sort between the two columns, and unpacked:
    /// half the bytes moved per pass (TagAllocationBenchmarks). Else a most-significant-digit radix sort of
    /// bytes (American flag sort) from the highest bit in which keys differ, until a bucket fits in cache,
    /// which a least-significant-digit sort finishes through small scratch columns. Scratch columns as long
    /// as the run would cost a fault and a clearing for each of their pages.
    /// </summary>
    public static void SortByKey(long[] keys, long[] seconds, int n)
    {
        if (n < 2)
        {
            return;
        }

        var differ = 0UL;
        var anySeconds = 0UL;
        for (var i = 0; i < n; i++)
        {
            differ |= unchecked((ulong)(keys[i] ^ keys[0]));
            anySeconds |= unchecked((ulong)seconds[i]);
        }

        if (differ == 0)
        {
            return;
        }

        // The low and high halves' bits up to the highest that differs in each: a cell's and a tag's, for a run.
        var lowBits = 64 - System.Numerics.BitOperations.LeadingZeroCount(differ & uint.MaxValue);
        var highBits = 64 - System.Numerics.BitOperations.LeadingZeroCount(differ >> 32);
        var keyBits = lowBits + highBits;
        if (n >= PackedMin && keyBits + (64 - System.Numerics.BitOperations.LeadingZeroCount(anySeconds)) <= 64)
        {
            SortPacked(keys, seconds, n, lowBits, highBits);
            return;
        }

        var scratch = n > InsertionMax ? new Scratch(Math.Min(n, BucketMax)) : default;
        SortByByte(keys, seconds, 0, n, (63 - System.Numerics.BitOperations.LeadingZeroCount(differ)) & ~7, scratch);
    }

    /// <summary>
    /// Sorts pairs packed as (key's bits that may differ, then seconds) in one word each: written over the keys,
    /// sorted by passes of up to 10 bits between the two columns, then unpacked in place from whichever holds them.
    /// </summary>
    // Fully optimized at its first call: run a few times per bill, its loop would stay in precompiled code.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void SortPacked(long[] keys, long[] seconds, int n, int lowBits, int highBits)
    {
        var keyBits = lowBits + highBits;
        var secondsBits = 64 - keyBits;
        var lowMask = lowBits == 0 ? 0UL : ulong.MaxValue >> (64 - lowBits);
        var highMask = highBits == 0 ? 0UL : ulong.MaxValue >> (64 - highBits);
        var secondsMask = secondsBits == 0 ? 0UL : ulong.MaxValue >> keyBits;
        var common = unchecked((ulong)keys[0]) & ~((highMask << 32) | lowMask);
        var passes = (keyBits + 9) / 10;
        var digitBits = (keyBits + passes - 1) / passes;
        var digitMask = (1 << digitBits) - 1;
        var counts = new int[passes << digitBits];
        unchecked
        {
            for (var i = 0; i < n; i++)
            {
                var key = (ulong)keys[i];
                var packed = ((((key >> 32) & highMask) << lowBits) | (key & lowMask)) << secondsBits | (ulong)seconds[i];
                keys[i] = (long)packed;
                for (var d = 0; d < passes; d++)
                {
                    counts[(d << digitBits) + (int)((packed >> (secondsBits + (d * digitBits))) & (ulong)digitMask)]++;
                }
            }

            var (from, to) = (keys, seconds);
            for (var d = 0; d < passes; d++)
            {
                var next = counts.AsSpan(d << digitBits, 1 << digitBits);
                if (next.Contains(n))
                {
                    continue; // every pair has the same digit here
                }

                for (int b = 0, at = 0; b < next.Length; b++)
                {
                    (next[b], at) = (at, at + next[b]);
                }

                var shift = secondsBits + (d * digitBits);
                for (var i = 0; i < n; i++)
                {
                    var packed = from[i];
                    to[next[(int)(((ulong)packed >> shift) & (ulong)digitMask)]++] = packed;
                }

                (from, to) = (to, from);
            }

            for (var i = 0; i < n; i++)
            {
                var packed = (ulong)from[i];
                var key = packed >> secondsBits;
                keys[i] = (long)(common | ((key >> lowBits) << 32) | (key & lowMask));
                seconds[i] = (long)(packed & secondsMask);
            }
        }
    }

    // Below this many pairs, the packed sort's passes over its counts cost more than the sort by bytes.
    private const int PackedMin = 1 << 12;

    // Buckets of at most this many keys are sorted by insertion: fewer moves than a pass of 256 counts.
    private const int InsertionMax = 32;

    // Buckets of at most this many keys (1 MB with their seconds) are finished from their lowest byte up, in cache.
    private const int BucketMax = 1 << 16;

    /// <summary>The columns a bucket's least-significant-digit passes write to and read from.</summary>
    private readonly record struct Scratch(long[] Keys, long[] Seconds)
    {
        public Scratch(int length)
            : this(new long[length], new long[length])
        {
        }
    }

    /// <summary>Sorts [start, end) by their key bytes from bit <paramref name="shift"/> down, all higher bits being equal.</summary>
    // Fully optimized at its first call: run a few times per bill, its loop would stay in precompiled code.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void SortByByte(long[] keys, long[] seconds, int start, int end, int shift, Scratch scratch)
    {
        if (end - start <= InsertionMax)
        {
            InsertionSort(keys, seconds, start, end);
            return;
        }

        if (end - start <= BucketMax)
        {
            SortBucket(keys, seconds, start, end, shift, scratch);
            return;
        }

        Span<int> counts = stackalloc int[256];
        for (var i = start; i < end; i++)
        {
            counts[Digit(keys[i], shift)]++;
        }

        if (counts.Contains(end - start))
        {
            // Every key has the same byte here.
            if (shift > 0)
            {
                SortByByte(keys, seconds, start, end, shift - 8, scratch);
            }

            return;
        }

        Span<int> next = stackalloc int[256];
        Span<int> ends = stackalloc int[256];
        for (int b = 0, at = start; b < 256; b++)
        {
            (next[b], at) = (at, at + counts[b]);
            ends[b] = at;
        }

        // Each key is moved once, into the next free place of its bucket, taking out the key that was there.
        for (var b = 0; b < 256; b++)
        {
            while (next[b] < ends[b])
            {
                var (key, sum) = (keys[next[b]], seconds[next[b]]);
                var digit = Digit(key, shift);
                while (digit != b)
                {
                    var at = next[digit]++;
                    (key, keys[at]) = (keys[at], key);
                    (sum, seconds[at]) = (seconds[at], sum);
                    digit = Digit(key, shift);
                }

                (keys[next[b]], seconds[next[b]]) = (key, sum);
                next[b]++;
            }
        }

        if (shift > 0)
        {
            for (int b = 0, at = start; b < 256; at += counts[b], b++)
            {
                if (counts[b] > 1)
                {
                    SortByByte(keys, seconds, at, at + counts[b], shift - 8, scratch);
                }
            }
        }
    }

    /// <summary>
    /// Sorts a bucket that fits in cache by its key bytes from the lowest up to bit <paramref name="shift"/>'s,
    /// each byte in which its keys differ a stable pass between the bucket and the scratch columns.
    /// </summary>
    // Fully optimized at its first call: run a few times per bill, its loop would stay in precompiled code.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void SortBucket(long[] keys, long[] seconds, int start, int end, int shift, Scratch scratch)
    {
        var n = end - start;
        var digits = (shift / 8) + 1;
        Span<int> counts = stackalloc int[8 * 256];
        counts = counts[..(digits * 256)];
        counts.Clear();
        for (var i = start; i < end; i++)
        {
            var key = unchecked((ulong)keys[i]);
            for (var d = 0; d < digits; d++)
            {
                counts[(d << 8) + (int)((key >> (8 * d)) & 0xFF)]++;
            }
        }

        var (fromKeys, fromSeconds, from) = (keys, seconds, start);
        var (toKeys, toSeconds, to) = (scratch.Keys, scratch.Seconds, 0);
        Span<int> next = stackalloc int[256];
        for (var d = 0; d < digits; d++)
        {
            var histogram = counts.Slice(d << 8, 256);
            if (histogram.Contains(n))
            {
                continue; // every key of the bucket has the same byte here
            }

            for (int b = 0, at = to; b < 256; b++)
            {
                (next[b], at) = (at, at + histogram[b]);
            }

            var byteShift = 8 * d;
            for (var i = from; i < from + n; i++)
            {
                var at = next[(int)((unchecked((ulong)fromKeys[i]) >> byteShift) & 0xFF)]++;
                (toKeys[at], toSeconds[at]) = (fromKeys[i], fromSeconds[i]);
            }

            ((fromKeys, fromSeconds, from), (toKeys, toSeconds, to)) = ((toKeys, toSeconds, to), (fromKeys, fromSeconds, from));
        }

        if (!ReferenceEquals(fromKeys, keys))
        {
            Array.Copy(fromKeys, from, keys, start, n);
            Array.Copy(fromSeconds, from, seconds, start, n);
        }
    }

    private static int Digit(long key, int shift) => (int)((unchecked((ulong)key) >> shift) & 0xFF);

    private static void InsertionSort(long[] keys, long[] seconds, int start, int end)
    {
        for (var i = start + 1; i < end; i++)
        {
            var (key, sum) = (keys[i], seconds[i]);
            var j = i - 1;
            for (; j >= start && unchecked((ulong)keys[j] > (ulong)key); j--)
            {
                (keys[j + 1], seconds[j + 1]) = (keys[j], seconds[j]);
            }

            (keys[j + 1], seconds[j + 1]) = (key, sum);
        }
    }
}
