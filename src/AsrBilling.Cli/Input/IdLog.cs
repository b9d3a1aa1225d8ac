using System.IO.Hashing;
using System.Numerics;
using System.Runtime.InteropServices;

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

    /// <summary>An entry's row is its chunk shifted left by this, or'ed with its row in the chunk.</summary>
    public const int ChunkShift = 40;

    private const long RowMask = (1L << ChunkShift) - 1;

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
        Span<byte> buffer = stackalloc byte[FieldParsers.StackBytes];
        return Digest(FieldParsers.Utf8(id, buffer));
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
    /// Finds the duplicates among the ids of several workers. An entry's row is
    /// <c>(chunk &lt;&lt; <see cref="ChunkShift"/>) | row in the chunk</c>, and <paramref name="firstLines"/>
    /// gives the line number of each chunk's row 0; the logs may hold their chunks in any order. Each
    /// repeat maps its line to the line of the id's first occurrence in the file.
    /// </summary>
    public static Dictionary<long, long> FindDuplicates(IReadOnlyList<IdLog> logs, IReadOnlyList<long> firstLines)
    {
        var found = new List<(long Line, long First)>[Partitions];
        var largest = Enumerable.Range(0, Partitions).Max(p => logs.Sum(l => l.Count(p)));
        Parallel.For(
            0,
            Partitions,
            () => new DigestTable(largest),
            (partition, _, table) =>
            {
                found[partition] = FindDuplicates(logs, firstLines, partition, table);
                return table;
            },
            _ => { });

        return found.SelectMany(d => d).ToDictionary(p => p.Line, p => p.First);
    }

    private static List<(long Line, long First)> FindDuplicates(IReadOnlyList<IdLog> logs, IReadOnlyList<long> firstLines, int partition, DigestTable table)
    {
        table.Clear();
        List<(long Line, int Slot)>? repeats = null;
        foreach (var log in logs)
        {
            foreach (var block in log.Blocks(partition))
            {
                foreach (var entry in block.AsSpan())
                {
                    var line = firstLines[(int)(entry.Row >> ChunkShift)] + (entry.Row & RowMask);
                    if (table.AddOrKeepFirst(entry.Digest, line, out var slot) is { } repeat)
                    {
                        (repeats ??= []).Add((repeat, slot));
                    }
                }
            }
        }

        // Read now, when every occurrence is in: the first is the smallest line, whatever the order.
        return repeats is null ? [] : [.. repeats.Select(r => (r.Line, table.LineAt(r.Slot)))];
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

        /// <summary>
        /// Adds the digest with its line and returns null; or, when the digest is in already, keeps the
        /// smaller of the two lines and returns the other: a repeat. Either way, <paramref name="slot"/>
        /// is where the digest is.
        /// </summary>
        public long? AddOrKeepFirst(IdDigest digest, long line, out int slot)
        {
            var slots = _slots;
            var mask = slots.Length - 1;
            var stamp = _stamp;
            for (slot = (int)(digest.Low & (ulong)mask); ; slot = (slot + 1) & mask)
            {
                ref var entry = ref slots[slot];
                if ((entry.StampedLine & ~LineMask) != stamp)
                {
                    entry = new Slot(digest, stamp | line);
                    return null;
                }

                if (entry.Digest == digest)
                {
                    var first = entry.StampedLine & LineMask;
                    if (line < first)
                    {
                        entry = entry with { StampedLine = stamp | line };
                        return first;
                    }

                    return line;
                }
            }
        }

        /// <summary>The line held at a slot.</summary>
        public long LineAt(int slot) => _slots[slot].StampedLine & LineMask;

        private readonly record struct Slot(IdDigest Digest, long StampedLine);
    }

    /// <summary>A 128-bit id digest; which half is which does not matter, as long as it is the same in a run.</summary>
    internal readonly record struct IdDigest(ulong Low, ulong High);

    [StructLayout(LayoutKind.Sequential, Pack = 4)]
    internal readonly record struct Entry(IdDigest Digest, long Row);
}
