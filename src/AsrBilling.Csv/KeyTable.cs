using AsrBilling.Bulk;
using System.IO.Hashing;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics.X86;

namespace AsrBilling.Csv;

/// <summary>
/// The aggregator's key of each distinct byte string a worker meets (an account, or a tag): an open-addressing table whose keys live in one byte arena, so a row's lookup hashes its
/// bytes and compares them in place, and only a text met for the first time is resolved, once.
/// </summary>
/// <remarks>
/// The lookup cost does not grow with the number of distinct texts, as a direct-mapped cache's misses
/// did once accounts outnumbered its slots. Accounts and tags have a table each, so nothing is kept per
/// (account, tag) pair. A batch of rows hashes every text first and asks for its slot's memory
/// (<see cref="Prepare"/>), then looks them up, so that their cache misses overlap.
/// </remarks>
internal sealed class KeyTable(KeyTable.Resolver resolve)
{
    /// <summary>The key of a text met for the first time, from its trimmed UTF-8 bytes (empty for none).</summary>
    public delegate UsageKey Resolver(ReadOnlySpan<byte> text);

    private Entry[] _entries = new Entry[1 << 10];
    private byte[] _arena = new byte[1 << 14];
    private int _arenaUsed;
    private int _count;

    /// <summary>How many distinct texts there are.</summary>
    public int Count => _count;

    /// <summary>The hash of a trimmed UTF-8 text; asks for the memory of its first slot.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public ulong Prepare(ReadOnlySpan<byte> text)
    {
        var hash = XxHash3.HashToUInt64(text);
        Prefetch(ref _entries[unchecked((int)hash) & (_entries.Length - 1)]);
        return hash;
    }

    /// <summary>
    /// Asks for the arena bytes of the text in a hash's first slot, once <see cref="Prepare"/>'s request for the
    /// slot has had time to arrive: <see cref="Get"/> compares them, and with many texts they are a second cache miss.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void PrefetchText(ulong hash)
    {
        ref var entry = ref _entries[unchecked((int)hash) & (_entries.Length - 1)];
        if (entry.Length > 1)
        {
            Prefetch(ref _arena[entry.Offset]);
        }
    }

    /// <summary>The key of a trimmed UTF-8 text (empty for none), given <see cref="Prepare"/>'s hash.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public UsageKey Get(ulong hash, ReadOnlySpan<byte> text)
    {
        ref var entry = ref Probe(hash, text);
        return entry.Length == 0 ? Add(ref entry, hash, text) : entry.Key;
    }

    /// <summary>The key of a trimmed UTF-8 text met before, given <see cref="Prepare"/>'s hash; false for a new text, which it does not add.</summary>
    public bool TryFind(ulong hash, ReadOnlySpan<byte> text, out UsageKey key)
    {
        ref var entry = ref Probe(hash, text);
        key = entry.Key;
        return entry.Length != 0;
    }

    /// <summary>The slot that holds a text, or the empty slot where it would go.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private ref Entry Probe(ulong hash, ReadOnlySpan<byte> text)
    {
        var mask = _entries.Length - 1;
        for (var i = unchecked((int)hash) & mask; ; i = (i + 1) & mask)
        {
            ref var entry = ref _entries[i];
            if (entry.Length == 0 || (entry.Hash == hash && FieldParsers.SameBytes(text, _arena.AsSpan(entry.Offset, entry.Length - 1))))
            {
                return ref entry;
            }
        }
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
        var resolved = resolve(text);
        if (_arenaUsed + text.Length > _arena.Length)
        {
            Array.Resize(ref _arena, Math.Max(_arena.Length * 2, _arenaUsed + text.Length));
        }

        text.CopyTo(_arena.AsSpan(_arenaUsed));
        entry = new Entry(hash, _arenaUsed, text.Length + 1, resolved);
        _arenaUsed += text.Length;
        if (++_count * 2 > _entries.Length)
        {
            Grow();
        }

        return resolved;
    }

    private void Grow()
    {
        var old = _entries;
        _entries = new Entry[old.Length * 2];
        var mask = _entries.Length - 1;
        foreach (var entry in old)
        {
            if (entry.Length == 0)
            {
                continue;
            }

            var i = unchecked((int)entry.Hash) & mask;
            while (_entries[i].Length != 0)
            {
                i = (i + 1) & mask;
            }

            _entries[i] = entry;
        }
    }

    /// <summary>A text's hash, its bytes in the arena, and its key; Length is the byte count + 1, so 0 marks an empty slot.</summary>
    private readonly record struct Entry(ulong Hash, int Offset, int Length, UsageKey Key);
}
