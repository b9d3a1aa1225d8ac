using AsrBilling.Bulk;

namespace AsrBilling.Parquet;

/// <summary>The aggregator's key of each distinct account and tag text, looked up by the text's characters without a string per row (on .NET 9 and later).</summary>
internal sealed class KeyCache(UsageAggregator aggregator)
{
    private readonly Dictionary<string, UsageKey> _accounts = new(StringComparer.Ordinal);
    private readonly Dictionary<string, UsageKey> _tags = new(StringComparer.Ordinal);

    /// <summary>The key of a trimmed account and tag; an empty account is the default one, an empty tag none.</summary>
    public UsageKey KeyOf(ReadOnlySpan<char> account, ReadOnlySpan<char> tag, bool withTag)
    {
        var key = Find(_accounts, account, text => aggregator.GetKey(text.Length == 0 ? null : text, null));
        return withTag && !tag.IsEmpty ? key.WithTag(Find(_tags, tag, aggregator.GetTagKey)) : key;
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
