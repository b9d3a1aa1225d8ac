using System.Runtime.CompilerServices;
using AsrBilling.Bulk;
using AsrBilling.Csv;

namespace AsrBilling.Parquet;

/// <summary>
/// The aggregator's key of each distinct account and tag text. Within a row group a dictionary-encoded
/// column gives every row of one value the same characters in memory, so keys are first looked up by
/// where the text is held, without reading it; then by its characters, without a string per row (on .NET 9 and later).
/// </summary>
internal sealed class KeyCache(UsageAggregator aggregator)
{
    // When most of a group's lookups by where texts are held miss, a column is not dictionary-encoded: look up by text.
    private const int MissesBeforeJudging = 1024;

    private readonly Dictionary<string, UsageKey> _accounts = new(StringComparer.Ordinal);
    private readonly Dictionary<string, UsageKey> _tags = new(StringComparer.Ordinal);
    private readonly Dictionary<TextSource, UsageKey?> _accountsBySource = [];
    private readonly Dictionary<TextSource, UsageKey?> _tagsBySource = [];
    private int _sourceLookups;
    private int _sourceMisses;

    /// <summary>Forgets where texts were held: a new row group's values are held elsewhere.</summary>
    public void NewGroup()
    {
        _accountsBySource.Clear();
        _tagsBySource.Clear();
        (_sourceLookups, _sourceMisses) = (0, 0);
    }

    /// <summary>The key of a row's account and tag (trimmed); an empty account is the default one, an empty tag none.</summary>
    public UsageKey KeyOf(TextColumn? account, TextColumn? tag, int row, bool withTag)
    {
        var key = Find(_accountsBySource, _accounts, account, row, text => aggregator.GetKey(text.Length == 0 ? null : text, null), emptyIsNone: false)!.Value;
        return withTag && Find(_tagsBySource, _tags, tag, row, aggregator.GetTagKey, emptyIsNone: true) is { } tagKey ? key.WithTag(tagKey) : key;
    }

    /// <summary>The key of a row's text, trimmed; null for an empty one when <paramref name="emptyIsNone"/>.</summary>
    private UsageKey? Find(Dictionary<TextSource, UsageKey?> bySource, Dictionary<string, UsageKey> byText, TextColumn? column, int row, Func<string, UsageKey> create, bool emptyIsNone)
    {
        var source = column is null ? default : column.SourceOf(row);
        if (source.Holder is null || (_sourceMisses > MissesBeforeJudging && _sourceMisses * 2 > _sourceLookups))
        {
            return Find(byText, column is null ? default : FieldParsers.Trim(column.Text(row)), create, emptyIsNone);
        }

        _sourceLookups++;
        if (bySource.TryGetValue(source, out var known))
        {
            return known;
        }

        _sourceMisses++;
        return bySource[source] = Find(byText, FieldParsers.Trim(column!.Text(row)), create, emptyIsNone);
    }

    private static UsageKey? Find(Dictionary<string, UsageKey> keys, ReadOnlySpan<char> text, Func<string, UsageKey> create, bool emptyIsNone) =>
        emptyIsNone && text.IsEmpty ? null : Find(keys, text, create);

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

/// <summary>Where a text is held: the array or string, and the place in it; known by the holder's identity, not its contents.</summary>
internal readonly record struct TextSource(object? Holder, int Start, int Length)
{
    public bool Equals(TextSource other) => ReferenceEquals(Holder, other.Holder) && Start == other.Start && Length == other.Length;

    public override int GetHashCode() => HashCode.Combine(RuntimeHelpers.GetHashCode(Holder), Start, Length);
}
