
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
        return Bill(aggregator.ToDailyTotalTable(), options, aggregator.RecordsRead, aggregator.DuplicatesIgnored);
    }

    /// <summary>Bills daily totals with <see cref="BillingOptions.Default"/>; totals with the same key are merged first.</summary>
    /// <param name="totals">The daily totals, in any order.</param>
    /// <returns>The bill.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="totals"/> or an item is null.</exception>
    /// <exception cref="UsageOverflowException">A merged total exceeds <see cref="long.MaxValue"/> seconds.</exception>
    /// <exception cref="PriceNotFoundException">A billing date is before the earliest price version.</exception>
    public static Bill Compute(IEnumerable<DailyTotal> totals) => Compute(totals, BillingOptions.Default);

    /// <summary>
    /// Bills daily totals, for example totals that another engine computed, or a
    /// <see cref="DailyTotalTable"/> from an aggregator or a CSV reader, which is priced as it is.
    /// Totals with the same account, service and date are merged (added) first.
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
        return Bill(DailyTotalTable.From(totals), options ?? BillingOptions.Default, 0, 0);
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

    /// <summary>Prices a table of merged daily totals in bulk (see <see cref="BillPricer"/>).</summary>
    private static Bill Bill(DailyTotalTable totals, BillingOptions options, long recordsRead, long duplicatesIgnored) =>
        new(totals, BillPricer.Price(totals, options), options, recordsRead, duplicatesIgnored);
}
