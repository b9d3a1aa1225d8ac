using System.IO.Hashing;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics.X86;

namespace AsrBilling.Csv;

/// <summary>
/// The record ids one worker saw, as 64-bit keys, split into 256 partitions by the key's top byte
/// so that repeated keys are found later partition by partition, in cache, instead of by random
/// access to one large table while reading.
/// </summary>
/// <remarks>
/// <para>
/// A key only says which ids may repeat. Two different ids share a 64-bit key with probability
/// about n² / 2⁶⁵ (3·10⁻⁶ for 10 million ids), so the rows whose keys repeat are read again and
/// their ids compared as text: a duplicate is only ever decided on the ids themselves.
/// </para>
/// <para>
/// An entry takes 8 bytes and holds no row number, a third of a (digest, row) entry, since the
/// writes' cache misses were the cost; the rows of a repeated key are found by the second read instead.
/// </para>
/// </remarks>
internal sealed unsafe class IdLog(ulong mask) : IDisposable
{
    /// <summary>The bits of each key that are kept (all but in tests, which make different ids share keys).</summary>
    private readonly ulong _mask = mask;

    public const int Partitions = 256;

    // Each partition grows by blocks, never copied, with at most one part-filled block each: a first
    // one of 4 KB, so that a small log touches little memory, then 64 KB ones.
    private const int FirstBlockSize = 512;
    private const int BlockSize = 8_192;
    private readonly List<nint>[] _blocks = new List<nint>[Partitions];
    private readonly int[] _lastCount = new int[Partitions];
    private readonly int[] _lastSize = new int[Partitions];
    private readonly nint[] _current = new nint[Partitions];

    // Written once and read once: on 2 MB pages, a third of a bill's page faults are saved (figures in the commit).
    private readonly HugePageArena _arena = new();

    // Each partition's keys gather in a cache line here, which is then stored whole, past the cache: a store
    // into a block's next line waited for that line to come from memory (perf annotation of ByteRowScanner.BytesRow).
    private ulong* _lines;

    /// <summary>The XxHash128 digest of an id's UTF-8 bytes, as two halves (reading them out of a <see cref="UInt128"/> with its operators costs two calls a row).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static IdDigest Digest(ReadOnlySpan<byte> id)
    {
        var hash = XxHash128.HashToUInt128(id);
        var halves = MemoryMarshal.Cast<UInt128, ulong>(new ReadOnlySpan<UInt128>(in hash));
        return new IdDigest(halves[0], halves[1]);
    }

    /// <summary>The digest of an id read as text: the same as of its UTF-8 bytes.</summary>
    public static IdDigest Digest(ReadOnlySpan<char> id)
    {
        Span<byte> buffer = stackalloc byte[FieldParsers.StackBytes];
        return Digest(FieldParsers.Utf8(id, buffer));
    }


    /// <summary>The key an id is logged under: half its digest, never 0 (an empty slot of the finder's table).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong Key(IdDigest digest, ulong mask) => (digest.Low & mask) | 1;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Add(IdDigest digest)
    {
        var key = Key(digest, _mask);
        var partition = (int)(key >> 56);
        ref var count = ref _lastCount[partition];
        var block = _current[partition];
        if (count == _lastSize[partition])
        {
            block = NewBlock(partition);
        }

        var line = _lines + (partition * LineKeys);
        line[count & (LineKeys - 1)] = key;
        if ((++count & (LineKeys - 1)) == 0)
        {
            StoreLine(line, (ulong*)block + count - LineKeys);
        }
    }

    /// <summary>Frees the logged keys.</summary>
    public void Dispose() => _arena.Dispose();

    // Keys in a 64-byte cache line; blocks hold whole lines and start on one.
    private const int LineKeys = 8;

    /// <summary>
    /// Stores a full line of keys into a block without reading the block's line into the cache first. The
    /// stores are seen by the threads that read the blocks after the worker hands its log over: on x86, the
    /// locked instruction of that hand-off drains the core's write-combining buffers.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void StoreLine(ulong* line, ulong* to)
    {
        if (Avx.IsSupported)
        {
            Avx.StoreAlignedNonTemporal(to, Avx.LoadAlignedVector256(line));
            Avx.StoreAlignedNonTemporal(to + 4, Avx.LoadAlignedVector256(line + 4));
        }
        else
        {
            new ReadOnlySpan<ulong>(line, LineKeys).CopyTo(new Span<ulong>(to, LineKeys));
        }
    }

    /// <summary>Moves each partition's keys still gathering in its line into its block, for the blocks to be read.</summary>
    private void Complete()
    {
        for (var partition = 0; _lines is not null && partition < Partitions; partition++)
        {
            var pending = _lastCount[partition] & (LineKeys - 1);
            var block = (ulong*)_current[partition];
            new ReadOnlySpan<ulong>(_lines + (partition * LineKeys), pending).CopyTo(new Span<ulong>(block + _lastCount[partition] - pending, pending));
        }
    }

    private nint NewBlock(int partition)
    {
        if (_lines is null)
        {
            _lines = _arena.Allocate(Partitions * LineKeys);
        }

        var size = _current[partition] == 0 ? FirstBlockSize : BlockSize;
        var block = _current[partition] = (nint)_arena.Allocate(size);
        (_blocks[partition] ??= []).Add(block);
        (_lastCount[partition], _lastSize[partition]) = (0, size);
        return block;
    }

    /// <summary>
    /// As <see cref="FindRepeatedKeys(IReadOnlyList{IdLog})"/>, then frees the logs (also when it fails): a reader
    /// frees them while it still merges its totals, whose columns then take the pages just freed, which cost far less
    /// to fault in than new ones.
    /// </summary>
    public static HashSet<ulong> FindRepeatedKeysAndFree(IReadOnlyList<IdLog> logs)
    {
        try
        {
            return FindRepeatedKeys(logs);
        }
        finally
        {
            foreach (var log in logs)
            {
                log.Dispose();
            }
        }
    }

    /// <summary>How many bytes of native memory the log holds: 0 once disposed.</summary>
    public long NativeBytes => _arena.Bytes;

    /// <summary>The keys logged more than once, over the logs of every worker.</summary>
    public static HashSet<ulong> FindRepeatedKeys(IReadOnlyList<IdLog> logs)
    {
        foreach (var log in logs)
        {
            log.Complete();
        }

        var found = new List<ulong>?[Partitions];
        var largest = Enumerable.Range(0, Partitions).Max(p => logs.Sum(l => l.Count(p)));
        Parallel.For(
            0,
            Partitions,
            () => new ulong[BitOperations.RoundUpToPowerOf2((uint)Math.Max(16, largest * 2))],
            (partition, _, table) =>
            {
                found[partition] = FindRepeatedKeys(logs, partition, table);
                return table;
            },
            _ => { });

        return [.. found.Where(f => f is not null).SelectMany(f => f!)];
    }

    /// <summary>
    /// One partition's repeated keys, by open addressing in a table at most half full: a partition's
    /// keys fit in cache. The key's low bits, already uniform, pick the slot. A slot is empty when it
    /// holds 0 or a key of another partition (its top byte differs; keys are never 0), so the table
    /// is reused from partition to partition without being cleared: clearing it took 256 memsets of
    /// 1 MB on 10 million ids.
    /// </summary>
    // Fully optimized at its first call rather than tiered up: it runs 256 times, once per partition.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static List<ulong>? FindRepeatedKeys(IReadOnlyList<IdLog> logs, int partition, ulong[] table)
    {
        var count = 0;
        foreach (var log in logs)
        {
            count += log.Count(partition);
        }

        var slots = table.AsSpan(0, (int)BitOperations.RoundUpToPowerOf2((uint)Math.Max(16, count * 2)));
        var mask = slots.Length - 1;
        var top = (ulong)partition;
        List<ulong>? repeated = null;
        foreach (var log in logs)
        {
            var blocks = log._blocks[partition];
            for (var b = 0; blocks is not null && b < blocks.Count; b++)
            {
                var used = b + 1 < blocks.Count ? SizeOf(b) : log._lastCount[partition];
                foreach (var key in new ReadOnlySpan<ulong>((void*)blocks[b], used))
                {
                    for (var slot = (int)(key & (ulong)mask); ; slot = (slot + 1) & mask)
                    {
                        var held = slots[slot];
                        if (held == 0 || held >> 56 != top)
                        {
                            slots[slot] = key;
                            break;
                        }

                        if (held == key)
                        {
                            (repeated ??= []).Add(key);
                            break;
                        }
                    }
                }
            }
        }

        return repeated;
    }

    private int Count(int partition) =>
        _blocks[partition] switch
        {
            null or { Count: 0 } => 0,
            { Count: 1 } => _lastCount[partition],
            var blocks => FirstBlockSize + ((blocks.Count - 2) * BlockSize) + _lastCount[partition],
        };

    private static int SizeOf(int block) => block == 0 ? FirstBlockSize : BlockSize;

    /// <summary>A 128-bit id digest; which half is which does not matter, as long as it is the same in a run.</summary>
    internal readonly record struct IdDigest(ulong Low, ulong High);
}
