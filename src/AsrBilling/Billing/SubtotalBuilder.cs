using System.Collections.Immutable;

namespace AsrBilling;

/// <summary>
/// A bill's subtotals per account, service and month, and its totals, in one pass over the charge
/// columns: sums in arrays indexed by the table's account and service numbers, per currency.
/// </summary>
internal sealed class SubtotalBuilder
{
    public SubtotalBuilder(Bill bill)
    {
        var columns = bill.Columns;
        var totals = bill.DailyTotals;
        var currencies = columns.Tables.Select(t => t.Currency).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();
        var currencyOf = columns.Tables.Select(t => Array.IndexOf(currencies, t.Currency)).ToArray();
        var c = currencies.Length;
        var byAccount = new Sums(totals.Accounts.Count * c);
        var byService = new Sums(totals.ServiceCount * c);
        var byTotal = new Sums(c);
        var monthIndex = new Dictionary<int, int>();
        var months = new List<(int Key, string Text)>();
        var byMonth = new Sums(0);
        var month = (FirstDay: 1, EndDay: 0, Index: -1);
        for (var k = 0; k < columns.Count; k++)
        {
            var first = columns.FirstTotal(k);
            var currency = currencyOf[columns.TableTier[k] >> 16];
            var fee = columns.Fees[k];
            var seconds = bill.SecondsOf(k);
            byAccount.Add((totals.AccountIndexAt(first) * c) + currency, fee, seconds);
            byService.Add((totals.ServiceIndexAt(first) * c) + currency, fee, seconds);
            byTotal.Add(currency, fee, seconds);
            var day = totals.EpochDayAt(first);
            if (day < month.FirstDay || day >= month.EndDay)
            {
                var date = DailyTotalTable.DateOf(day);
                var key = (date.Year * 12) + date.Month - 1;
                if (!monthIndex.TryGetValue(key, out var index))
                {
                    index = monthIndex[key] = months.Count;
                    months.Add((key, IsoDate.FormatMonth(date)));
                    byMonth.Grow((months.Count) * c);
                }

                // The month's last day + 1, not the next month's first: 9999-12 has no next month.
                var firstDay = day - date.Day + 1;
                month = (firstDay, firstDay + date.Calendar.GetDaysInMonth(date.Year, date.Month), index);
            }

            byMonth.Add((month.Index * c) + currency, fee, seconds);
        }

        ByAccount = byAccount.ToSubtotals(c, currencies, a => totals.Accounts[a], Enumerable.Range(0, totals.Accounts.Count));
        ByService = byService.ToSubtotals(c, currencies, s => totals.ServiceByIndex(s).Id, Enumerable.Range(0, totals.ServiceCount));
        ByMonth = byMonth.ToSubtotals(c, currencies, m => months[m].Text, Enumerable.Range(0, months.Count).OrderBy(m => months[m].Key));
        Totals = [.. Enumerable.Range(0, c).Where(byTotal.Has).Select(i => Money.Trusted(byTotal.Fee[i], currencies[i]))];
    }

    public ImmutableArray<Subtotal> ByAccount { get; }

    public ImmutableArray<Subtotal> ByService { get; }

    public ImmutableArray<Subtotal> ByMonth { get; }

    public ImmutableArray<Money> Totals { get; }

    private sealed class Sums(int length)
    {
        public decimal[] Fee { get; private set; } = new decimal[length];

        public long[] Seconds { get; private set; } = new long[length];

        public int[] Count { get; private set; } = new int[length];

        public bool Has(int index) => Count[index] > 0;

        public void Add(int index, decimal fee, long seconds)
        {
            Fee[index] += fee;
            Seconds[index] = checked(Seconds[index] + seconds);
            Count[index]++;
        }

        public void Grow(int length)
        {
            if (length > Fee.Length)
            {
                var size = Math.Max(length, Fee.Length * 2);
                Fee = [.. Fee, .. new decimal[size - Fee.Length]];
                Seconds = [.. Seconds, .. new long[size - Seconds.Length]];
                Count = [.. Count, .. new int[size - Count.Length]];
            }
        }

        /// <summary>The subtotals of the keys in order, each key's currencies in ordinal order.</summary>
        public ImmutableArray<Subtotal> ToSubtotals(int currencies, string[] codes, Func<int, string> name, IEnumerable<int> keys)
        {
            var result = ImmutableArray.CreateBuilder<Subtotal>();
            foreach (var key in keys)
            {
                for (var c = 0; c < currencies; c++)
                {
                    var i = (key * currencies) + c;
                    if (Has(i))
                    {
                        result.Add(new Subtotal(name(key), Money.Trusted(Fee[i], codes[c]), Seconds[i], Count[i]));
                    }
                }
            }

            return result.ToImmutable();
        }
    }
}
