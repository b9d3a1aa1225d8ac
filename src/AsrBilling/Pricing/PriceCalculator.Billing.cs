using System.Collections.Immutable;
using NodaTime;

namespace AsrBilling;

/// <content>Billing usage records and daily totals.</content>
public static partial class PriceCalculator
{
    /// <summary>Bills usage records with <see cref="BillingOptions.Default"/>: the built-in book, Asia/Shanghai billing days, duplicates rejected.</summary>
    /// <param name="records">The usage records, in any order.</param>
    /// <returns>The bill.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="records"/> is null.</exception>
    /// <exception cref="ArgumentException">A record has no service.</exception>
    /// <exception cref="DuplicateUsageRecordException">An id repeats.</exception>
    /// <exception cref="UsageOverflowException">A day's total exceeds <see cref="long.MaxValue"/> seconds.</exception>
    /// <exception cref="PriceNotFoundException">A billing date is before the earliest price version.</exception>
    public static Bill Compute(IEnumerable<UsageRecord> records) => Compute(records, BillingOptions.Default);

    /// <summary>
    /// Bills usage records: rounds each up to whole seconds, sums them per account, service and
    /// billing date in the billing zone, and prices each day with the version in force on it.
    /// </summary>
    /// <param name="records">The usage records, in any order.</param>
    /// <param name="options">Price book, zone and duplicate policy; null for <see cref="BillingOptions.Default"/>.</param>
    /// <returns>The bill.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="records"/> is null.</exception>
    /// <exception cref="ArgumentException">A record has no service.</exception>
    /// <exception cref="DuplicateUsageRecordException">An id repeats and duplicates are rejected.</exception>
    /// <exception cref="UsageOverflowException">A day's total exceeds <see cref="long.MaxValue"/> seconds.</exception>
    /// <exception cref="PriceNotFoundException">A billing date is before the earliest price version, or a service has no prices.</exception>
    public static Bill Compute(IEnumerable<UsageRecord> records, BillingOptions? options)
    {
        ArgumentNullException.ThrowIfNull(records);
        options ??= BillingOptions.Default;
        var aggregator = new UsageAggregator(options);
        aggregator.AddRange(records);
        return Bill(aggregator.ToDailyTotals(), options, aggregator.RecordsRead, aggregator.DuplicatesIgnored);
    }

    /// <summary>Bills daily totals with <see cref="BillingOptions.Default"/>; totals with the same key are merged first.</summary>
    /// <param name="totals">The daily totals, in any order.</param>
    /// <returns>The bill.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="totals"/> or an item is null.</exception>
    /// <exception cref="UsageOverflowException">A merged total exceeds <see cref="long.MaxValue"/> seconds.</exception>
    /// <exception cref="PriceNotFoundException">A billing date is before the earliest price version.</exception>
    public static Bill Compute(IEnumerable<DailyTotal> totals) => Compute(totals, BillingOptions.Default);

    /// <summary>
    /// Bills daily totals, for example totals that another engine computed. Totals with the same
    /// account, service and date are merged (added) first.
    /// </summary>
    /// <param name="totals">The daily totals, in any order.</param>
    /// <param name="options">Price book and zone; null for <see cref="BillingOptions.Default"/>.</param>
    /// <returns>The bill.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="totals"/> or an item is null.</exception>
    /// <exception cref="UsageOverflowException">A merged total exceeds <see cref="long.MaxValue"/> seconds.</exception>
    /// <exception cref="PriceNotFoundException">A billing date is before the earliest price version, or a service has no prices.</exception>
    public static Bill Compute(IEnumerable<DailyTotal> totals, BillingOptions? options)
    {
        ArgumentNullException.ThrowIfNull(totals);
        return Bill(DailyTotal.Combine(totals), options ?? BillingOptions.Default, 0, 0);
    }

    /// <summary>Prices one daily total with the built-in version in force on its date.</summary>
    /// <param name="total">The daily total.</param>
    /// <returns>The charge: seconds × unit price ÷ 3600, multiplied first, rounded once to cents.</returns>
    /// <exception cref="ArgumentException"><paramref name="total"/> is <c>default(DailyTotal)</c>.</exception>
    /// <exception cref="PriceNotFoundException">The date is before the earliest price version.</exception>
    public static Charge Compute(DailyTotal total) => Compute(total, PriceBook.TencentCloudInternational);

    /// <summary>Prices one daily total with the version of a book in force on its date.</summary>
    /// <param name="total">The daily total.</param>
    /// <param name="book">The price book; null for <see cref="PriceBook.TencentCloudInternational"/>.</param>
    /// <returns>The charge: seconds × unit price ÷ 3600, multiplied first, rounded once to cents.</returns>
    /// <exception cref="ArgumentException"><paramref name="total"/> is <c>default(DailyTotal)</c>.</exception>
    /// <exception cref="PriceNotFoundException">The date is before the earliest price version, or the service has no prices.</exception>
    public static Charge Compute(DailyTotal total, PriceBook? book)
    {
        if (total.Service is null)
        {
            throw new ArgumentException("A default(DailyTotal) has no service and cannot be priced.", nameof(total));
        }

        return PriceSeconds((book ?? PriceBook.TencentCloudInternational).GetTable(total.Service, total.Date), total.BillableSeconds);
    }

    /// <summary>
    /// Prices merged daily totals (ordered by account, service and date). Each day takes the version
    /// in force on it. A day of a table with a daily window is one charge; the days of one calendar
    /// month priced by one version of a table with a monthly window are one charge. A free monthly
    /// allowance is used up in date order, first, per account, service and month.
    /// </summary>
    private static Bill Bill(ImmutableArray<DailyTotal> totals, BillingOptions options, long recordsRead, long duplicatesIgnored)
    {
        var book = options.PriceBook;
        var charges = ImmutableArray.CreateBuilder<BillCharge>(totals.Length);
        var allowance = (Key: (Account: (string?)null, Service: (AsrService?)null, Month: default(YearMonth)), Left: 0m);
        for (var i = 0; i < totals.Length;)
        {
            var first = totals[i];
            var table = book.GetTable(first.Service, first.Date);
            var end = i + 1;
            if (table.Rules.Window == TierWindow.Month)
            {
                while (end < totals.Length && SameMonthWindow(totals[end], first, book, table))
                {
                    end++;
                }
            }

            var month = first.Date.ToYearMonth();
            if (allowance.Key != (first.Account, first.Service, month))
            {
                allowance = ((first.Account, first.Service, month), options.FreeHoursPerMonth(first.Service, table) * SecondsPerHour);
            }

            var days = totals[i..end];
            var seconds = SumSeconds(days);
            var covered = Math.Min(allowance.Left, seconds);
            allowance.Left -= covered;
            charges.Add(new BillCharge(first.Account, first.Service, table.Rules.Window, days, PriceSeconds(table, seconds, covered)));
            i = end;
        }

        return new Bill(charges.ToImmutable(), options, recordsRead, duplicatesIgnored);
    }

    private static bool SameMonthWindow(DailyTotal day, DailyTotal first, PriceBook book, PriceTable table) =>
        string.Equals(day.Account, first.Account, StringComparison.Ordinal) && day.Service == first.Service
        && day.Date.ToYearMonth() == first.Date.ToYearMonth() && ReferenceEquals(book.GetTable(day.Service, day.Date), table);

    private static long SumSeconds(ImmutableArray<DailyTotal> days)
    {
        long sum = 0;
        foreach (var day in days)
        {
            try
            {
                sum = checked(sum + day.BillableSeconds);
            }
            catch (OverflowException e)
            {
                throw new UsageOverflowException(day.Account, day.Service.Id, day.Date, e);
            }
        }

        return sum;
    }
}
