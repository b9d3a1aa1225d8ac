using System.Collections.Immutable;
using System.Globalization;
using System.Runtime.CompilerServices;

namespace AsrBilling;

/// <summary>
/// A bill's subtotals per account, service and month, and its totals, in one pass over the charge
/// columns: sums in arrays indexed by the table's account and service numbers, per currency.
/// </summary>
internal sealed class SubtotalBuilder
{
    // Below this many charges one thread sums them: a task costs more than the work.
    private const int ParallelCharges = 1 << 15;

    public SubtotalBuilder(Bill bill)
    {
        var columns = bill.Columns;
        var totals = bill.DailyTotals;
        var currencies = columns.Tables.Select(t => t.Currency).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();
        var currencyOf = columns.Tables.Select(t => Array.IndexOf(currencies, t.Currency)).ToArray();
        var c = currencies.Length;

        // Ranges of charges on all cores, split where the account changes: each writes its accounts' sums
        // alone, and sums of its own per service, month and currency, which are added together after.
        var count = columns.Count;
        var rangeCount = count < ParallelCharges ? 1 : 4 * Environment.ProcessorCount;
        var bounds = new int[rangeCount + 1];
        for (var r = 1; r < rangeCount; r++)
        {
            var at = Math.Max(bounds[r - 1], (int)((long)count * r / rangeCount));
            while (at > 0 && at < count && totals.AccountIndexAt(columns.FirstTotal(at)) == totals.AccountIndexAt(columns.FirstTotal(at - 1)))
            {
                at++;
            }

            bounds[r] = at;
        }

        bounds[rangeCount] = count;
        var byAccount = new Sums(totals.Accounts.Count * c, i => $"account '{totals.Accounts[i / c]}'");
        var parts = new RangeSums[rangeCount];
        var failures = new Exception?[rangeCount];
        Parallel.For(0, rangeCount, r =>
        {
            try
            {
                parts[r] = new RangeSums(bill, currencyOf, c, byAccount, bounds[r], bounds[r + 1]);
            }
            catch (OverflowException e)
            {
                failures[r] = e;
            }
        });

        // A sum past its type's range throws as a sum in charge order would: the first range's overflow, unwrapped.
        if (failures.FirstOrDefault(f => f is not null) is { } failure)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(failure).Throw();
        }

        // Months keep the order of their keys; the sums of a key are exact in any order.
        var (byService, byTotal) = ServiceAndTotalSums(totals, c);
        var monthKeys = parts.SelectMany(p => p.Months).Select(m => m.Key).Distinct().Order().ToList();
        var monthTexts = parts.SelectMany(p => p.Months).DistinctBy(m => m.Key).ToDictionary(m => m.Key, m => m.Text);
        var byMonth = new Sums(monthKeys.Count * c, i => $"month {monthTexts[monthKeys[i / c]]}");
        foreach (var part in parts)
        {
            byService.AddAll(part.ByService);
            byTotal.AddAll(part.ByTotal);
            for (var m = 0; m < part.Months.Count; m++)
            {
                var at = monthKeys.BinarySearch(part.Months[m].Key);
                for (var k = 0; k < c; k++)
                {
                    byMonth.AddFrom((at * c) + k, part.ByMonth, (m * c) + k);
                }
            }
        }

        ByAccount = byAccount.ToSubtotals(c, currencies, a => totals.Accounts[a], totals.Accounts.Count);
        ByService = byService.ToSubtotals(c, currencies, s => totals.ServiceByIndex(s).Id, totals.ServiceCount);
        ByMonth = byMonth.ToSubtotals(c, currencies, m => monthTexts[monthKeys[m]], monthKeys.Count);
        Totals = [.. Enumerable.Range(0, c).Where(byTotal.Has).Select(i => Money.Trusted(byTotal.Fee[i], currencies[i]))];
    }

    public ImmutableArray<Subtotal> ByAccount { get; }

    public ImmutableArray<Subtotal> ByService { get; }

    public ImmutableArray<Subtotal> ByMonth { get; }

    public ImmutableArray<Money> Totals { get; }

    /// <summary>Empty sums per (service, currency) and per currency, for <paramref name="c"/> currencies.</summary>
    private static (Sums ByService, Sums ByTotal) ServiceAndTotalSums(DailyTotalTable totals, int c) =>
        (new Sums(totals.ServiceCount * c, i => $"service {totals.ServiceByIndex(i / c).Id}"), new Sums(c, _ => "the bill"));

    /// <summary>The sums of charges [from, to): its accounts' into the shared sums (no other range has them), the rest its own.</summary>
    private sealed class RangeSums
    {
        // Fully optimized at its first call: run a few times per bill, its loop would stay in precompiled code.
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public RangeSums(Bill bill, int[] currencyOf, int c, Sums byAccount, int from, int to)
        {
            var columns = bill.Columns;
            var totals = bill.DailyTotals;
            (ByService, ByTotal) = ServiceAndTotalSums(totals, c);
            ByMonth = new Sums(0, i => $"month {Months[i / c].Text}");
            var monthIndex = new Dictionary<int, int>();
            var month = (FirstDay: 1, EndDay: 0, Index: -1);
            for (var k = from; k < to; k++)
            {
                var first = columns.FirstTotal(k);
                var currency = currencyOf[columns.TableTier[k] >> 16];
                var fee = columns.Fees[k];
                var seconds = bill.SecondsOf(k);
                byAccount.Add((totals.AccountIndexAt(first) * c) + currency, fee, seconds);
                ByService.Add((totals.ServiceIndexAt(first) * c) + currency, fee, seconds);
                ByTotal.Add(currency, fee, seconds);
                var day = totals.EpochDayAt(first);
                if (day < month.FirstDay || day >= month.EndDay)
                {
                    var date = DailyTotalTable.DateOf(day);
                    var key = (date.Year * 12) + date.Month - 1;
                    if (!monthIndex.TryGetValue(key, out var index))
                    {
                        index = monthIndex[key] = Months.Count;
                        Months.Add((key, IsoDate.FormatMonth(date)));
                        ByMonth.Grow(Months.Count * c);
                    }

                    // The month's last day + 1, not the next month's first: 9999-12 has no next month.
                    var firstDay = day - date.Day + 1;
                    month = (firstDay, firstDay + date.Calendar.GetDaysInMonth(date.Year, date.Month), index);
                }

                ByMonth.Add((month.Index * c) + currency, fee, seconds);
            }
        }

        public Sums ByService { get; }

        public Sums ByTotal { get; }

        /// <summary>The months met, by index in <see cref="ByMonth"/>: key (year × 12 + month − 1) and text.</summary>
        public List<(int Key, string Text)> Months { get; } = [];

        public Sums ByMonth { get; }
    }

    /// <summary>Sums by index; <paramref name="describe"/> names an index's key in an overflow's message.</summary>
    private sealed class Sums(int length, Func<int, string> describe)
    {
        public decimal[] Fee { get; private set; } = new decimal[length];

        public long[] Seconds { get; private set; } = new long[length];

        public int[] Count { get; private set; } = new int[length];

        public bool Has(int index) => Count[index] > 0;

        public void Add(int index, decimal fee, long seconds)
        {
            (Fee[index], Seconds[index]) = Sum(index, Fee[index], fee, Seconds[index], seconds);
            Count[index]++;
        }

        /// <summary>Adds another range's sums, index for index.</summary>
        public void AddAll(Sums other)
        {
            for (var i = 0; i < other.Count.Length; i++)
            {
                AddFrom(i, other, i);
            }
        }

        /// <summary>Adds another range's sums at <paramref name="from"/> to this one's at <paramref name="index"/>.</summary>
        public void AddFrom(int index, Sums other, int from)
        {
            if (other.Count[from] > 0)
            {
                (Fee[index], Seconds[index]) = Sum(index, Fee[index], other.Fee[from], Seconds[index], other.Seconds[from]);
                Count[index] += other.Count[from];
            }
        }

        /// <summary>Two fees and two counts of seconds added; seconds past a long's range throw an overflow that names the key.</summary>
        [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
        private (decimal Fee, long Seconds) Sum(int index, decimal fee, decimal moreFee, long seconds, long moreSeconds)
        {
            // Both are non-negative: a wrapped sum is negative. A test, not a try block, keeps the loop's registers.
            var sum = unchecked(seconds + moreSeconds);
            return sum >= 0 ? (fee + moreFee, sum) : throw Overflow(index);
        }

        private OverflowException Overflow(int index) =>
            new(string.Create(CultureInfo.InvariantCulture, $"The billable seconds of {describe(index)} add up past what a bill can hold ({long.MaxValue} s)."));

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
        public ImmutableArray<Subtotal> ToSubtotals(int currencies, string[] codes, Func<int, string> name, int keys)
        {
            // Sized for a subtotal per key and currency: grown by doubling, a list of many accounts took a copy per step.
            var result = ImmutableArray.CreateBuilder<Subtotal>(keys * currencies);
            for (var key = 0; key < keys; key++)
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

            return result.DrainToImmutable();
        }
    }
}
