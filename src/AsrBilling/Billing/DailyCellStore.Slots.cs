using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace AsrBilling;

// The slots (accounts) and tag ids, found by their strings and made when new, or, for tags, made from UTF-8 by a loader that resolves them itself.
internal sealed partial class DailyCellStore
{
    private const int CacheSize = 1024;

    private readonly Dictionary<string, int> _accountIndex = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _tagIds = new(StringComparer.Ordinal);
    private readonly NameList _tagNames = new();

    // How many tag ids _tagIds has been given (a repeated name keeps its first): names added by NewTagId join it only when a tag is looked up by its string.
    private int _tagIdsIndexed;
    private readonly TagCacheEntry[] _tagCache = new TagCacheEntry[CacheSize];
    private TagCellTable? _tagCells;
    private readonly AccountCacheEntry[] _accountCache = new AccountCacheEntry[CacheSize];

    /// <summary>The account of a slot.</summary>
    internal string AccountOf(int slot) => _slotAccounts[slot];

    /// <summary>The slot of an account, made when new.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal int SlotOf(string account)
    {
        ref var index = ref CollectionsMarshal.GetValueRefOrAddDefault(_accountIndex, account, out var exists);
        if (!exists)
        {
            index = NewSlot(account);
        }

        return index;
    }

    /// <summary>
    /// The slot of an account, through a small cache checked by object identity: a caller that passes
    /// one string per account (a parser that interns them) skips hashing the text.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal int CachedSlotOf(string account)
    {
        ref var cached = ref _accountCache[TextSlot(account)];
        if (ReferenceEquals(cached.Account, account))
        {
            return cached.Slot;
        }

        var slot = SlotOf(account);
        cached = new AccountCacheEntry(account, slot);
        return slot;
    }

    /// <summary>
    /// The id of a tag, made when new. Records usually share their tag strings, so a small cache
    /// checked by object identity answers before the dictionary hashes the tag.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal int TagIdOf(string tag)
    {
        ref var cached = ref _tagCache[TextSlot(tag)];
        if (ReferenceEquals(cached.Tag, tag))
        {
            return cached.Id;
        }

        if (_tagIdsIndexed < _tagNames.Count)
        {
            IndexNewTagIds();
        }

        ref var id = ref CollectionsMarshal.GetValueRefOrAddDefault(_tagIds, tag, out var exists);
        if (!exists)
        {
            id = _tagNames.Add(tag);
            _tagIdsIndexed++;
            _tagCells ??= new TagCellTable();
        }

        cached = new TagCacheEntry(tag, id);
        return id;
    }

    /// <summary>
    /// A new tag id for a name given as UTF-8, not looked up: for a loader that resolves each distinct text itself.
    /// A name given again still totals as one tag: ids are put together by name in <see cref="ToDailyTotalTable()"/> and <see cref="Merge"/>.
    /// </summary>
    /// <exception cref="InvalidOperationException">The names given as bytes would pass 2 GB.</exception>
    internal int NewTagId(ReadOnlySpan<byte> utf8)
    {
        _tagCells ??= new TagCellTable();
        return _tagNames.Add(utf8);
    }

    /// <summary>Gives the dictionary of tags the names added by <see cref="NewTagId"/> since it was last asked.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private void IndexNewTagIds()
    {
        for (; _tagIdsIndexed < _tagNames.Count; _tagIdsIndexed++)
        {
            _tagIds.TryAdd(_tagNames.NameOf(_tagIdsIndexed), _tagIdsIndexed);
        }
    }

    /// <summary>
    /// A cache slot for a string from its length and last three characters: cheaper than hashing
    /// the text or asking the runtime for an identity hash, and ids and names differ at the end.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int TextSlot(string text) => text.Length < 3
        ? text.Length
        : ((text.Length * 97) + (text[^1] * 31) + (text[^2] * 7) + text[^3]) & (CacheSize - 1);

    private int NewSlot(string account)
    {
        if (_slotCount == _slots.Length)
        {
            Array.Resize(ref _slots, _slotCount * 2);
            Array.Resize(ref _slotAccounts, _slotCount * 2);
        }

        _slotAccounts[_slotCount] = account;
        return _slotCount++;
    }

    private readonly record struct TagCacheEntry(string? Tag, int Id);

    private readonly record struct AccountCacheEntry(string? Account, int Slot);
}
