using AsrBilling.Bulk;
using System.Buffers.Binary;
using System.IO.Hashing;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics.X86;
#if ASRBILLING_PARQUET
// Linked into the Parquet package, whose copy of HugePages is in its own namespace.
using HugePages = AsrBilling.Parquet.HugePages;
#endif

namespace AsrBilling.Csv;

/// <summary>
/// The aggregator's key of each distinct byte string a worker meets (an account, or a tag): an open-addressing table whose
/// slots hold texts of up to 15 bytes themselves and longer ones in one byte arena, so a row's lookup compares its bytes in
/// place, and only a text met for the first time is resolved, once.
/// </summary>
/// <remarks>
/// The lookup cost does not grow with the number of distinct texts, as a direct-mapped cache's misses
/// did once accounts outnumbered its slots. Accounts and tags have a table each, so nothing is kept per
/// (account, tag) pair. A batch of rows hashes every text first and asks for its slot's memory
/// (<see cref="Prepare"/>), then looks them up, so that their cache misses overlap; a short text, held in its
/// slot, costs no second miss into the arena.
/// </remarks>
internal sealed class KeyTable(KeyTable.Resolver resolve)
{
    /// <summary>The longest text a slot holds itself.</summary>
    public const int InSlot = 15;

    // A slot's High word for a text in the arena, with the arena offset in its low 32 bits; a text in the slot has its length + 1 in the top byte.
    private const ulong InArena = 0xFFUL << 56;

    // Set in the hash of a text in the arena, so that PrefetchText skips texts held in their slots without reading the slot.
    private const ulong ArenaHash = 1UL << 63;

    private Entry[] _entries = new Entry[1 << 10];
    private byte[] _arena = new byte[1 << 14];
    private int _arenaUsed;
    private int _count;

    /// <summary>The key of a text met for the first time, from its trimmed UTF-8 bytes (empty for none).</summary>
    public delegate UsageKey Resolver(ReadOnlySpan<byte> text);

    /// <summary>A table of a reader's accounts, each resolved as a string (an empty one is the default account).</summary>
    public static KeyTable Accounts(UsageAggregator aggregator) =>
        new(account => aggregator.GetKey(account.IsEmpty ? null : System.Text.Encoding.UTF8.GetString(account), null));

    /// <summary>A table of a reader's tags, each made a tag id from its bytes (<see cref="UsageAggregatorBulk.NewTagKey"/>).</summary>
    public static KeyTable Tags(UsageAggregator aggregator) => new(aggregator.NewTagKey);

    /// <summary>How many distinct texts there are.</summary>
    public int Count => _count;

    /// <summary>The hash of a trimmed UTF-8 text; asks for the memory of its first slot.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public ulong Prepare(ReadOnlySpan<byte> text)
    {
        ulong hash;
        if (IsShort(text))
        {
            var (low, high) = Pack(text);
            hash = Mix(low, high);
        }
        else
        {
            hash = XxHash3.HashToUInt64(text) | ArenaHash;
        }

        Prefetch(ref _entries[unchecked((int)hash) & (_entries.Length - 1)]);
        return hash;
    }

    /// <summary>
    /// Asks for the arena bytes of a long text in a hash's first slot, once <see cref="Prepare"/>'s request for the
    /// slot has had time to arrive: <see cref="Get"/> compares them, and with many texts they are a second cache miss.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void PrefetchText(ulong hash)
    {
        if ((hash & ArenaHash) == 0)
        {
            return;
        }

        ref var entry = ref _entries[unchecked((int)hash) & (_entries.Length - 1)];
        if ((entry.High & InArena) == InArena)
        {
            Prefetch(ref _arena[unchecked((int)(uint)entry.High)]);
        }
    }

    /// <summary>The key of a trimmed UTF-8 text (empty for none), given <see cref="Prepare"/>'s hash.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public UsageKey Get(ulong hash, ReadOnlySpan<byte> text)
    {
        ref var entry = ref Probe(hash, text);
        return entry.High == 0 ? Add(ref entry, hash, text) : entry.Key;
    }

    /// <summary>The key of a trimmed UTF-8 text met before, given <see cref="Prepare"/>'s hash; false for a new text, which it does not add.</summary>
    public bool TryFind(ulong hash, ReadOnlySpan<byte> text, out UsageKey key)
    {
        ref var entry = ref Probe(hash, text);
        key = entry.Key;
        return entry.High != 0;
    }

    /// <summary>Whether a text is held in its slot: packing reads words little-endian, so elsewhere every text goes to the arena.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool IsShort(ReadOnlySpan<byte> text) => BitConverter.IsLittleEndian && text.Length <= InSlot;

    /// <summary>
    /// A text of up to <see cref="InSlot"/> bytes as two words: its bytes in order from the low byte of the first,
    /// then 0, and its length + 1 in the top byte of the second. Read in place, in words that may overlap.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static (ulong Low, ulong High) Pack(ReadOnlySpan<byte> text)
    {
        ref var b = ref MemoryMarshal.GetReference(text);
        var n = text.Length;
        ulong low, high = 0;
        if (n >= 8)
        {
            low = Unsafe.ReadUnaligned<ulong>(ref b);

            // Bytes 8 to n - 1: the last eight, less those low holds.
            high = n == 8 ? 0 : Unsafe.ReadUnaligned<ulong>(ref Unsafe.Add(ref b, n - 8)) >> (8 * (16 - n));
        }
        else if (n >= 4)
        {
            low = Unsafe.ReadUnaligned<uint>(ref b) | (((ulong)Unsafe.ReadUnaligned<uint>(ref Unsafe.Add(ref b, n - 4)) >> (8 * (8 - n))) << 32);
        }
        else
        {
            // One to three bytes: the first, the middle and the last, each at its place (some of them the same byte).
            low = n == 0 ? 0 : b | ((ulong)Unsafe.Add(ref b, n >> 1) << (8 * (n >> 1))) | ((ulong)Unsafe.Add(ref b, n - 1) << (8 * (n - 1)));
        }

        return (low, high | ((ulong)(n + 1) << 56));
    }

    /// <summary>A short text's hash from its two words, without <see cref="ArenaHash"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong Mix(ulong low, ulong high)
    {
        var h = unchecked((low * 0x9E3779B97F4A7C15UL) ^ (high * 0xC2B2AE3D27D4EB4FUL));
        h ^= h >> 32;
        h = unchecked(h * 0x165667B19E3779F9UL);
        return (h ^ (h >> 29)) & ~ArenaHash;
    }

    /// <summary>The slot that holds a text, or the empty slot where it would go.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private ref Entry Probe(ulong hash, ReadOnlySpan<byte> text)
    {
        var mask = _entries.Length - 1;
        if (IsShort(text))
        {
            var (low, high) = Pack(text);
            for (var i = unchecked((int)hash) & mask; ; i = (i + 1) & mask)
            {
                ref var entry = ref _entries[i];
                if (entry.High == 0 || (entry.High == high && entry.Low == low))
                {
                    return ref entry;
                }
            }
        }

        for (var i = unchecked((int)hash) & mask; ; i = (i + 1) & mask)
        {
            ref var entry = ref _entries[i];
            if (entry.High == 0 || (entry.Low == hash && (entry.High & InArena) == InArena && FieldParsers.SameBytes(text, ArenaText(entry.High))))
            {
                return ref entry;
            }
        }
    }

    /// <summary>The bytes of a text in the arena: its length (4 bytes) then its bytes, at the offset in a slot's High word.</summary>
    private ReadOnlySpan<byte> ArenaText(ulong high)
    {
        var offset = unchecked((int)(uint)high);
        return _arena.AsSpan(offset + sizeof(int), BinaryPrimitives.ReadInt32LittleEndian(_arena.AsSpan(offset)));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe void Prefetch<T>(ref T at)
    {
        if (Sse.IsSupported)
        {
            Sse.Prefetch0(Unsafe.AsPointer(ref at));
        }
    }

    private UsageKey Add(ref Entry entry, ulong hash, ReadOnlySpan<byte> text)
    {
        var needed = (long)_arenaUsed + sizeof(int) + text.Length;
        if (!IsShort(text) && needed > Array.MaxLength)
        {
            // Checked before the text is resolved, so that nothing is made for a text the table cannot hold.
            throw new InvalidOperationException("One reading worker holds at most 2 GB of distinct accounts or tags longer than 15 bytes.");
        }

        var resolved = resolve(text);
        if (IsShort(text))
        {
            var (low, high) = Pack(text);
            entry = new Entry(low, high, resolved);
        }
        else
        {
            if (needed > _arena.Length)
            {
                Array.Resize(ref _arena, (int)Math.Min(Array.MaxLength, Math.Max(2L * _arena.Length, needed)));
            }

            BinaryPrimitives.WriteInt32LittleEndian(_arena.AsSpan(_arenaUsed), text.Length);
            text.CopyTo(_arena.AsSpan(_arenaUsed + sizeof(int)));
            entry = new Entry(hash, InArena | (uint)_arenaUsed, resolved);
            _arenaUsed = (int)needed;
        }

        if (++_count * 2 > _entries.Length)
        {
            Grow();
        }

        return resolved;
    }

    // Fully optimized at its first call: run a few times per read, its loop would stay in precompiled code.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void Grow()
    {
        var old = _entries;
        _entries = HugePages.NewArray<Entry>(old.Length * 2);
        var mask = _entries.Length - 1;
        foreach (var entry in old)
        {
            if (entry.High == 0)
            {
                continue;
            }

            var hash = (entry.High & InArena) == InArena ? entry.Low : Mix(entry.Low, entry.High);
            var i = unchecked((int)hash) & mask;
            while (_entries[i].High != 0)
            {
                i = (i + 1) & mask;
            }

            _entries[i] = entry;
        }
    }

    /// <summary>
    /// A slot: a text of up to <see cref="InSlot"/> bytes as <see cref="Pack"/> gives it, or a longer text's hash and
    /// <see cref="InArena"/> with its arena offset; and the text's key. High is never 0 but in an empty slot.
    /// </summary>
    private readonly record struct Entry(ulong Low, ulong High, UsageKey Key);
}
