namespace AsrBilling;

// Adding tables: a merge of sorted columns, names and tags mapped to their union.
public sealed partial class DailyTotalTable
{
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
}
