using System.Collections.Immutable;
using System.Globalization;
using NodaTime;

namespace AsrBilling;

/// <summary>
/// The billable seconds of one account's use of one service on one billing date, with the
/// seconds of each tag alongside. The unit of aggregation: it is a sum, so partial totals for the
/// same key from any shard or engine merge by adding (see <see cref="Merge"/>).
/// </summary>
/// <remarks>
/// Build it directly to price totals that another engine (Spark, ClickHouse, BigQuery, SQL)
/// computed, or get it from <see cref="UsageAggregator"/>. Immutable; equality compares the key,
/// the seconds and every tag. <c>default(DailyTotal)</c> has no service and cannot be priced.
/// </remarks>
public readonly struct DailyTotal : IEquatable<DailyTotal>
{
    /// <summary>Creates a daily total.</summary>
    /// <param name="account">The billing account; null or empty for the default account.</param>
    /// <param name="service">The service.</param>
    /// <param name="date">The billing date.</param>
    /// <param name="billableSeconds">The day's billable whole seconds; not negative.</param>
    /// <param name="tagSeconds">Seconds per tag, or null. Each is not negative, and together they do not exceed <paramref name="billableSeconds"/>; the rest is untagged.</param>
    /// <exception cref="ArgumentNullException"><paramref name="service"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A number of seconds is negative, or the tags add up to more than the total.</exception>
    /// <exception cref="ArgumentException">A tag is null or appears twice.</exception>
    public DailyTotal(string? account, AsrService service, LocalDate date, long billableSeconds, IEnumerable<KeyValuePair<string, long>>? tagSeconds = null)
        : this(account ?? string.Empty, Validated(service, billableSeconds), date, billableSeconds, Tags(tagSeconds, billableSeconds))
    {
    }

    private DailyTotal(string account, AsrService service, LocalDate date, long billableSeconds, ImmutableSortedDictionary<string, long>? tags)
    {
        _account = account;
        Service = service;
        Date = date;
        BillableSeconds = billableSeconds;
        _tags = tags;
    }

    private static readonly ImmutableSortedDictionary<string, long> NoTags = ImmutableSortedDictionary.Create<string, long>(StringComparer.Ordinal);
    private readonly string? _account;
    private readonly ImmutableSortedDictionary<string, long>? _tags;

    /// <summary>The billing account; empty for the default account.</summary>
    public string Account => _account ?? string.Empty;

    /// <summary>The service; null only for <c>default(DailyTotal)</c>.</summary>
    public AsrService Service { get; }

    /// <summary>The billing date.</summary>
    public LocalDate Date { get; }

    /// <summary>The day's billable whole seconds.</summary>
    public long BillableSeconds { get; }

    /// <summary>Seconds per tag, ordered by tag (ordinal). Seconds without a tag are not listed.</summary>
    public ImmutableSortedDictionary<string, long> TagSeconds => _tags ?? NoTags;

    /// <summary>The seconds that carry no tag.</summary>
    public long UntaggedSeconds => BillableSeconds - TagSeconds.Values.Sum();

    /// <summary>Adds another partial total for the same account, service and date.</summary>
    /// <param name="other">The other partial total.</param>
    /// <returns>The combined total; seconds and tag seconds are added.</returns>
    /// <exception cref="ArgumentException">The keys differ.</exception>
    /// <exception cref="UsageOverflowException">The sum exceeds <see cref="long.MaxValue"/> seconds.</exception>
    public DailyTotal Merge(DailyTotal other)
    {
        if (!SameKey(other))
        {
            throw new ArgumentException($"Only totals for the same account, service and date merge: {Describe()} and {other.Describe()}.", nameof(other));
        }

        var tags = TagSeconds.ToBuilder();
        foreach (var (tag, seconds) in other.TagSeconds)
        {
            tags[tag] = Add(tags.GetValueOrDefault(tag), seconds);
        }

        return new DailyTotal(Account, Service, Date, Add(BillableSeconds, other.BillableSeconds), tags.ToImmutable());
    }

    /// <summary>
    /// Merges partial totals: totals for the same account, service and date are added. The result
    /// is ordered by account, service id and date (ordinal), whatever the input order.
    /// </summary>
    /// <param name="totals">Partial totals, from any number of shards.</param>
    /// <returns>One total per key.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="totals"/> is null.</exception>
    /// <exception cref="ArgumentException">An item is <c>default(DailyTotal)</c>.</exception>
    /// <exception cref="UsageOverflowException">A sum exceeds <see cref="long.MaxValue"/> seconds.</exception>
    public static ImmutableArray<DailyTotal> Combine(IEnumerable<DailyTotal> totals)
    {
        ArgumentNullException.ThrowIfNull(totals);
        if (totals is ImmutableArray<DailyTotal> array && IsMerged(array))
        {
            return array; // an aggregator's totals, say: already one per key and in order
        }

        var merged = new Dictionary<(string, AsrService, LocalDate), DailyTotal>();
        foreach (var total in totals)
        {
            if (total.Service is null)
            {
                throw new ArgumentException("A default(DailyTotal) has no service and cannot be billed.", nameof(totals));
            }

            var key = (total.Account, total.Service, total.Date);
            merged[key] = merged.TryGetValue(key, out var existing) ? existing.Merge(total) : total;
        }

        return [.. merged.Values.Order(KeyComparer.Instance)];
    }

    /// <summary>Whether the totals are already what <see cref="Combine"/> returns: each with a service, keys strictly in order.</summary>
    private static bool IsMerged(ImmutableArray<DailyTotal> totals)
    {
        for (var i = 0; i < totals.Length; i++)
        {
            if (totals[i].Service is null || (i > 0 && KeyComparer.Instance.Compare(totals[i - 1], totals[i]) >= 0))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Formats invariantly: <c>acme real-time 2025-09-02: 3600 s</c>.</summary>
    /// <returns>The total as text.</returns>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Describe()}: {BillableSeconds} s");

    /// <inheritdoc />
    public bool Equals(DailyTotal other) =>
        SameKey(other) && BillableSeconds == other.BillableSeconds
        && TagSeconds.Count == other.TagSeconds.Count
        && TagSeconds.All(p => other.TagSeconds.TryGetValue(p.Key, out var s) && s == p.Value);

    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is DailyTotal other && Equals(other);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Account, Service, Date, BillableSeconds, TagSeconds.Count);

    internal static DailyTotal Trusted(string account, AsrService service, LocalDate date, long seconds, ImmutableSortedDictionary<string, long>? tags) =>
        new(account, service, date, seconds, tags);

    internal string Describe() =>
        string.Create(CultureInfo.InvariantCulture, $"{(Account.Length == 0 ? Subtotal.DefaultAccount : Account)} {Service?.Id} {IsoDate.Format(Date)}");

    private bool SameKey(DailyTotal other) =>
        string.Equals(Account, other.Account, StringComparison.Ordinal) && Service == other.Service && Date == other.Date;

    private long Add(long a, long b)
    {
        try
        {
            return checked(a + b);
        }
        catch (OverflowException e)
        {
            throw new UsageOverflowException(Account, Service.Id, Date, e);
        }
    }

    private static AsrService Validated(AsrService service, long billableSeconds)
    {
        ArgumentNullException.ThrowIfNull(service);
        ArgumentOutOfRangeException.ThrowIfNegative(billableSeconds);
        return service;
    }

    /// <summary>Compares two totals.</summary>
    /// <param name="left">The first total.</param>
    /// <param name="right">The second total.</param>
    /// <returns>Whether key, seconds and tags are equal.</returns>
    public static bool operator ==(DailyTotal left, DailyTotal right) => left.Equals(right);

    /// <summary>Compares two totals.</summary>
    /// <param name="left">The first total.</param>
    /// <param name="right">The second total.</param>
    /// <returns>Whether key, seconds or tags differ.</returns>
    public static bool operator !=(DailyTotal left, DailyTotal right) => !left.Equals(right);

    private static ImmutableSortedDictionary<string, long> Tags(IEnumerable<KeyValuePair<string, long>>? tagSeconds, long total)
    {
        if (tagSeconds is null)
        {
            return NoTags;
        }

        var builder = ImmutableSortedDictionary.CreateBuilder<string, long>(StringComparer.Ordinal);
        long sum = 0;
        foreach (var (tag, seconds) in tagSeconds)
        {
            if (tag is null)
            {
                throw new ArgumentException("A tag should not be null.", nameof(tagSeconds));
            }

            if (seconds < 0)
            {
                throw new ArgumentOutOfRangeException(nameof(tagSeconds), seconds, $"Tag '{tag}' has negative seconds.");
            }

            if (!builder.TryAdd(tag, seconds))
            {
                throw new ArgumentException($"Tag '{tag}' appears twice.", nameof(tagSeconds));
            }

            sum = checked(sum + seconds);
        }

        if (sum > total)
        {
            throw new ArgumentOutOfRangeException(nameof(tagSeconds), sum, $"The tags add up to {sum} s, more than the total {total} s.");
        }

        return builder.ToImmutable();
    }

    /// <summary>Orders by account, service id, then date, all ordinal.</summary>
    internal sealed class KeyComparer : IComparer<DailyTotal>
    {
        public static readonly KeyComparer Instance = new();

        public int Compare(DailyTotal x, DailyTotal y)
        {
            var c = string.CompareOrdinal(x.Account, y.Account);
            if (c == 0)
            {
                c = string.CompareOrdinal(x.Service.Id, y.Service.Id);
            }

            return c != 0 ? c : x.Date.CompareTo(y.Date);
        }
    }
}
