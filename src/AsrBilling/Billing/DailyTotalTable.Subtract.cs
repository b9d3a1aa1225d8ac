namespace AsrBilling;

// Taking usage out of a table in one ordered pass, leaving out what it brings to 0 s.
public sealed partial class DailyTotalTable
{
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
}
