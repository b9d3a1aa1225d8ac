using System.IO.Hashing;
using System.Numerics;
using System.Runtime.InteropServices;
using System.Text;

namespace AsrBilling.Cli.Input;

/// <summary>
/// The record ids one worker saw, as 128-bit XxHash128 digests with their row, split into 256
/// partitions by the digest's top byte so that duplicates are found later partition by partition,
/// in cache, instead of by random access to one large table while reading.
/// </summary>
/// <remarks>
/// Two different ids share a 128-bit digest with probability about n² / 2¹²⁹: below 10⁻²⁴ for
/// 10 million ids, far less likely than a memory error. An entry takes 24 bytes.
/// </remarks>
internal sealed class IdLog
{
    public const int Partitions = 256;

    // Each partition grows by fixed blocks: no copying, and at most one part-filled block each. At
    // 24 bytes an entry a block (96 KB) is on the large-object heap, which the GC does not copy.
    // Blocks of 16,384 entries left 2 × 256 part-filled blocks of 384 KB on 10 M rows: 410 MB
    // allocated for 240 MB of entries; blocks of 4,096 brought the read down to 259 MB.
    private const int BlockSize = 4_096;
    private readonly List<Entry[]>[] _blocks = new List<Entry[]>[Partitions];
    private readonly int[] _lastCount = new int[Partitions];
    private readonly Entry[]?[] _current = new Entry[Partitions][];

    /// <summary>The XxHash128 digest of an id's UTF-8 bytes, as two halves (reading them out of a <see cref="UInt128"/> with its operators costs two calls a row).</summary>
    public static IdDigest Digest(ReadOnlySpan<byte> id)
    {
        var hash = XxHash128.HashToUInt128(id);
        var halves = MemoryMarshal.Cast<UInt128, ulong>(new ReadOnlySpan<UInt128>(in hash));
        return new IdDigest(halves[0], halves[1]);
    }

    /// <summary>The digest of an id read as text: the same as of its UTF-8 bytes.</summary>
    public static IdDigest Digest(ReadOnlySpan<char> id)
    {
        const int StackLimit = 256;
        var bytes = id.Length <= StackLimit / 3 ? stackalloc byte[StackLimit] : new byte[Encoding.UTF8.GetMaxByteCount(id.Length)];
        return Digest(bytes[..Encoding.UTF8.GetBytes(id, bytes)]);
    }

    public void Add(IdDigest digest, long row)
    {
        var partition = (int)(digest.High >> 56);
        ref var count = ref _lastCount[partition];
        var block = _current[partition];
        if (block is null || count == BlockSize)
        {
            block = _current[partition] = new Entry[BlockSize];
            (_blocks[partition] ??= []).Add(block);
            count = 0;
        }

        block[count++] = new Entry(digest, row);
    }

    /// <summary>
    /// Finds the duplicates among the ids of several workers, given in file order with the line
    /// number of each worker's row 0: each repeat maps its line to the line of the id's first occurrence.
    /// </summary>
    public static Dictionary<long, long> FindDuplicates(IReadOnlyList<(IdLog Log, long FirstLine)> logs)
    {
        var found = new List<(long Line, long First)>[Partitions];
        var largest = Enumerable.Range(0, Partitions).Max(p => logs.Sum(l => l.Log.Count(p)));
        Parallel.For(
            0,
            Partitions,
            () => new DigestTable(largest),
            (partition, _, table) =>
            {
                table.Clear();
                List<(long Line, long First)>? duplicates = null;
                foreach (var (log, firstLine) in logs)
                {
                    foreach (var block in log.Blocks(partition))
                    {
                        foreach (var entry in block.AsSpan())
                        {
                            var line = firstLine + entry.Row;
                            var first = table.AddOrGetFirst(entry.Digest, line);
                            if (first != line)
                            {
                                (duplicates ??= []).Add((line, first));
                            }
                        }
                    }
                }

                found[partition] = duplicates ?? [];
                return table;
            },
            _ => { });

        return found.SelectMany(d => d).ToDictionary(p => p.Line, p => p.First);
    }

    private List<ArraySegment<Entry>> Blocks(int partition)
    {
        var blocks = _blocks[partition] ?? [];
        return [.. blocks.Select((b, i) => new ArraySegment<Entry>(b, 0, i + 1 < blocks.Count ? BlockSize : _lastCount[partition]))];
    }

    private int Count(int partition) =>
        _blocks[partition] is { Count: > 0 } blocks ? ((blocks.Count - 1) * BlockSize) + _lastCount[partition] : 0;

    /// <summary>
    /// Open addressing over digests, at most half full: one partition's ids fit in cache, and a probe
    /// reads one 24-byte slot. The digest's low half, already uniform, picks the slot. A slot holds
    /// its line stamped with the partition it belongs to, so that moving to the next partition
    /// empties the table without clearing it (on 10 M ids, clearing meant 256 memsets of 3 MB).
    /// </summary>
    private sealed class DigestTable(int largestCount)
    {
        private const int StampShift = 48; // lines stay below 2^48
        private const long LineMask = (1L << StampShift) - 1;
        private readonly Slot[] _slots = new Slot[(int)BitOperations.RoundUpToPowerOf2((uint)Math.Max(16, largestCount * 2))];
        private long _stamp;

        /// <summary>Empties the table for the next partition.</summary>
        public void Clear() => _stamp += 1L << StampShift;

        /// <summary>Adds the digest with its line, or returns the line it was first added with.</summary>
        public long AddOrGetFirst(IdDigest digest, long line)
        {
            var slots = _slots;
            var mask = slots.Length - 1;
            var stamp = _stamp;
            for (var i = (int)(digest.Low & (ulong)mask); ; i = (i + 1) & mask)
            {
                ref var slot = ref slots[i];
                if ((slot.StampedLine & ~LineMask) != stamp)
                {
                    slot = new Slot(digest, stamp | line);
                    return line;
                }

                if (slot.Digest == digest)
                {
                    return slot.StampedLine & LineMask;
                }
            }
        }

        private readonly record struct Slot(IdDigest Digest, long StampedLine);
    }

    /// <summary>A 128-bit id digest; which half is which does not matter, as long as it is the same in a run.</summary>
    internal readonly record struct IdDigest(ulong Low, ulong High);

    [StructLayout(LayoutKind.Sequential, Pack = 4)]
    internal readonly record struct Entry(IdDigest Digest, long Row);
}
