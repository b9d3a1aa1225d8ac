namespace AsrBilling.Cli.Output;

/// <summary>
/// A bill's charges folded into one line per account, service, calendar month and currency, in the
/// bill's order (that of a grouping by those keys in order of first appearance). The charges come
/// ordered by account, service and date, so each month is a run of them, found on all cores; only a
/// month whose charges change currency is regrouped, by currency in order of first appearance.
/// </summary>
internal sealed class MonthLines
{
    // Below this many charges the runs are found on one thread: a task costs more than the scan.
    private const int ParallelCharges = 1 << 14;

    private readonly BillChargeList _charges;

    // Line l is positions [_starts[l], _starts[l + 1]) of the order.
    private readonly int[] _starts;

    // The charges' order, where a month mixes currencies; null: the bill's own.
    private readonly int[]? _order;

    public MonthLines(Bill bill)
    {
        _charges = bill.Charges;
        var count = _charges.Count;
        var found = Ranges.Map(count, ParallelCharges, (from, to) =>
        {
            var starts = new List<(int At, bool SameMonth)>();
            var previous = from > 0 ? _charges[from - 1] : null;
            for (var i = from; i < to; i++)
            {
                var charge = _charges[i];
                if (previous is null || !SameMonth(previous, charge))
                {
                    starts.Add((i, false));
                }
                else if (!string.Equals(previous.Fee.Currency, charge.Fee.Currency, StringComparison.Ordinal))
                {
                    starts.Add((i, true));
                }

                previous = charge;
            }

            return starts;
        });

        var runs = found.SelectMany(f => f).ToList();
        runs.Add((count, false));
        if (!runs.Any(r => r.SameMonth))
        {
            _starts = [.. runs.Select(r => r.At)];
            return;
        }

        // A month with runs of several currencies: its charges grouped by currency, first seen first.
        var order = _order = [.. Enumerable.Range(0, count)];
        var lineStarts = new List<int>();
        for (var m = 0; m + 1 < runs.Count;)
        {
            var end = m + 1;
            while (runs[end].SameMonth)
            {
                end++;
            }

            if (end == m + 1)
            {
                lineStarts.Add(runs[m].At);
            }
            else
            {
                var groups = Enumerable.Range(runs[m].At, runs[end].At - runs[m].At).GroupBy(i => _charges[i].Fee.Currency, StringComparer.Ordinal);
                var at = runs[m].At;
                foreach (var group in groups)
                {
                    lineStarts.Add(at);
                    foreach (var i in group)
                    {
                        order[at++] = i;
                    }
                }
            }

            m = end;
        }

        lineStarts.Add(count);
        _starts = [.. lineStarts];
    }

    /// <summary>How many lines there are.</summary>
    public int Count => _starts.Length - 1;

    /// <summary>How many charges (days, or months of a monthly tier) a line holds.</summary>
    public int DayCount(int line) => _starts[line + 1] - _starts[line];

    /// <summary>A line's charges, in order.</summary>
    public IEnumerable<BillCharge> Days(int line)
    {
        for (var k = _starts[line]; k < _starts[line + 1]; k++)
        {
            yield return _charges[_order?[k] ?? k];
        }
    }

    /// <summary>A line's keys and sums; the seconds that the allowance and packs covered only when <paramref name="packs"/>.</summary>
    public MonthLine Line(int line, bool packs)
    {
        var first = _charges[_order?[_starts[line]] ?? _starts[line]];
        long seconds = 0, packSeconds = 0;
        decimal fee = 0, allowance = 0;
        foreach (var charge in Days(line))
        {
            seconds += charge.BillableSeconds;
            fee += charge.Fee.Amount;
            if (packs)
            {
                allowance += charge.AllowanceSeconds;
                packSeconds += charge.PackSeconds;
            }
        }

        return new MonthLine(first, IsoDate.FormatMonth(first.Date), seconds, new Money(fee, first.Fee.Currency), allowance, packSeconds, DayCount(line));
    }

    private static bool SameMonth(BillCharge a, BillCharge b)
    {
        var (x, y) = (a.Date, b.Date);
        return x.Year == y.Year && x.Month == y.Month && x.Calendar == y.Calendar
            && string.Equals(a.Account, b.Account, StringComparison.Ordinal) && a.Service == b.Service;
    }
}

/// <summary>One line of a statement: its first charge (whose account and service it has), its period, sums and number of charges.</summary>
internal sealed record MonthLine(BillCharge First, string Date, long BillableSeconds, Money Fee, decimal AllowanceSeconds, long PackSeconds, int DayCount)
{
    public string Account => First.Account;

    public AsrService Service => First.Service;

    /// <summary>A daily line: one charge.</summary>
    public static MonthLine Daily(BillCharge charge, bool packs) =>
        new(charge, charge.Period, charge.BillableSeconds, charge.Fee, packs ? charge.AllowanceSeconds : 0, packs ? charge.PackSeconds : 0, 1);
}
