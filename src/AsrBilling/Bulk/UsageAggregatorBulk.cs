using NodaTime;

namespace AsrBilling.Bulk;

/// <summary>
/// Adding usage to a <see cref="UsageAggregator"/> without string lookups, for bulk loaders such as a
/// CSV or Parquet reader: resolve each distinct (account, tag) once with <see cref="GetKey"/>, then add
/// rows by key. Kept in its own namespace because only loaders need it.
/// </summary>
public static class UsageAggregatorBulk
{
    /// <summary>
    /// The daily totals of several aggregators together, as <see cref="UsageAggregator.ToDailyTotalTable(IReadOnlyList{UsageAggregator})"/>
    /// gives them, after which the aggregators give their cells back to the system at once rather than when the garbage
    /// collector comes to them: for a loader whose aggregators were only its threads' working state. Memory a process has
    /// just given back costs far less to touch again than new memory, and the bill's columns come next.
    /// </summary>
    /// <param name="aggregators">Aggregators with the same price book and zone, each listed once, not used again.</param>
    /// <returns>One total per (account, service, billing date), ordered by account, service id and date (ordinal).</returns>
    /// <exception cref="ArgumentNullException"><paramref name="aggregators"/> or one of them is null.</exception>
    /// <exception cref="ArgumentException">An aggregator is listed twice, the aggregators bill with different
    /// price books or zones, or they count more than 256 services between them.</exception>
    /// <exception cref="UsageOverflowException">A day's total would exceed <see cref="long.MaxValue"/> seconds; nothing is given back.</exception>
    /// <exception cref="ObjectDisposedException">An aggregator's memory was given back before. Any use of an aggregator after this call throws it too.</exception>
    public static DailyTotalTable ToDailyTotalTableAndRelease(IReadOnlyList<UsageAggregator> aggregators)
    {
        var table = UsageAggregator.ToDailyTotalTable(aggregators);
        foreach (var aggregator in aggregators)
        {
            aggregator.Release();
        }

        return table;
    }

    /// <summary>Resolves an (account, tag) pair once, so that rows can be added by key.</summary>
    /// <param name="aggregator">The aggregator.</param>
    /// <param name="account">The billing account, or null for the default account.</param>
    /// <param name="tag">A label to allocate costs by, or null (no per-tag seconds are kept).</param>
    /// <returns>A key valid for this aggregator only.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="aggregator"/> is null.</exception>
    public static UsageKey GetKey(this UsageAggregator aggregator, string? account, string? tag)
    {
        ArgumentNullException.ThrowIfNull(aggregator);
        return aggregator.GetKey(account, tag);
    }

    /// <summary>
    /// Resolves a tag alone, to be joined to an account's key with <see cref="WithTag"/>: a loader then
    /// keeps one table of accounts and one of tags rather than one of (account, tag) pairs. A tag key
    /// adds no usage by itself.
    /// </summary>
    /// <param name="aggregator">The aggregator.</param>
    /// <param name="tag">A label to allocate costs by.</param>
    /// <returns>A tag key valid for this aggregator only.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="aggregator"/> or <paramref name="tag"/> is null.</exception>
    public static UsageKey GetTagKey(this UsageAggregator aggregator, string tag)
    {
        ArgumentNullException.ThrowIfNull(aggregator);
        ArgumentNullException.ThrowIfNull(tag);
        return aggregator.GetTagKey(tag);
    }

    /// <summary>
    /// A key for a tag named by UTF-8 bytes, made without looking the name up: for a loader that resolves each
    /// distinct text once itself (a table of the bytes it has met), as <see cref="GetTagKey"/> would, but with no
    /// string and no lookup per tag until the names of all ids are put together (or a tag is looked up by its
    /// string). Each call takes a new tag id; a name given more than once, here or to <see cref="GetTagKey"/>, is
    /// still one tag in the totals.
    /// </summary>
    /// <param name="aggregator">The aggregator.</param>
    /// <param name="utf8Name">The tag's name as UTF-8; invalid sequences read as U+FFFD, as <see cref="System.Text.Encoding.UTF8"/> decodes them.</param>
    /// <returns>A tag key valid for this aggregator only, to be joined to an account's key with <see cref="WithTag"/>.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="aggregator"/> is null.</exception>
    /// <exception cref="InvalidOperationException">The tag names this aggregator was given as bytes would pass 2 GB.</exception>
    public static UsageKey NewTagKey(this UsageAggregator aggregator, ReadOnlySpan<byte> utf8Name)
    {
        ArgumentNullException.ThrowIfNull(aggregator);
        return aggregator.NewTagKey(utf8Name);
    }

    /// <summary>The key of <paramref name="account"/>'s account with <paramref name="tag"/>'s tag, as <see cref="GetKey"/> would give for the pair.</summary>
    /// <param name="account">A key from <see cref="GetKey"/> with no tag.</param>
    /// <param name="tag">A key from <see cref="GetTagKey"/> or <see cref="NewTagKey"/> of the same aggregator.</param>
    /// <returns>The pair's key.</returns>
    /// <exception cref="ArgumentException">The keys come from different aggregators, <paramref name="account"/> has a tag already, or <paramref name="tag"/> is not a tag key.</exception>
    public static UsageKey WithTag(this UsageKey account, UsageKey tag)
    {
        if (account.Owner == 0 || account.Owner != tag.Owner || account.Slot < 0 || account.Tag >= 0 || tag.Slot >= 0 || tag.Tag < 0)
        {
            throw new ArgumentException("Join an account's key without a tag (GetKey) to a tag key (GetTagKey or NewTagKey) of the same aggregator.", nameof(tag));
        }

        return new UsageKey(account.Owner, account.Slot, tag.Tag);
    }

    /// <summary>Adds usage already rounded up to whole billable seconds for a key. There is no id: the caller checks duplicates.</summary>
    /// <param name="aggregator">The aggregator the key comes from.</param>
    /// <param name="key">The (account, tag) pair, from <see cref="GetKey"/>.</param>
    /// <param name="service">The service.</param>
    /// <param name="start">When the use started; it chooses the billing day.</param>
    /// <param name="billableSeconds">The whole seconds to bill; not negative.</param>
    /// <exception cref="ArgumentException"><paramref name="key"/> comes from another aggregator.</exception>
    /// <exception cref="ArgumentNullException"><paramref name="aggregator"/> or <paramref name="service"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="billableSeconds"/> is negative.</exception>
    /// <exception cref="UsageOverflowException">The day's total would exceed <see cref="long.MaxValue"/> seconds.</exception>
    /// <exception cref="BillingDateOutOfRangeException"><paramref name="start"/> is outside <see cref="BillingOptions.BillableStarts"/>.</exception>
    public static void Add(this UsageAggregator aggregator, UsageKey key, AsrService service, Instant start, long billableSeconds)
    {
        ArgumentNullException.ThrowIfNull(aggregator);
        aggregator.AddAtUnixTicks(key, service, start.ToUnixTimeTicks(), billableSeconds);
    }

    /// <summary>
    /// <see cref="Add"/> for a start given as Unix ticks (100 ns since 1970-01-01T00:00:00Z), as a
    /// parser reads it, without building an <see cref="Instant"/>.
    /// </summary>
    /// <param name="aggregator">The aggregator the key comes from.</param>
    /// <param name="key">The (account, tag) pair, from <see cref="GetKey"/>.</param>
    /// <param name="service">The service.</param>
    /// <param name="unixTicks">The start, within the range of <see cref="Instant"/>.</param>
    /// <param name="billableSeconds">The whole seconds to bill; not negative.</param>
    /// <exception cref="ArgumentException"><paramref name="key"/> comes from another aggregator.</exception>
    /// <exception cref="ArgumentNullException"><paramref name="aggregator"/> or <paramref name="service"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="billableSeconds"/> is negative, or <paramref name="unixTicks"/> is outside the range of <see cref="Instant"/>.</exception>
    /// <exception cref="UsageOverflowException">The day's total would exceed <see cref="long.MaxValue"/> seconds.</exception>
    /// <exception cref="BillingDateOutOfRangeException">The start is outside <see cref="BillingOptions.BillableStarts"/>.</exception>
    public static void AddAtUnixTicks(this UsageAggregator aggregator, UsageKey key, AsrService service, long unixTicks, long billableSeconds)
    {
        ArgumentNullException.ThrowIfNull(aggregator);
        aggregator.AddAtUnixTicks(key, service, unixTicks, billableSeconds);
    }

    /// <summary>
    /// Adds many rows of whole seconds by key, faster than one at a time when the rows' days are
    /// spread over many accounts: a chunk's cells are found, and their memory fetched, before any is added.
    /// </summary>
    /// <param name="aggregator">The aggregator the keys come from.</param>
    /// <param name="keys">Each row's (account, tag) pair, from <see cref="GetKey"/>.</param>
    /// <param name="services">Each row's service.</param>
    /// <param name="unixTicks">Each row's start as Unix ticks, within the range of <see cref="Instant"/>.</param>
    /// <param name="billableSeconds">Each row's whole seconds; not negative.</param>
    /// <param name="overflowed">Receives the indexes of the rows not added because their day's total would exceed <see cref="long.MaxValue"/> seconds; at least as long as <paramref name="keys"/>.</param>
    /// <returns>How many rows overflowed; every other row is added.</returns>
    /// <exception cref="ArgumentException">The spans' lengths differ, or a key comes from another aggregator.</exception>
    /// <exception cref="ArgumentNullException"><paramref name="aggregator"/> or a service is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A number of seconds is negative, or a start is outside the range of <see cref="Instant"/>.</exception>
    /// <exception cref="BillingDateOutOfRangeException">A start is outside <see cref="BillingOptions.BillableStarts"/>; the rows of the chunks of 64 before its own are added.</exception>
    public static int AddBatch(
        this UsageAggregator aggregator, ReadOnlySpan<UsageKey> keys, ReadOnlySpan<AsrService> services, ReadOnlySpan<long> unixTicks, ReadOnlySpan<long> billableSeconds, Span<int> overflowed)
    {
        ArgumentNullException.ThrowIfNull(aggregator);
        return aggregator.AddBatch(keys, services, unixTicks, billableSeconds, overflowed);
    }
}
