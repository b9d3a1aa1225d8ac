using System.Numerics;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics.X86;

#if ASRBILLING_PARQUET
// Linked into the Parquet package, whose copy of HugePages is in its own namespace.
using HugePages = AsrBilling.Parquet.HugePages;
#endif

namespace AsrBilling.Csv;

/// <summary>
/// The ids seen so far and the row (or line) of each one's first occurrence, in one open-addressing table
/// of 16-byte slots sized once from the expected count: a dictionary of digests cost 8 s and 700 MB
/// on 10 M ids, mostly in growing and in its 32-byte entries. Used by the readers' single pass.
/// </summary>
/// <remarks>
/// An id is known by 88 bits of the XxHash128 digest of its UTF-8 bytes: 64 in the slot's key and 24
/// beside the 40-bit row number. Two different ids share them with probability about n² / 2⁸⁹
/// (2·10⁻¹³ for 10 million ids). The table is on huge pages, and a reader digests ids a few rows
/// ahead (<see cref="IdLog.Digest(ReadOnlySpan{byte})"/>, <see cref="Prefetch"/>): each add is a random access to hundreds of MB.
/// </remarks>
internal sealed unsafe class IdTable : IDisposable
{
    private const int RowBits = 40;
    private const long RowMask = (1L << RowBits) - 1;

    // Key and value side by side: one cache miss per probe, not two. Native and zeroed by the system as
    // each page is first touched, during the read, rather than cleared up front (0.75 s for 256 MB).
    private Slot* _slots;
    private int _length;
    private int _count;

    public IdTable(long expectedIds)
    {
        var capacity = (int)Math.Min(1L << 30, BitOperations.RoundUpToPowerOf2((ulong)Math.Max(16, expectedIds + (expectedIds >> 1))));
        _slots = Allocate(capacity);
        _length = capacity;
    }

    /// <summary>Gives the slots back if <see cref="Dispose"/> was not called (a read stopped by an exception).</summary>
    ~IdTable() => Free();

    /// <summary>Gives the slots back.</summary>
    public void Dispose()
    {
        Free();
        GC.SuppressFinalize(this);
    }

    /// <summary>Asks for the memory of a digest's first slot ahead of its <see cref="Add"/>.</summary>
    public void Prefetch(IdLog.IdDigest digest)
    {
        if (Sse.IsSupported)
        {
            Sse.Prefetch0(_slots + Home(KeyOf(digest), _length - 1));
        }
    }

    /// <summary>Records an id, by its <see cref="IdLog.Digest(ReadOnlySpan{byte})"/>, at a row; returns 0 when it is new, else the row of its first occurrence.</summary>
    public long Add(IdLog.IdDigest digest, long row)
    {
        var key = KeyOf(digest);
        var check = digest.High & 0xFF_FFFF;
        if (_count >= _length - (_length >> 2))
        {
            Grow();
        }

        ref var slot = ref Probe(key, check);
        if (slot.Key != 0)
        {
            return (long)(slot.Value & RowMask);
        }

        slot = new Slot(key, (check << RowBits) | (ulong)row);
        _count++;
        return 0;
    }

    /// <summary>The row of a recorded id's first occurrence, by its digest; 0 when it was not recorded.</summary>
    public long FirstRow(IdLog.IdDigest digest)
    {
        ref var slot = ref Probe(KeyOf(digest), digest.High & 0xFF_FFFF);
        return slot.Key == 0 ? 0 : (long)(slot.Value & RowMask);
    }

    /// <summary>The slot that holds an id's key and check bits, or the empty slot where it would go.</summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    private ref Slot Probe(ulong key, ulong check)
    {
        var slots = _slots;
        var mask = _length - 1;
        for (var i = Home(key, mask); ; i = (i + 1) & mask)
        {
            ref var slot = ref slots[i];
            if (slot.Key == 0 || (slot.Key == key && slot.Value >> RowBits == check))
            {
                return ref slot;
            }
        }
    }

    private void Free()
    {
        if (_slots is not null)
        {
            NativeMemory.Free(_slots);
            _slots = null;
        }
    }

    private void Grow()
    {
        var old = _slots;
        var oldLength = _length;
        _slots = Allocate(oldLength * 2);
        _length = oldLength * 2;
        var mask = _length - 1;
        for (var o = 0; o < oldLength; o++)
        {
            var entry = old[o];
            if (entry.Key == 0)
            {
                continue;
            }

            var i = Home(entry.Key, mask);
            while (_slots[i].Key != 0)
            {
                i = (i + 1) & mask;
            }

            _slots[i] = entry;
        }

        NativeMemory.Free(old);
    }

    /// <summary>Zeroed slots: a large calloc is fresh pages of the system, zero until written; advised to be huge pages.</summary>
    private static Slot* Allocate(int length)
    {
        var bytes = (nuint)length * (nuint)sizeof(Slot);
        var slots = (Slot*)NativeMemory.AllocZeroed(bytes);
        HugePages.Advise(slots, bytes);
        return slots;
    }

    /// <summary>A digest's slot key: its low 64 bits, never 0 (which marks an empty slot).</summary>
    private static ulong KeyOf(IdLog.IdDigest digest) => digest.Low | 1;

    /// <summary>The slot a key's probe starts at.</summary>
    private static int Home(ulong key, int mask) => (int)(key >> 34) & mask;

    /// <summary>64 bits of an id's digest (never 0), and the other 24 beside its first row.</summary>
    private readonly record struct Slot(ulong Key, ulong Value);
}
