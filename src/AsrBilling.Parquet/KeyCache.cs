using System.Runtime.CompilerServices;
using AsrBilling.Bulk;
using AsrBilling.Csv;

namespace AsrBilling.Parquet;

/// <summary>
/// The aggregator's key of each row's account and tag (<see cref="TextKeys"/> each): looked up by their
/// UTF-8 bytes in the CSV reader's <see cref="KeyTable"/>, the slot of a text written in place asked for
/// some rows ahead, as the CSV reader does in batches.
/// </summary>
internal sealed class KeyCache(UsageAggregator aggregator)
{
    /// <summary>Rows ahead whose slots are asked for (<see cref="Ahead"/>), so that the cache misses of a large table overlap.</summary>
    public const int RowsAhead = 16;

    private readonly TextKeys _accounts = new(KeyTable.Accounts(aggregator), emptyIsNone: false);
    private readonly TextKeys _tags = new(KeyTable.Tags(aggregator), emptyIsNone: true);

    /// <summary>Starts a row group: forgets its dictionaries' keys and asks for the first rows' slots.</summary>
    public void NewGroup(TextColumn? account, TextColumn? tag, int rows)
    {
        _accounts.NewGroup(account, rows);
        _tags.NewGroup(tag, rows);
    }

    /// <summary>Asks for the slots of a row's texts written in place, some rows before <see cref="KeyOf(TextColumn?, TextColumn?, int, bool)"/> needs them.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Ahead(TextColumn? account, TextColumn? tag, int row)
    {
        _accounts.Ahead(account, row);
        _tags.Ahead(tag, row);
    }

    /// <summary>
    /// The key of a row's account and tag, as <see cref="KeyOf(TextColumn?, TextColumn?, int, bool)"/> gives it, found at once
    /// where both texts' dictionary indices (-1 for none) were looked up before in the row group.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public UsageKey KeyOf(TextColumn? account, TextColumn? tag, int row, bool withTag, int accountCode, int tagCode)
    {
        UsageKey key;
        if (_accounts.Held.TryKnown(accountCode, out var known))
        {
            key = known!.Value;
        }
        else if (_accounts.Plain)
        {
            key = _accounts.PlainKey(account!, row)!.Value;
        }
        else
        {
            return KeyOf(account, tag, row, withTag);
        }

        if (!withTag || tag is null)
        {
            return key;
        }

        if (!_tags.Held.TryKnown(tagCode, out var tagKey))
        {
            if (!_tags.Plain)
            {
                return KeyOf(account, tag, row, withTag);
            }

            tagKey = _tags.PlainKey(tag, row);
        }

        return tagKey is { } k ? key.WithTag(k) : key;
    }

    /// <summary>The key of a row's account and tag (trimmed); an empty account is the default one, an empty tag none.</summary>
    public UsageKey KeyOf(TextColumn? account, TextColumn? tag, int row, bool withTag)
    {
        var key = _accounts.KeyOf(account, row)!.Value;
        return withTag && _tags.KeyOf(tag, row) is { } tagKey ? key.WithTag(tagKey) : key;
    }

    /// <summary>
    /// The keys of one column's texts, by their UTF-8 bytes: a text written in place is looked up on its
    /// row; a dictionary's text once per row group (<see cref="HeldTexts{T}"/>); a text Parquet.Net read,
    /// encoded to UTF-8 first.
    /// </summary>
    private sealed class TextKeys
    {
        private readonly KeyTable _table;
        private readonly bool _emptyIsNone;

        // Made once: a lambda passed per row would allocate a delegate per row.
        private readonly FindText<UsageKey?> _byChars;
        private ulong[] _hashes = [];
        private ulong[] _dictionaryHashes = [];

        // Whether some row of the group has a text written in place or none: only those are looked up by their bytes.
        private bool _ahead;

        /// <summary>Whether every row of the group has a text written in place: <see cref="PlainKey"/> finds it.</summary>
        public bool Plain { get; private set; }

        public TextKeys(KeyTable table, bool emptyIsNone)
        {
            (_table, _emptyIsNone) = (table, emptyIsNone);
            Held = new HeldTexts<UsageKey?>(ByBytes);
            _byChars = text =>
            {
                Span<byte> buffer = stackalloc byte[FieldParsers.StackBytes];
                return ByBytes(FieldParsers.Utf8(text, buffer));
            };
        }

        /// <summary>The keys found by dictionary index in the row group, and by where Parquet.Net held a text.</summary>
        public HeldTexts<UsageKey?> Held { get; }

        public void NewGroup(TextColumn? column, int rows)
        {
            Held.NewGroup();
            if (column is { DictionarySize: > 0 and var size })
            {
                ResolveDictionary(column, size);
            }

            _ahead = column is { IsDecoded: true, EveryRowCoded: false };
            Plain = column is { EveryRowPlain: true };
            if (_ahead)
            {
                Arrays.GrowUninitialized(ref _hashes, rows);

                for (var row = 0; row < Math.Min(RowsAhead, rows); row++)
                {
                    Ahead(column, row);
                }
            }
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Ahead(TextColumn? column, int row)
        {
            if (Plain)
            {
                // Every row's text is in place, in order: no dictionary index to ask for.
                _hashes[row] = _table.Prepare(FieldParsers.Trim(column!.PlainUtf8(row)));
                if (row - (RowsAhead / 2) is var back and >= 0)
                {
                    _table.PrefetchText(_hashes[back]);
                }
            }
            else if (_ahead && column is not null)
            {
                if (column.Code(row) < 0)
                {
                    _hashes[row] = _table.Prepare(FieldParsers.Trim(column.Utf8(row)));
                }

                // Half way: the slot asked for then has arrived, and its text is the next miss.
                var back = row - (RowsAhead / 2);
                if (back >= 0 && column.Code(back) < 0)
                {
                    _table.PrefetchText(_hashes[back]);
                }
            }
        }

        /// <summary>
        /// Finds the keys of a row group's dictionary texts met before all at once, every slot asked for first and
        /// then every slot's text: one at a time, as rows meet them, each waited on two cache misses. A text not
        /// met before is left to the first valid row that has it, so that a rejected row's account or tag is
        /// never added.
        /// </summary>
        private void ResolveDictionary(TextColumn column, int size)
        {
            Arrays.Grow(ref _dictionaryHashes, size);
            for (var code = 0; code < size; code++)
            {
                _dictionaryHashes[code] = _table.Prepare(FieldParsers.Trim(column.DictionaryUtf8(code)));
            }

            for (var code = 0; code < size; code++)
            {
                _table.PrefetchText(_dictionaryHashes[code]);
            }

            for (var code = 0; code < size; code++)
            {
                var text = FieldParsers.Trim(column.DictionaryUtf8(code));
                if (text.IsEmpty && _emptyIsNone)
                {
                    Held.Know(code, size, null);
                }
                else if (_table.TryFind(_dictionaryHashes[code], text, out var key))
                {
                    Held.Know(code, size, key);
                }
            }
        }

        /// <summary>The key of a row's text where <see cref="Plain"/>, its slot asked for by <see cref="Ahead"/>; null for an empty one where empty means none.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public UsageKey? PlainKey(TextColumn column, int row) => AskedAhead(FieldParsers.Trim(column.PlainUtf8(row)), row);

        /// <summary>The key of a row's text; null for an empty one where empty means none.</summary>
        public UsageKey? KeyOf(TextColumn? column, int row)
        {
            if (column is { IsDecoded: true } && column.Code(row) < 0)
            {
                // Written in place, or a null: its slot was asked for by Ahead.
                return AskedAhead(FieldParsers.Trim(column.Utf8(row)), row);
            }

            return Held.Find(column, row, _byChars);
        }

        /// <summary>The key of a row's text (trimmed) whose slot <see cref="Ahead"/> asked for; null for an empty one where empty means none.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private UsageKey? AskedAhead(ReadOnlySpan<byte> text, int row) => text.IsEmpty && _emptyIsNone ? null : _table.Get(_hashes[row], text);

        private UsageKey? ByBytes(ReadOnlySpan<byte> text) => text.IsEmpty && _emptyIsNone ? null : _table.Get(_table.Prepare(text), text);
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
    private Known[] _byCode = [];
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

    /// <summary>Keeps what dictionary index <paramref name="code"/> of a dictionary of <paramref name="size"/> texts stands for in this row group.</summary>
    public void Know(int code, int size, T value)
    {
        // A new array is stamped with no group: nothing in it is of this one.
        Arrays.Grow(ref _byCode, size);
        _byCode[code] = new Known(value, _group);
    }

    /// <summary>What was found in this row group for dictionary index <paramref name="code"/> (-1 for none); false when nothing was yet.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool TryKnown(int code, out T value)
    {
        var byCode = _byCode;
        if (unchecked((uint)code) < (uint)byCode.Length && byCode[code].Group == _group)
        {
            value = byCode[code].Value;
            return true;
        }

        value = default!;
        return false;
    }

    private T ByCode(TextColumn column, int row, int code, FindText<T> find)
    {
        if (TryKnown(code, out var known))
        {
            return known;
        }

        // A new array is stamped with no group: nothing in it is of this one.
        Arrays.Grow(ref _byCode, column.DictionarySize);
        var value = byUtf8 is null ? find(FieldParsers.Trim(column.Text(row))) : byUtf8(FieldParsers.Trim(column.DictionaryUtf8(code)));
        _byCode[code] = new Known(value, _group);
        return value;
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

    private readonly record struct Known(T Value, int Group);
}

/// <summary>What a text (trimmed) stands for, worked out from its characters.</summary>
internal delegate T FindText<T>(ReadOnlySpan<char> text);

/// <summary>What a text (trimmed) stands for, worked out from its UTF-8 bytes.</summary>
internal delegate T FindUtf8<T>(ReadOnlySpan<byte> text);

/// <summary>Where a text is held: the array or string, and the place in it.</summary>
internal readonly record struct TextSource(object? Holder, int Start, int Length);
