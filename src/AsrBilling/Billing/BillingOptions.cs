using System.Collections.Immutable;
using NodaTime;

namespace AsrBilling;

/// <summary>What to do with a usage record whose id was already seen (billing rule 10).</summary>
public enum DuplicatePolicy
{
    /// <summary>Throw <see cref="DuplicateUsageRecordException"/>, naming both occurrences. The default.</summary>
    Reject = 0,

    /// <summary>Keep the first occurrence, skip the rest, and count them in the bill.</summary>
    Ignore = 1,
}

/// <summary>
/// The settings of a billing run: the price book, the zone of the billing day, and the duplicate
/// policy. Immutable; change a setting with a <c>With…</c> method.
/// </summary>
public sealed class BillingOptions
{
    /// <summary>Creates options; every argument is optional.</summary>
    /// <param name="priceBook">The price book. The default is <see cref="PriceBook.TencentCloudInternational"/>.</param>
    /// <param name="zone">The zone whose dates are billing days. The default is <c>Asia/Shanghai</c> (billing rule 6).</param>
    /// <param name="duplicates">The duplicate policy. The default is <see cref="DuplicatePolicy.Reject"/>.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="duplicates"/> is not a defined value.</exception>
    public BillingOptions(PriceBook? priceBook = null, DateTimeZone? zone = null, DuplicatePolicy duplicates = DuplicatePolicy.Reject)
        : this(priceBook, zone, duplicates, ImmutableDictionary<AsrService, decimal>.Empty, ResourcePackList.Empty)
    {
    }

    private BillingOptions(PriceBook? priceBook, DateTimeZone? zone, DuplicatePolicy duplicates, ImmutableDictionary<AsrService, decimal> freeHours, ResourcePackList packs)
    {
        if (!Enum.IsDefined(duplicates))
        {
            throw new ArgumentOutOfRangeException(nameof(duplicates), duplicates, "Use DuplicatePolicy.Reject or DuplicatePolicy.Ignore.");
        }

        PriceBook = priceBook ?? PriceBook.TencentCloudInternational;
        Zone = zone ?? ChinaStandardTime;
        Duplicates = duplicates;
        FreeHours = freeHours;
        CheckPackCurrencies(PriceBook, packs);
        Packs = packs;
    }

    /// <summary>The <c>Asia/Shanghai</c> zone from the TZDB provider: UTC+8, the default billing zone.</summary>
    public static DateTimeZone ChinaStandardTime { get; } = DateTimeZoneProviders.Tzdb["Asia/Shanghai"];

    // Declared after ChinaStandardTime: static initializers run in text order.
    /// <summary>The default options: the built-in book, <c>Asia/Shanghai</c>, and rejecting duplicates.</summary>
    public static BillingOptions Default { get; } = new();

    /// <summary>The price book.</summary>
    /// <value>The default is <see cref="PriceBook.TencentCloudInternational"/>.</value>
    public PriceBook PriceBook { get; }

    /// <summary>The zone whose calendar dates are billing days.</summary>
    /// <value>The default is <c>Asia/Shanghai</c>.</value>
    public DateTimeZone Zone { get; }

    /// <summary>The duplicate policy.</summary>
    /// <value>The default is <see cref="DuplicatePolicy.Reject"/>.</value>
    public DuplicatePolicy Duplicates { get; }

    /// <summary>Free hours per account and calendar month set for this run, by service; they replace the price tables' own.</summary>
    /// <value>The default is empty: each table's <see cref="PriceRules.FreeHoursPerMonth"/> applies.</value>
    public ImmutableDictionary<AsrService, decimal> FreeHours { get; }

    /// <summary>The prepaid packs the run deducts, after the free allowance and before pay-as-you-go (billing rule 11).</summary>
    /// <value>The default is <see cref="ResourcePackList.Empty"/>: every hour beyond the allowance is paid.</value>
    public ResourcePackList Packs { get; }

    /// <summary>
    /// Returns these options with a free monthly allowance for a service, replacing the price
    /// tables' own. Tencent's China site gives 5 h a month of real-time and 10 h of recording-file
    /// recognition, and none for the large-model versions.
    /// </summary>
    /// <param name="service">The service.</param>
    /// <param name="hoursPerMonth">Free hours per account and calendar month; 0 for none.</param>
    /// <returns>New options.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="service"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="hoursPerMonth"/> is negative.</exception>
    public BillingOptions WithFreeAllowance(AsrService service, decimal hoursPerMonth)
    {
        ArgumentNullException.ThrowIfNull(service);
        ArgumentOutOfRangeException.ThrowIfNegative(hoursPerMonth);
        return new(PriceBook, Zone, Duplicates, FreeHours.SetItem(service, hoursPerMonth), Packs);
    }

    /// <summary>
    /// The instants whose billing date in <see cref="Zone"/> the calendar holds (-9998-01-01 to
    /// 9999-12-31). Usage that starts outside cannot be dated: billing refuses it with
    /// <see cref="BillingDateOutOfRangeException"/>. In Asia/Shanghai the interval ends at
    /// 9999-12-31T16:00:00Z, where 10000-01-01 would begin.
    /// </summary>
    /// <value>An interval within <see cref="Instant.MinValue"/> and <see cref="Instant.MaxValue"/>; without an end when it reaches the last instant.</value>
    public Interval BillableStarts
    {
        get
        {
            // Local time is the instant plus the offset: an offset west of UTC at the calendar's start puts
            // the first instants on the day before its first date, one east of UTC at its end after its last.
            var first = Zone.GetUtcOffset(Instant.MinValue);
            var last = Zone.GetUtcOffset(Instant.MaxValue);
            Instant? start = first < Offset.Zero ? Instant.MinValue - Duration.FromSeconds(first.Seconds) : null;
            Instant? end = last > Offset.Zero ? Instant.MaxValue - Duration.FromSeconds(last.Seconds) + Duration.Epsilon : null;
            return new Interval(start, end);
        }
    }

    /// <summary>The free hours a month for a service: this run's, else the table's.</summary>
    internal decimal FreeHoursPerMonth(AsrService service, PriceTable table) =>
        FreeHours.TryGetValue(service, out var hours) ? hours : table.Rules.FreeHoursPerMonth;

    /// <summary>Returns these options with another price book.</summary>
    /// <param name="priceBook">The price book.</param>
    /// <returns>New options.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="priceBook"/> is null.</exception>
    /// <exception cref="ArgumentException">A pack of <see cref="Packs"/> has a price in another currency than the book prices its service in.</exception>
    public BillingOptions WithPriceBook(PriceBook priceBook)
    {
        ArgumentNullException.ThrowIfNull(priceBook);
        return new(priceBook, Zone, Duplicates, FreeHours, Packs);
    }

    /// <summary>
    /// Returns these options with prepaid packs, which bills deduct per account, service and tier window,
    /// in date order: the free allowance first, then the packs valid on each date (the one that expires
    /// first goes first, ties in list order), then pay-as-you-go (billing rule 11).
    /// </summary>
    /// <param name="packs">The packs, for example from <see cref="ResourcePackJson.Load(string, PriceBook)"/>; <see cref="ResourcePackList.Empty"/> for none.</param>
    /// <returns>New options.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="packs"/> is null.</exception>
    /// <exception cref="ArgumentException">A pack has a price in another currency than <see cref="PriceBook"/> prices its service in; the message names the pack and its position.</exception>
    public BillingOptions WithPacks(ResourcePackList packs)
    {
        ArgumentNullException.ThrowIfNull(packs);
        return new(PriceBook, Zone, Duplicates, FreeHours, packs);
    }

    /// <summary>Returns these options with another billing zone.</summary>
    /// <param name="zone">The zone, for example <c>DateTimeZoneProviders.Tzdb["America/New_York"]</c>.</param>
    /// <returns>New options.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="zone"/> is null.</exception>
    public BillingOptions WithZone(DateTimeZone zone)
    {
        ArgumentNullException.ThrowIfNull(zone);
        return new(PriceBook, zone, Duplicates, FreeHours, Packs);
    }

    /// <summary>Returns these options with another duplicate policy.</summary>
    /// <param name="duplicates">The policy.</param>
    /// <returns>New options.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="duplicates"/> is not a defined value.</exception>
    public BillingOptions WithDuplicates(DuplicatePolicy duplicates) => new(PriceBook, Zone, duplicates, FreeHours, Packs);

    /// <summary>A priced pack's currency is its service's: what its expired hours were worth is then comparable with the bill.</summary>
    private static void CheckPackCurrencies(PriceBook book, ResourcePackList packs)
    {
        for (var i = 0; i < packs.Count; i++)
        {
            var pack = packs[i];
            if (pack.Price is not { } price)
            {
                continue;
            }

            var other = book.Tables.FirstOrDefault(t => t.Service == pack.Service && t.Currency != price.Currency);
            if (other is not null)
            {
                throw new ArgumentException(
                    $"The pack '{pack.Id}' (packs[{i}]) is priced in {price.Currency}, but the price book '{book.Name}' prices {pack.Service.Id} in {other.Currency}; give the pack's price in {other.Currency}.",
                    nameof(packs));
            }
        }
    }
}
