using System.Collections;
using System.Collections.Immutable;
using System.Runtime.InteropServices;
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
public sealed class DailyTotalTable : IReadOnlyList<DailyTotal>
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

    /// <summary>
    /// Adds up the tables of several shards (threads, partitions or machines) that summed usage
    /// separately: totals with the same account, service and date are added, tag seconds too. Each
    /// table is already in order, so this is a merge of sorted columns, not a regrouping.
    /// </summary>
    /// <param name="tables">The shards' tables.</param>
    /// <returns>One table, as if one aggregator had summed all the usage.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="tables"/> or one of them is null.</exception>
    /// <exception cref="UsageOverflowException">A sum exceeds <see cref="long.MaxValue"/> seconds.</exception>
    public static DailyTotalTable Combine(IReadOnlyList<DailyTotalTable> tables)
    {
        ArgumentNullException.ThrowIfNull(tables);
        var result = Empty;
        foreach (var table in tables)
        {
            ArgumentNullException.ThrowIfNull(table, nameof(tables));
            result = result.Count == 0 ? table : table.Count == 0 ? result : Combine(result, table);
        }

        return result;
    }

    private static DailyTotalTable Combine(DailyTotalTable a, DailyTotalTable b)
    {
        var (accountNames, accountsA, accountsB) = Union(a._accountNames, b._accountNames, string.CompareOrdinal);
        var (serviceList, servicesA, servicesB) = Union(a._serviceList, b._serviceList, (x, y) => string.CompareOrdinal(x.Id, y.Id));
        var capacity = a.Count + b.Count;
        var (accounts, services, days, seconds) = (new int[capacity], new int[capacity], new int[capacity], new long[capacity]);
        var (tagNames, tagsA, tagsB) = Union(a._tags?.Names ?? [], b._tags?.Names ?? [], string.CompareOrdinal);
        var tags = a._tags is null && b._tags is null ? null : new TagColumns.Builder(capacity, tagNames, (a._tags?.Tag.Length ?? 0) + (b._tags?.Tag.Length ?? 0));
        var (i, j, n) = (0, 0, 0);
        while (i < a.Count || j < b.Count)
        {
            var order = i == a.Count ? 1 : j == b.Count ? -1 : CompareRows(
                accountsA[a._accounts[i]], servicesA[a._services[i]], a._days[i], accountsB[b._accounts[j]], servicesB[b._services[j]], b._days[j]);
            var (from, row) = order <= 0 ? (a, i) : (b, j);
            accounts[n] = order <= 0 ? accountsA[a._accounts[i]] : accountsB[b._accounts[j]];
            services[n] = order <= 0 ? servicesA[a._services[i]] : servicesB[b._services[j]];
            days[n] = from._days[row];
            seconds[n] = from._seconds[row];
            if (order == 0)
            {
                var sum = unchecked(seconds[n] + b._seconds[j]);
                seconds[n] = sum < seconds[n] ? throw new UsageOverflowException(accountNames[accounts[n]], serviceList[services[n]].Id, DateOf(days[n])) : sum;
            }

            if (tags is not null)
            {
                AddTags(tags, order <= 0 ? a._tags : null, i, tagsA, order >= 0 ? b._tags : null, j, tagsB);
            }

            (i, j, n) = (order <= 0 ? i + 1 : i, order >= 0 ? j + 1 : j, n + 1);
        }

        Array.Resize(ref accounts, n);
        Array.Resize(ref services, n);
        Array.Resize(ref days, n);
        Array.Resize(ref seconds, n);
        return new DailyTotalTable(accountNames, serviceList, accounts, services, days, seconds, tags?.Build());
    }

    /// <summary>
    /// Takes usage out of the totals, as when records found after summing to repeat others are taken out:
    /// each total of <paramref name="usage"/> is subtracted from the total of the same account, service and
    /// date, its tag seconds from that total's. A total, or a tag's seconds in it, that this brings to 0 is
    /// left out, unless <paramref name="keep"/> has it: a date, or a tag on it, that usage of 0 s still bills.
    /// </summary>
    /// <param name="usage">Totals each within one of these: the same account, service and date, and no more seconds, in all or for a tag.</param>
    /// <param name="keep">Totals whose account, service and date (and tags) stay at 0 s; null for none.</param>
    /// <returns>The totals less the usage, in the same order; this table when <paramref name="usage"/> is empty.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="usage"/> is null.</exception>
    /// <exception cref="ArgumentException">A total of <paramref name="usage"/> is not within one of these totals.</exception>
    public DailyTotalTable Subtract(DailyTotalTable usage, DailyTotalTable? keep = null)
    {
        ArgumentNullException.ThrowIfNull(usage);
        if (usage.Count == 0)
        {
            return this;
        }

        keep ??= Empty;
        var (usageRows, keepRows) = (Matches(usage, nameof(usage)), Matches(keep, null));
        var seconds = (long[])_seconds.Clone();
        var dropped = new bool[Count];
        var tags = _tags is null ? null : new TagColumns.Builder(Count, _tags.Names, _tags.Start[Count]);
        var (changed, k) = (new Dictionary<int, long>(), 0);
        for (int i = 0, j = 0; i < Count; i++)
        {
            // Rows no usage touches are copied as they are.
            if (j == usageRows.Length || usageRows[j] != i)
            {
                tags?.AddRow(_tags!.Tag.AsSpan(_tags.Start[i], _tags.Start[i + 1] - _tags.Start[i]), _tags.Seconds.AsSpan(_tags.Start[i], _tags.Start[i + 1] - _tags.Start[i]));
                continue;
            }

            while (k < keepRows.Length && keepRows[k] < i)
            {
                k++;
            }

            var kept = k < keepRows.Length && keepRows[k] == i ? keep : null;
            changed.Clear();
            for (; j < usageRows.Length && usageRows[j] == i; j++)
            {
                seconds[i] = seconds[i] >= usage._seconds[j] ? seconds[i] - usage._seconds[j] : throw NotWithin(usage, j, nameof(usage));
                for (var t = usage._tags?.Start[j] ?? 0; t < (usage._tags?.Start[j + 1] ?? 0); t++)
                {
                    var rank = _tags is null ? -1 : Array.BinarySearch(_tags.Names, usage._tags!.Names[usage._tags.Tag[t]], StringComparer.Ordinal);
                    changed[rank < 0 ? throw NotWithin(usage, j, nameof(usage)) : rank] = changed.GetValueOrDefault(rank) + usage._tags!.Seconds[t];
                }
            }

            dropped[i] = seconds[i] == 0 && kept is null;
            if (tags is null || dropped[i])
            {
                continue;
            }

            var matched = 0;
            for (var t = _tags!.Start[i]; t < _tags.Start[i + 1]; t++)
            {
                var rank = _tags.Tag[t];
                matched += changed.ContainsKey(rank) ? 1 : 0;
                var left = _tags.Seconds[t] - changed.GetValueOrDefault(rank);
                if (left < 0)
                {
                    throw new ArgumentException($"The usage has more seconds for tag '{_tags.Names[rank]}' on {DateAt(i):yyyy-MM-dd} than the totals.", nameof(usage));
                }

                if (left > 0 || (kept is not null && KeepsTag(kept, k, keepRows, _tags.Names[rank])))
                {
                    tags.AddRanked(rank, left);
                }
            }

            tags.EndRow();
            if (matched < changed.Count)
            {
                throw new ArgumentException($"The usage has seconds for a tag that the total of account '{AccountAt(i)}' on {DateAt(i):yyyy-MM-dd} does not have.", nameof(usage));
            }
        }

        return Without(dropped, seconds, tags);
    }

    /// <summary>Where each total of <paramref name="other"/> is in this table, in its order; -1 where it is not (an error when <paramref name="parameter"/> is named).</summary>
    private int[] Matches(DailyTotalTable other, string? parameter)
    {
        var rows = new int[other.Count];
        var (accounts, services) = (new int[other._accountNames.Length], new int[other._serviceList.Length]);
        for (var a = 0; a < accounts.Length; a++)
        {
            accounts[a] = Array.BinarySearch(_accountNames, other._accountNames[a], StringComparer.Ordinal);
        }

        for (var s = 0; s < services.Length; s++)
        {
            services[s] = Array.IndexOf(_serviceList, other._serviceList[s]);
        }

        // Both tables are in (account, service, date) order, and names map in order: one pass finds every row.
        for (int j = 0, i = 0; j < rows.Length; j++)
        {
            var (account, service, day) = (accounts[other._accounts[j]], services[other._services[j]], other._days[j]);
            while (i < Count && account >= 0 && service >= 0 && CompareRows(_accounts[i], _services[i], _days[i], account, service, day) < 0)
            {
                i++;
            }

            var found = i < Count && account >= 0 && service >= 0 && CompareRows(_accounts[i], _services[i], _days[i], account, service, day) == 0;
            rows[j] = found ? i : parameter is null ? -1 : throw NotWithin(other, j, parameter);
        }

        return rows;
    }

    private static bool KeepsTag(DailyTotalTable keep, int from, int[] keepRows, string tag)
    {
        for (var k = from; k < keepRows.Length && keepRows[k] == keepRows[from]; k++)
        {
            for (var t = keep._tags?.Start[k] ?? 0; t < (keep._tags?.Start[k + 1] ?? 0); t++)
            {
                if (keep._tags!.Names[keep._tags.Tag[t]] == tag)
                {
                    return true;
                }
            }
        }

        return false;
    }

    private static ArgumentException NotWithin(DailyTotalTable table, int row, string parameter) =>
        new($"The total of account '{table.AccountAt(row)}', service '{table.ServiceAt(row).Id}' on {table.DateAt(row):yyyy-MM-dd} is not within these totals.", parameter);

    /// <summary>The table without the dropped rows, with new seconds and tags; accounts and services no row has are left out.</summary>
    private DailyTotalTable Without(bool[] dropped, long[] seconds, TagColumns.Builder? tags)
    {
        var n = dropped.Count(d => !d);
        var (accounts, services, days, kept) = (new int[n], new int[n], new int[n], new long[n]);
        var (usedAccounts, usedServices) = (new bool[_accountNames.Length], new bool[_serviceList.Length]);
        for (int i = 0, r = 0; i < dropped.Length; i++)
        {
            if (!dropped[i])
            {
                (accounts[r], services[r], days[r], kept[r]) = (_accounts[i], _services[i], _days[i], seconds[i]);
                (usedAccounts[_accounts[i]], usedServices[_services[i]]) = (true, true);
                r++;
            }
        }

        // As DailyTotalTable.From (the old RepeatTotals) and the aggregator: no tag columns when no total has a tag left.
        var built = tags?.Build();
        return new DailyTotalTable(Compact(_accountNames, usedAccounts, accounts), Compact(_serviceList, usedServices, services), accounts, services, days, kept, built is { } b && b.Start[n] > 0 ? b : null);
    }

    /// <summary>The names still used, in order, with <paramref name="indexes"/> renumbered to them.</summary>
    private static T[] Compact<T>(T[] names, bool[] used, int[] indexes)
    {
        if (!used.Contains(false))
        {
            return names;
        }

        var renumber = new int[names.Length];
        var left = new List<T>();
        for (var i = 0; i < names.Length; i++)
        {
            renumber[i] = used[i] ? left.Count : -1;
            if (used[i])
            {
                left.Add(names[i]);
            }
        }

        for (var r = 0; r < indexes.Length; r++)
        {
            indexes[r] = renumber[indexes[r]];
        }

        return [.. left];
    }

    private static int CompareRows(int accountA, int serviceA, int dayA, int accountB, int serviceB, int dayB) =>
        accountA != accountB ? accountA.CompareTo(accountB) : serviceA != serviceB ? serviceA.CompareTo(serviceB) : dayA.CompareTo(dayB);

    /// <summary>
    /// The tags of a row of one table or both (null adds none), summed by name, in name order: a
    /// merge of two sorted runs, whose ranks map to the union's in the same order.
    /// </summary>
    private static void AddTags(TagColumns.Builder tags, TagColumns? a, int i, int[] toUnionA, TagColumns? b, int j, int[] toUnionB)
    {
        var (k, endA) = a is null ? (0, 0) : (a.Start[i], a.Start[i + 1]);
        var (m, endB) = b is null ? (0, 0) : (b.Start[j], b.Start[j + 1]);
        while (k < endA || m < endB)
        {
            var rankA = k < endA ? toUnionA[a!.Tag[k]] : int.MaxValue;
            var rankB = m < endB ? toUnionB[b!.Tag[m]] : int.MaxValue;
            var seconds = 0L;
            if (rankA <= rankB)
            {
                seconds += a!.Seconds[k++];
            }

            if (rankB <= rankA)
            {
                seconds += b!.Seconds[m++];
            }

            tags.AddRanked(Math.Min(rankA, rankB), seconds);
        }

        tags.EndRow();
    }

    /// <summary>The sorted union of two sorted, distinct arrays, with where each item of either went.</summary>
    private static (T[] Union, int[] FromA, int[] FromB) Union<T>(T[] a, T[] b, Comparison<T> compare)
    {
        var union = new List<T>(a.Length + b.Length);
        var (fromA, fromB) = (new int[a.Length], new int[b.Length]);
        var (i, j) = (0, 0);
        while (i < a.Length || j < b.Length)
        {
            var order = i == a.Length ? 1 : j == b.Length ? -1 : compare(a[i], b[j]);
            if (order <= 0)
            {
                fromA[i++] = union.Count;
            }

            if (order >= 0)
            {
                fromB[j++] = union.Count;
            }

            union.Add(order <= 0 ? a[i - 1] : b[j - 1]);
        }

        return ([.. union], fromA, fromB);
    }

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

    /// <summary>Per-tag seconds in compact form: row r's tags are entries [Start[r], Start[r + 1]), ordered by tag; entries past Start[^1] are unused room.</summary>
    internal sealed class TagColumns(string[] names, int[] start, int[] tag, long[] seconds)
    {
        public string[] Names { get; } = names;

        public int[] Start { get; } = start;

        public int[] Tag { get; } = tag;

        public long[] Seconds { get; } = seconds;

        public ImmutableSortedDictionary<string, long>? At(int row)
        {
            if (Start[row] == Start[row + 1])
            {
                return null;
            }

            var builder = ImmutableSortedDictionary.CreateBuilder<string, long>(StringComparer.Ordinal);
            for (var k = Start[row]; k < Start[row + 1]; k++)
            {
                builder.Add(Names[Tag[k]], Seconds[k]);
            }

            return builder.ToImmutable();
        }

        /// <summary>
        /// Builds tag columns row by row: by name, numbered in order of first use and renumbered by
        /// name at the end, or by rank in names given already sorted.
        /// </summary>
        internal sealed class Builder
        {
            private readonly Dictionary<string, int> _index = new(StringComparer.Ordinal);
            private readonly List<string> _names = [];
            private readonly string[]? _sortedNames;
            private readonly int[] _start;
            private int[] _tag = new int[16];
            private long[] _seconds = new long[16];
            private int _count;
            private int _row;

            public Builder(int rows) => _start = new int[rows + 1];

            /// <summary>A builder for rows given by rank in <paramref name="sortedNames"/> (distinct, ordinal order), with room for <paramref name="tagCapacity"/> entries.</summary>
            public Builder(int rows, string[] sortedNames, int tagCapacity)
                : this(rows)
            {
                _sortedNames = sortedNames;
                (_tag, _seconds) = (new int[Math.Max(tagCapacity, 16)], new long[Math.Max(tagCapacity, 16)]);
            }

            /// <summary>Adds a row whose tags are ranks in the sorted names, in increasing order.</summary>
            public void AddRow(ReadOnlySpan<int> ranks, ReadOnlySpan<long> seconds)
            {
                Reserve(ranks.Length);
                ranks.CopyTo(_tag.AsSpan(_count));
                seconds.CopyTo(_seconds.AsSpan(_count));
                _count += ranks.Length;
                EndRow();
            }

            /// <summary>Adds one tag to the row by rank in the sorted names; ranks come in increasing order.</summary>
            public void AddRanked(int rank, long seconds)
            {
                Reserve(1);
                (_tag[_count], _seconds[_count]) = (rank, seconds);
                _count++;
            }

            public void Add(string name, long seconds)
            {
                ref var index = ref CollectionsMarshal.GetValueRefOrAddDefault(_index, name, out var exists);
                if (!exists)
                {
                    index = _names.Count;
                    _names.Add(name);
                }

                AddRanked(index, seconds);
            }

            public void EndRow() => _start[++_row] = _count;

            public TagColumns Build()
            {
                // Rows given as an upper bound (a merge's) leave room at the end: Start has one entry per row, plus one.
                var start = _start.Length == _row + 1 ? _start : _start[..(_row + 1)];
                Array.Resize(ref _tag, _count);
                Array.Resize(ref _seconds, _count);
                if (_sortedNames is not null)
                {
                    return new TagColumns(_sortedNames, start, _tag, _seconds);
                }

                // Number the names in ordinal order; each row's entries were added in that order already.
                var order = Enumerable.Range(0, _names.Count).OrderBy(i => _names[i], StringComparer.Ordinal).ToArray();
                var rank = new int[order.Length];
                for (var r = 0; r < order.Length; r++)
                {
                    rank[order[r]] = r;
                }

                for (var k = 0; k < _count; k++)
                {
                    _tag[k] = rank[_tag[k]];
                }

                return new TagColumns([.. order.Select(i => _names[i])], start, _tag, _seconds);
            }

            private void Reserve(int more)
            {
                if (_count + more > _tag.Length)
                {
                    var size = Math.Max(_count + more, _tag.Length * 2);
                    Array.Resize(ref _tag, size);
                    Array.Resize(ref _seconds, size);
                }
            }
        }
    }
}
