using System.IO.Hashing;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics.X86;
using AsrBilling.Bulk;

namespace AsrBilling.Csv;

/// <summary>
/// The aggregator's key of each distinct (account, tag) byte string a worker meets: an open-addressing
/// table whose keys live in one byte arena, so a row's lookup hashes its bytes and compares them in
/// place, and only a key met for the first time allocates (its strings, once).
/// </summary>
/// <remarks>
/// The lookup cost does not grow with the number of distinct keys, as a direct-mapped cache's misses
/// did once accounts outnumbered its slots. A key is the account's bytes, then 0xFF (never in UTF-8)
/// and the tag's bytes when tags are kept. A batch of rows hashes every key first and asks for its
/// slot's memory (<see cref="Prepare"/>), then looks them up, so that their cache misses overlap.
/// </remarks>
internal sealed class KeyTable(Func<string?, string?, UsageKey> resolve)
{
    private const byte Separator = 0xFF;
    private Entry[] _entries = new Entry[1 << 10];
    private byte[] _arena = new byte[1 << 14];
    private int _arenaUsed;
    private int _count;

    /// <summary>How many distinct keys there are.</summary>
    public int Count => _count;

    /// <summary>The hash of an account and, with tags, a tag, as trimmed UTF-8; asks for the memory of its first slot.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public ulong Prepare(ReadOnlySpan<byte> account, ReadOnlySpan<byte> tag, bool withTag)
    {
        var hash = withTag ? Hash(Joined(account, tag, stackalloc byte[256])) : Hash(account);
        Prefetch(ref _entries[unchecked((int)hash) & (_entries.Length - 1)]);
        return hash;
    }

    /// <summary>The key of an account and, with tags, a tag, as trimmed UTF-8, given <see cref="Prepare"/>'s hash.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public UsageKey Get(ulong hash, ReadOnlySpan<byte> account, ReadOnlySpan<byte> tag, bool withTag) =>
        withTag ? Get(hash, Joined(account, tag, stackalloc byte[256]), account, tag, withTag: true) : Get(hash, account, account, default, withTag: false);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong Hash(ReadOnlySpan<byte> key) => XxHash3.HashToUInt64(key);

    private static ReadOnlySpan<byte> Joined(ReadOnlySpan<byte> account, ReadOnlySpan<byte> tag, Span<byte> buffer)
    {
        var length = account.Length + 1 + tag.Length;
        var joined = length <= buffer.Length ? buffer : new byte[length];
        account.CopyTo(joined);
        joined[account.Length] = Separator;
        tag.CopyTo(joined[(account.Length + 1)..]);
        return joined[..length];
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe void Prefetch(ref Entry entry)
    {
        if (Sse.IsSupported)
        {
            Sse.Prefetch0(Unsafe.AsPointer(ref entry));
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private UsageKey Get(ulong hash, ReadOnlySpan<byte> key, ReadOnlySpan<byte> account, ReadOnlySpan<byte> tag, bool withTag)
    {
        var mask = _entries.Length - 1;
        for (var i = unchecked((int)hash) & mask; ; i = (i + 1) & mask)
        {
            ref var entry = ref _entries[i];
            if (entry.Length == 0)
            {
                return Add(ref entry, hash, key, account, tag, withTag);
            }

            if (entry.Hash == hash && FieldParsers.SameBytes(key, _arena.AsSpan(entry.Offset, entry.Length - 1)))
            {
                return entry.Key;
            }
        }
    }

    private UsageKey Add(ref Entry entry, ulong hash, ReadOnlySpan<byte> key, ReadOnlySpan<byte> account, ReadOnlySpan<byte> tag, bool withTag)
    {
        var resolved = resolve(Text(account), withTag ? Text(tag) : null);
        if (_arenaUsed + key.Length > _arena.Length)
        {
            Array.Resize(ref _arena, Math.Max(_arena.Length * 2, _arenaUsed + key.Length));
        }

        key.CopyTo(_arena.AsSpan(_arenaUsed));
        entry = new Entry(hash, _arenaUsed, key.Length + 1, resolved);
        _arenaUsed += key.Length;
        if (++_count * 2 > _entries.Length)
        {
            Grow();
        }

        return resolved;
    }

    private static string? Text(ReadOnlySpan<byte> bytes) => bytes.IsEmpty ? null : System.Text.Encoding.UTF8.GetString(bytes);

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

    /// <summary>A key's hash, its bytes in the arena, and the aggregator's key; Length is the byte count + 1, so 0 marks an empty slot.</summary>
    private readonly record struct Entry(ulong Hash, int Offset, int Length, UsageKey Key);
}
