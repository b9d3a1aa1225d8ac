using System.Collections.Immutable;
using NodaTime;

namespace AsrBilling;

/// <summary>
/// Deducts prepaid packs from a bill's charges while they are priced, and keeps what each charge took
/// from each pack (billing rule 11). Built only when the options hold packs, so a bill without packs
/// pays nothing for them.
/// </summary>
/// <remarks>
/// Charges arrive in the bill's order: account, service, date. Within a charge the days go in date
/// order, and each day's seconds go first to the free allowance (the charge's allowance, taken from
/// its first days), then to the packs of that account and service valid on that day, the one that
/// expires first first (ties in list order), in whole seconds; a monthly window is thus deducted day by
/// day, and a pack that expires mid-month covers only its days. Read-only once pricing is done.
/// </remarks>
internal sealed class PackDeduction
{
    private readonly ResourcePackList _packs;
    private readonly long[] _left;
    private readonly int[] _from;
    private readonly int[] _to;
    private readonly Dictionary<(string Account, AsrService Service), int[]> _order = [];
    private readonly List<(YearMonth Month, long Seconds)>[] _months;

    // What each charge took, in charge order: (charge, pack, seconds).
    private readonly List<int> _charge = [];
    private readonly List<int> _pack = [];
    private readonly List<long> _seconds = [];

    private (int Account, int Service) _group = (-1, -1);
    private int[] _current = [];

    public PackDeduction(ResourcePackList packs)
    {
        _packs = packs;
        _left = new long[packs.Count];
        _from = new int[packs.Count];
        _to = new int[packs.Count];
        _months = new List<(YearMonth, long)>[packs.Count];
        for (var p = 0; p < packs.Count; p++)
        {
            _left[p] = packs[p].Seconds;
            _from[p] = DailyTotalTable.EpochDay(packs[p].ValidFrom);
            _to[p] = DailyTotalTable.EpochDay(packs[p].ValidTo);
            _months[p] = [];
        }

        foreach (var group in Enumerable.Range(0, packs.Count).GroupBy(p => (packs[p].Account, packs[p].Service)))
        {
            // The one that expires first goes first; OrderBy is stable, so ties keep list order.
            _order[group.Key] = [.. group.OrderBy(p => _to[p])];
        }
    }

    /// <summary>
    /// Deducts packs from the days [<paramref name="first"/>, <paramref name="end"/>) of one charge, whose
    /// free allowance covers <paramref name="allowance"/> seconds, and returns the seconds the packs covered.
    /// </summary>
    public long Deduct(DailyTotalTable totals, int first, int end, decimal allowance, int charge)
    {
        var group = (totals.AccountIndexAt(first), totals.ServiceIndexAt(first));
        if (group != _group)
        {
            _group = group;
            _current = _order.GetValueOrDefault((totals.AccountAt(first), totals.ServiceAt(first)), []);
        }

        if (_current.Length == 0)
        {
            return 0;
        }

        var free = allowance;
        var covered = 0L;
        var entries = _charge.Count;
        for (var i = first; i < end; i++)
        {
            var seconds = totals.SecondsAt(i);
            var allowed = Math.Min(free, seconds);
            free -= allowed;

            // Packs hold whole seconds: a fraction of a second that the allowance left is paid.
            var need = (long)decimal.Floor(seconds - allowed);
            var day = totals.EpochDayAt(i);
            foreach (var p in _current)
            {
                if (need == 0)
                {
                    break;
                }

                if (_left[p] == 0 || day < _from[p] || day > _to[p])
                {
                    continue;
                }

                var take = Math.Min(_left[p], need);
                _left[p] -= take;
                need -= take;
                covered += take;
                Record(charge, p, take, entries);
                AddMonth(p, day, take);
            }
        }

        return covered;
    }

    /// <summary>What one charge took from each pack, in the order the packs were used.</summary>
    public ImmutableArray<PackCoverage> Coverage(int charge)
    {
        var start = FirstEntry(charge);
        var builder = ImmutableArray.CreateBuilder<PackCoverage>();
        for (var k = start; k < _charge.Count && _charge[k] == charge; k++)
        {
            builder.Add(new PackCoverage(_packs[_pack[k]], _seconds[k]));
        }

        return builder.ToImmutable();
    }

    /// <summary>The seconds one charge took from packs.</summary>
    public long SecondsOf(int charge)
    {
        var sum = 0L;
        for (var k = FirstEntry(charge); k < _charge.Count && _charge[k] == charge; k++)
        {
            sum += _seconds[k];
        }

        return sum;
    }

    /// <summary>One report per pack, in list order, as of the end of the month of <paramref name="lastDay"/> (null: no usage).</summary>
    public ImmutableArray<PackReport> Reports(LocalDate? lastDay)
    {
        LocalDate? asOf = lastDay is { } d ? d.With(DateAdjusters.EndOfMonth) : null;
        var builder = ImmutableArray.CreateBuilder<PackReport>(_packs.Count);
        for (var p = 0; p < _packs.Count; p++)
        {
            var months = ImmutableSortedDictionary.CreateBuilder<YearMonth, long>();
            foreach (var (month, seconds) in _months[p])
            {
                months[month] = seconds;
            }

            builder.Add(new PackReport(_packs[p], months.ToImmutable(), asOf));
        }

        return builder.MoveToImmutable();
    }

    /// <summary>Adds seconds to a charge's entry for a pack, merging the days of a monthly window.</summary>
    private void Record(int charge, int pack, long seconds, int entries)
    {
        for (var k = entries; k < _charge.Count; k++)
        {
            if (_pack[k] == pack)
            {
                _seconds[k] += seconds;
                return;
            }
        }

        _charge.Add(charge);
        _pack.Add(pack);
        _seconds.Add(seconds);
    }

    /// <summary>Adds seconds to a pack's month; a pack's days come in date order, so its last month is the one to add to.</summary>
    private void AddMonth(int pack, int epochDay, long seconds)
    {
        var date = DailyTotalTable.DateOf(epochDay);
        var month = new YearMonth(date.Year, date.Month);
        var months = _months[pack];
        if (months.Count > 0 && months[^1].Month == month)
        {
            months[^1] = (month, months[^1].Seconds + seconds);
        }
        else
        {
            months.Add((month, seconds));
        }
    }

    /// <summary>The first entry of a charge (or where it would be): the entries are in charge order.</summary>
    private int FirstEntry(int charge)
    {
        var (lo, hi) = (0, _charge.Count);
        while (lo < hi)
        {
            var mid = (lo + hi) >>> 1;
            if (_charge[mid] < charge)
            {
                lo = mid + 1;
            }
            else
            {
                hi = mid;
            }
        }

        return lo;
    }
}
