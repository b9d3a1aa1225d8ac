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
    private readonly HeldTexts<UsageKey> _accountsHeld = new();
    private readonly HeldTexts<UsageKey?> _tagsHeld = new();

    // Made once: a lambda or method group passed per row would allocate a delegate per row.
    private readonly FindText<UsageKey> _account;
    private readonly FindText<UsageKey?> _tag;

    public KeyCache(UsageAggregator aggregator)
    {
        Func<string, UsageKey> accountKey = text => aggregator.GetKey(text.Length == 0 ? null : text, null);
        Func<string, UsageKey> tagKey = aggregator.GetTagKey;
        _account = text => Find(_accounts, text, accountKey);
        _tag = text => text.IsEmpty ? null : Find(_tags, text, tagKey);
    }

    /// <summary>Forgets where texts were held: a new row group's values are held elsewhere.</summary>
    public void NewGroup()
    {
        _accountsHeld.NewGroup();
        _tagsHeld.NewGroup();
    }

    /// <summary>The key of a row's account and tag (trimmed); an empty account is the default one, an empty tag none.</summary>
    public UsageKey KeyOf(TextColumn? account, TextColumn? tag, int row, bool withTag)
    {
        var key = _accountsHeld.Find(account, row, _account);
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
internal sealed class HeldTexts<T>
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

        (_byCode[code], _stamps[code]) = (find(FieldParsers.Trim(column.Text(row))), _group);
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

/// <summary>Where a text is held: the array or string, and the place in it.</summary>
internal readonly record struct TextSource(object? Holder, int Start, int Length);
