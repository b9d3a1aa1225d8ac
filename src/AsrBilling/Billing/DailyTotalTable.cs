using System.Collections;
using System.Collections.Immutable;
using NodaTime;

namespace AsrBilling;

/// <summary>
/// Daily totals held column-wise, one per (account, service, billing date), ordered by account,
/// service id and date (ordinal), with per-tag seconds when they were gathered. What a bill is priced
/// from in bulk: its memory is a few arrays of the totals' length, not an object per total.
/// </summary>
/// <remarks>
/// Get one from <see cref="UsageAggregator.ToDailyTotalTable()"/>, from a CSV reader, or build one from any
/// daily totals with <see cref="From"/>. Reading an item builds a <see cref="DailyTotal"/> on the spot.
/// Immutable and safe to share across threads.
/// </remarks>
public sealed partial class DailyTotalTable : IReadOnlyList<DailyTotal>
{
    private static readonly LocalDate Epoch = new(1970, 1, 1);

    private readonly string[] _accountNames;
    private readonly AsrService[] _serviceList;
    private readonly int[] _accounts;
    private readonly int[] _services;
    private readonly int[] _days;
    private readonly long[] _seconds;
    private readonly TagColumns? _tags;

    internal DailyTotalTable(string[] accountNames, AsrService[] serviceList, int[] accounts, int[] services, int[] days, long[] seconds, TagColumns? tags)
    {
        _accountNames = accountNames;
        _serviceList = serviceList;
        _accounts = accounts;
        _services = services;
        _days = days;
        _seconds = seconds;
        _tags = tags;
    }

    /// <summary>A table with no totals.</summary>
    public static DailyTotalTable Empty { get; } = new([], [], [], [], [], [], null);

    /// <summary>How many daily totals there are.</summary>
    public int Count => _days.Length;

    /// <summary>Whether per-tag seconds were gathered; when false, every total's <see cref="DailyTotal.TagSeconds"/> is empty.</summary>
    public bool HasTagSeconds => _tags is not null;

    /// <summary>The distinct accounts, ordered (ordinal); the default account is the empty string.</summary>
    public IReadOnlyList<string> Accounts => _accountNames;

    /// <summary>The sum of every total's billable seconds.</summary>
    /// <exception cref="OverflowException">The sum exceeds <see cref="long.MaxValue"/>.</exception>
    public long TotalSeconds
    {
        get
        {
            long sum = 0;
            foreach (var seconds in _seconds)
            {
                sum = checked(sum + seconds);
            }

            return sum;
        }
    }

    /// <summary>The total at an index, built on the spot (with its tag seconds, when gathered).</summary>
    /// <param name="index">From 0 to <see cref="Count"/> − 1.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="index"/> is out of range.</exception>
    public DailyTotal this[int index]
    {
        get
        {
            ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(unchecked((uint)index), (uint)Count, nameof(index));
            return DailyTotal.Trusted(AccountAt(index), ServiceAt(index), DateAt(index), _seconds[index], _tags?.At(index));
        }
    }

    /// <summary>
    /// Merges daily totals into a table: totals with the same account, service and date are added,
    /// as <see cref="DailyTotal.Combine"/> does.
    /// </summary>
    /// <param name="totals">Daily totals in any order, from any number of shards.</param>
    /// <returns>The table.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="totals"/> is null.</exception>
    /// <exception cref="ArgumentException">An item is <c>default(DailyTotal)</c>.</exception>
    /// <exception cref="UsageOverflowException">A sum exceeds <see cref="long.MaxValue"/> seconds.</exception>
    public static DailyTotalTable From(IEnumerable<DailyTotal> totals)
    {
        ArgumentNullException.ThrowIfNull(totals);
        if (totals is DailyTotalTable table)
        {
            return table;
        }

        var merged = DailyTotal.Combine(totals);
        var accountNames = merged.Select(t => t.Account).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();
        var serviceList = merged.Select(t => t.Service).Distinct().OrderBy(s => s.Id, StringComparer.Ordinal).ToArray();
        var accountIndex = accountNames.Select((a, i) => (a, i)).ToDictionary(p => p.a, p => p.i, StringComparer.Ordinal);
        var serviceIndex = serviceList.Select((s, i) => (s, i)).ToDictionary(p => p.s, p => p.i);
        var n = merged.Length;
        var (accounts, services, days, seconds) = (new int[n], new int[n], new int[n], new long[n]);
        var tagged = merged.Any(t => t.TagSeconds.Count > 0);
        var tags = tagged ? new TagColumns.Builder(n) : null;
        for (var i = 0; i < n; i++)
        {
            var total = merged[i];
            accounts[i] = accountIndex[total.Account];
            services[i] = serviceIndex[total.Service];
            days[i] = EpochDay(total.Date);
            seconds[i] = total.BillableSeconds;
            if (tags is not null)
            {
                foreach (var (tag, tagSeconds) in total.TagSeconds)
                {
                    tags.Add(tag, tagSeconds);
                }

                tags.EndRow();
            }
        }

        return new DailyTotalTable(accountNames, serviceList, accounts, services, days, seconds, tags?.Build());
    }

    private static int CompareRows(int accountA, int serviceA, int dayA, int accountB, int serviceB, int dayB) =>
        accountA != accountB ? accountA.CompareTo(accountB) : serviceA != serviceB ? serviceA.CompareTo(serviceB) : dayA.CompareTo(dayB);

    /// <summary>The totals as an immutable array of <see cref="DailyTotal"/>.</summary>
    /// <returns>One total per item, in order.</returns>
    public ImmutableArray<DailyTotal> ToImmutableArray()
    {
        var builder = ImmutableArray.CreateBuilder<DailyTotal>(Count);
        for (var i = 0; i < Count; i++)
        {
            builder.Add(this[i]);
        }

        return builder.MoveToImmutable();
    }

    /// <summary>Enumerates the totals in order.</summary>
    /// <returns>An enumerator.</returns>
    public IEnumerator<DailyTotal> GetEnumerator()
    {
        for (var i = 0; i < Count; i++)
        {
            yield return this[i];
        }
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    internal string AccountAt(int index) => _accountNames[_accounts[index]];

    internal int AccountIndexAt(int index) => _accounts[index];

    internal AsrService ServiceAt(int index) => _serviceList[_services[index]];

    internal int ServiceIndexAt(int index) => _services[index];

    internal int ServiceCount => _serviceList.Length;

    internal AsrService ServiceByIndex(int serviceIndex) => _serviceList[serviceIndex];

    internal int EpochDayAt(int index) => _days[index];

    internal LocalDate DateAt(int index) => DateOf(_days[index]);

    /// <summary>The earliest epoch day of any total; the table is not empty.</summary>
    internal int MinEpochDay => _days.Min();

    /// <summary>The latest epoch day of any total; the table is not empty.</summary>
    internal int MaxEpochDay => _days.Max();

    internal long SecondsAt(int index) => _seconds[index];

    internal TagColumns? Tags => _tags;

    internal static LocalDate DateOf(int epochDay) => Epoch.PlusDays(epochDay);

    internal static int EpochDay(LocalDate date) => Period.DaysBetween(Epoch, date);
}
