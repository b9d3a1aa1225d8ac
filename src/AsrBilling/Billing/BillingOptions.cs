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
    {
        if (!Enum.IsDefined(duplicates))
        {
            throw new ArgumentOutOfRangeException(nameof(duplicates), duplicates, "Use DuplicatePolicy.Reject or DuplicatePolicy.Ignore.");
        }

        PriceBook = priceBook ?? PriceBook.TencentCloudInternational;
        Zone = zone ?? ChinaStandardTime;
        Duplicates = duplicates;
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

    /// <summary>Returns these options with another price book.</summary>
    /// <param name="priceBook">The price book.</param>
    /// <returns>New options.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="priceBook"/> is null.</exception>
    public BillingOptions WithPriceBook(PriceBook priceBook)
    {
        ArgumentNullException.ThrowIfNull(priceBook);
        return new(priceBook, Zone, Duplicates);
    }

    /// <summary>Returns these options with another billing zone.</summary>
    /// <param name="zone">The zone, for example <c>DateTimeZoneProviders.Tzdb["America/New_York"]</c>.</param>
    /// <returns>New options.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="zone"/> is null.</exception>
    public BillingOptions WithZone(DateTimeZone zone)
    {
        ArgumentNullException.ThrowIfNull(zone);
        return new(PriceBook, zone, Duplicates);
    }

    /// <summary>Returns these options with another duplicate policy.</summary>
    /// <param name="duplicates">The policy.</param>
    /// <returns>New options.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="duplicates"/> is not a defined value.</exception>
    public BillingOptions WithDuplicates(DuplicatePolicy duplicates) => new(PriceBook, Zone, duplicates);
}
