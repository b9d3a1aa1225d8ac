using System.Runtime.CompilerServices;
using AsrBilling.Bulk;
using AsrBilling.Csv;

namespace AsrBilling.Parquet;

/// <summary>
/// The aggregator's key of each distinct account and tag text. A dictionary-encoded column gives every
/// row of one value the same dictionary index (or, read by Parquet.Net, the same characters in memory), so
/// keys are first looked up by that (<see cref="HeldTexts{T}"/>), without reading the text; then by its
/// characters, without a string per row (on .NET 9 and later).
/// </summary>
internal sealed class KeyCache
{
    private readonly Dictionary<string, UsageKey> _accounts = new(StringComparer.Ordinal);
    private readonly Dictionary<string, UsageKey> _tags = new(StringComparer.Ordinal);
    private readonly HeldTexts<UsageKey> _accountsHeld;
    private readonly KeyTable _accountTable;
    private ulong[] _accountHashes = [];
    private readonly HeldTexts<UsageKey?> _tagsHeld;

    // Made once: a lambda or method group passed per row would allocate a delegate per row.
    private readonly FindText<UsageKey> _account;
    private readonly FindText<UsageKey?> _tag;

    public KeyCache(UsageAggregator aggregator)
    {
        Func<string, UsageKey> accountKey = text => aggregator.GetKey(text.Length == 0 ? null : text, null);
        Func<string, UsageKey> tagKey = aggregator.GetTagKey;
        _account = text => Find(_accounts, text, accountKey);
        _tag = text => text.IsEmpty ? null : Find(_tags, text, tagKey);

        // A dictionary's texts are looked up again in each row group, and texts written in place on every row: by their bytes, in the CSV reader's table.
        var tagTable = new KeyTable(name => aggregator.GetTagKey(name!));
        _accountTable = new KeyTable(name => aggregator.GetKey(name, null));
        _accountsHeld = new HeldTexts<UsageKey>(bytes => _accountTable.Get(_accountTable.Prepare(bytes), bytes));
        _tagsHeld = new HeldTexts<UsageKey?>(bytes => bytes.IsEmpty ? null : tagTable.Get(tagTable.Prepare(bytes), bytes));
    }

    /// <summary>Rows ahead whose account's slot is asked for (<see cref="Ahead"/>), so that the cache misses of a large table overlap.</summary>
    public const int AccountsAhead = 16;

    /// <summary>Forgets where texts were held: a new row group's values are held elsewhere. Asks for the first rows' account slots.</summary>
    public void NewGroup(TextColumn? account, int rows)
    {
        _accountsHeld.NewGroup();
        _tagsHeld.NewGroup();
        if (account is { IsDecoded: true })
        {
            if (_accountHashes.Length < rows)
            {
                _accountHashes = new ulong[rows];
            }

            for (var row = 0; row < Math.Min(AccountsAhead, rows); row++)
            {
                Ahead(account, row);
            }
        }
    }

    /// <summary>Hashes a row's account written in place, and asks for its slot's memory, some rows before <see cref="KeyOf"/> needs it.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Ahead(TextColumn? account, int row)
    {
        if (account is { IsDecoded: true } && account.Code(row) < 0)
        {
            _accountHashes[row] = _accountTable.Prepare(FieldParsers.Trim(account.Utf8(row)));
        }
    }

    /// <summary>The key of a row's account and tag (trimmed); an empty account is the default one, an empty tag none.</summary>
    public UsageKey KeyOf(TextColumn? account, TextColumn? tag, int row, bool withTag)
    {
        var key = account is { IsDecoded: true } && account.Code(row) < 0
            ? _accountTable.Get(_accountHashes[row], FieldParsers.Trim(account.Utf8(row)))
            : _accountsHeld.Find(account, row, _account);
        return withTag && _tagsHeld.Find(tag, row, _tag) is { } tagKey ? key.WithTag(tagKey) : key;
    }

    private static UsageKey Find(Dictionary<string, UsageKey> keys, ReadOnlySpan<char> text, Func<string, UsageKey> create)
    {
#if NET9_0_OR_GREATER
        if (keys.GetAlternateLookup<ReadOnlySpan<char>>().TryGetValue(text, out var known))
        {
            return known;
        }
#else
        if (keys.TryGetValue(text.ToString(), out var known))
        {
            return known;
        }
#endif
        var name = text.ToString();
        return keys[name] = create(name);
    }
}

/// <summary>
/// What was found for each text a row group's column holds: by dictionary index in a column this package
/// decoded (<see cref="TextChunk"/>); else by where the text is held, for Parquet.Net decodes each value of
/// a dictionary page into an array of its own and gives every row of that value the same array. A
/// direct-mapped table keyed by the array's identity answers most rows without reading the text.
/// </summary>
/// <remarks>
/// When the first few thousand lookups of a group all miss, the column is not dictionary-encoded (each row's
/// text is held apart), and the cache stands aside for the rest of the group. A dictionary of even a million
/// values repeats one within that many rows.
/// </remarks>
/// <param name="byUtf8">What a dictionary's text stands for, from its bytes (trimmed); without it, from its characters.</param>
internal sealed class HeldTexts<T>(FindUtf8<T>? byUtf8 = null)
{
    private const int MissesBeforeJudging = 4096;
    private const int MaxSlots = 1 << 20;

    // What was found for each dictionary index of a column this package decoded, valid where stamped with the group.
    private T[] _byCode = [];
    private int[] _stamps = [];
    private int _group = 1;

    // Four slots or more per text kept, so that two texts seldom share one.
    private Entry[] _slots = new Entry[1024];
    private int _kept;
    private int _lookups;
    private int _misses;

    private bool StandsAside => _misses >= MissesBeforeJudging && _misses == _lookups;

    /// <summary>Forgets what was kept and the counts: a new row group's values are held elsewhere.</summary>
    public void NewGroup()
    {
        _group++;
        if (_kept > 0)
        {
            Array.Clear(_slots);
        }

        (_kept, _lookups, _misses) = (0, 0, 0);
    }

    /// <summary>What <paramref name="find"/> gives for a row's text, trimmed (empty where there is no column), asked once per text held.</summary>
    public T Find(TextColumn? column, int row, FindText<T> find)
    {
        if (column is not null && column.Code(row) is var code and >= 0)
        {
            return ByCode(column, row, code, find);
        }

        if (byUtf8 is not null && column is { IsDecoded: true })
        {
            // A text written in place, or a null: looked up by its bytes, as the CSV reader does a field's.
            return byUtf8(FieldParsers.Trim(column.Utf8(row)));
        }

        var source = column is null ? default : column.SourceOf(row);
        if (TryGet(source, out var known))
        {
            return known;
        }

        var value = find(column is null ? default : FieldParsers.Trim(column.Text(row)));
        Set(source, value);
        return value;
    }

    private T ByCode(TextColumn column, int row, int code, FindText<T> find)
    {
        // A stamp of this row group answers; only a miss may grow the arrays.
        if ((uint)code < (uint)_stamps.Length && _stamps[code] == _group)
        {
            return _byCode[code];
        }

        if (_stamps.Length < column.DictionarySize)
        {
            (_byCode, _stamps) = (new T[column.DictionarySize], new int[column.DictionarySize]);
        }

        var value = byUtf8 is null ? find(FieldParsers.Trim(column.Text(row))) : byUtf8(FieldParsers.Trim(column.DictionaryUtf8(code)));
        (_byCode[code], _stamps[code]) = (value, _group);
        return _byCode[code];
    }

    /// <summary>What was kept for the text held at this place; false when nothing was, or the place cannot be kept.</summary>
    private bool TryGet(TextSource source, out T value)
    {
        if (source.Holder is null || StandsAside)
        {
            value = default!;
            return false;
        }

        _lookups++;
        ref var slot = ref _slots[SlotOf(source.Holder)];
        if (ReferenceEquals(slot.Holder, source.Holder) && slot.Start == source.Start && slot.Length == source.Length)
        {
            value = slot.Value;
            return true;
        }

        _misses++;
        value = default!;
        return false;
    }

    /// <summary>Keeps what was found for the text held at this place, in place of a text that shared its slot.</summary>
    private void Set(TextSource source, T value)
    {
        if (source.Holder is null || StandsAside)
        {
            return;
        }

        if (++_kept > _slots.Length / 4 && _slots.Length < MaxSlots)
        {
            // A larger table starts empty: the texts kept so far are found again on their next row.
            (_slots, _kept) = (new Entry[_slots.Length * 4], 1);
        }

        _slots[SlotOf(source.Holder)] = new Entry(source.Holder, source.Start, source.Length, value);
    }

    private int SlotOf(object holder) => RuntimeHelpers.GetHashCode(holder) & (_slots.Length - 1);

    private readonly record struct Entry(object? Holder, int Start, int Length, T Value);
}

/// <summary>What a text (trimmed) stands for, worked out from its characters.</summary>
internal delegate T FindText<T>(ReadOnlySpan<char> text);

/// <summary>What a text (trimmed) stands for, worked out from its UTF-8 bytes.</summary>
internal delegate T FindUtf8<T>(ReadOnlySpan<byte> text);

/// <summary>Where a text is held: the array or string, and the place in it.</summary>
internal readonly record struct TextSource(object? Holder, int Start, int Length);
