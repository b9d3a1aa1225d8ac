using System.Globalization;
using NodaTime;

namespace AsrBilling;

/// <summary>
/// A prepaid resource pack: a number of hours of one service, for one account, usable on the billing
/// dates from <see cref="ValidFrom"/> to <see cref="ValidTo"/>, both included (billing rule 11).
/// </summary>
/// <remarks>
/// <para>
/// Immutable and validated when built. A pack holds a whole number of seconds
/// (<see cref="Seconds"/>), because billable time is whole seconds (billing rule 4): hours whose
/// seconds are not whole, such as 0.0001 h (0.36 s), are refused rather than rounded. As hours are a
/// <see cref="decimal"/>, whole-second hours are those whose seconds are a multiple of 9 (0.0025 h = 9 s);
/// packs are sold in whole hours.
/// </para>
/// <para>
/// Two packs are equal when every field is: id and account by ordinal comparison, hours and price
/// numerically (1000 h equals 1000.0 h).
/// </para>
/// </remarks>
public sealed class ResourcePack : IEquatable<ResourcePack>
{
    private const long SecondsPerHour = 3600;

    /// <summary>Creates a pack.</summary>
    /// <param name="id">The pack's id, unique in its list, for example <c>rt-1000</c>; not blank.</param>
    /// <param name="service">The one service whose usage the pack covers.</param>
    /// <param name="hours">The hours the pack holds: more than 0, a whole number of seconds (a multiple of 1/3600 h).</param>
    /// <param name="validFrom">The first billing date on which the pack can be used.</param>
    /// <param name="validTo">The last billing date on which the pack can be used (inclusive); not before <paramref name="validFrom"/>.</param>
    /// <param name="price">What the pack cost, if known; not negative.</param>
    /// <param name="account">The account whose usage the pack covers; null or empty for the default account.</param>
    /// <exception cref="ArgumentNullException"><paramref name="id"/> or <paramref name="service"/> is null.</exception>
    /// <exception cref="ArgumentException">
    /// <paramref name="id"/> is blank; a date is not in the ISO calendar; <paramref name="hours"/> is not a whole number
    /// of seconds; or <paramref name="validTo"/> is before <paramref name="validFrom"/>.
    /// </exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="hours"/> is not positive or its seconds exceed <see cref="long.MaxValue"/>, or <paramref name="price"/> is negative.</exception>
    public ResourcePack(string id, AsrService service, decimal hours, LocalDate validFrom, LocalDate validTo, Money? price = null, string? account = null)
    {
        ArgumentNullException.ThrowIfNull(id);
        ArgumentNullException.ThrowIfNull(service);
        if (string.IsNullOrWhiteSpace(id))
        {
            throw new ArgumentException("A pack id should not be blank.", nameof(id));
        }

        Seconds = ToSeconds(hours);
        CheckIso(validFrom, nameof(validFrom));
        CheckIso(validTo, nameof(validTo));
        if (validTo < validFrom)
        {
            throw new ArgumentException(
                $"The last valid date should not be before the first, but {IsoDate.Format(validTo)} is before {IsoDate.Format(validFrom)}.", nameof(validTo));
        }

        if (price is { } p && p.Amount < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(price), p, $"A pack's price should not be negative, but was {p}.");
        }

        Id = id;
        Service = service;
        Hours = hours;
        ValidFrom = validFrom;
        ValidTo = validTo;
        Price = price;
        Account = account ?? string.Empty;
    }

    /// <summary>The pack's id, unique in its <see cref="ResourcePackList"/>.</summary>
    public string Id { get; }

    /// <summary>The one service whose usage the pack covers.</summary>
    public AsrService Service { get; }

    /// <summary>The hours the pack holds when bought, as given: more than 0, a whole number of seconds.</summary>
    public decimal Hours { get; }

    /// <summary>The pack's hours in seconds, exactly: <see cref="Hours"/> × 3600.</summary>
    public long Seconds { get; }

    /// <summary>The first billing date on which the pack can be used.</summary>
    public LocalDate ValidFrom { get; }

    /// <summary>The last billing date on which the pack can be used, inclusive: its hours left expire after it.</summary>
    public LocalDate ValidTo { get; }

    /// <summary>What the pack cost, if known: never negative.</summary>
    /// <value>Null when the pack file gives no price.</value>
    public Money? Price { get; }

    /// <summary>The account whose usage the pack covers.</summary>
    /// <value>The empty string for the default account.</value>
    public string Account { get; }

    /// <summary>Whether the pack can be used on a billing date: from <see cref="ValidFrom"/> to <see cref="ValidTo"/>, both included.</summary>
    /// <param name="date">The billing date.</param>
    /// <returns>Whether <paramref name="date"/> is in the pack's dates.</returns>
    public bool IsValidOn(LocalDate date) => ValidFrom <= date && date <= ValidTo;

    /// <summary>
    /// Whether the pack may cover usage of an account and a service on a billing date: the same account
    /// (ordinal), the same service, and a date in its validity. Whether hours are left is for the caller.
    /// </summary>
    /// <param name="account">The usage's account; null or empty for the default account.</param>
    /// <param name="service">The usage's service.</param>
    /// <param name="date">The usage's billing date.</param>
    /// <returns>Whether the pack applies to that usage.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="service"/> is null.</exception>
    public bool Covers(string? account, AsrService service, LocalDate date)
    {
        ArgumentNullException.ThrowIfNull(service);
        return string.Equals(Account, account ?? string.Empty, StringComparison.Ordinal) && Service == service && IsValidOn(date);
    }

    /// <summary>
    /// Formats invariantly: <c>rt-1000: 1000 h of real-time for acme, 2026-01-01 to 2026-12-31, 1800.00 CNY</c>;
    /// the default account reads <c>(default account)</c>, and a pack without a price ends after its dates.
    /// </summary>
    /// <returns>The formatted pack.</returns>
    public override string ToString()
    {
        var account = Account.Length == 0 ? Subtotal.DefaultAccount : Account;
        var text = string.Create(
            CultureInfo.InvariantCulture,
            $"{Id}: {PriceTier.FormatHours(Hours)} h of {Service.Id} for {account}, {IsoDate.Format(ValidFrom)} to {IsoDate.Format(ValidTo)}");
        return Price is { } price ? $"{text}, {price}" : text;
    }

    /// <inheritdoc />
    public bool Equals(ResourcePack? other) =>
        ReferenceEquals(this, other)
        || (other is not null
            && string.Equals(Id, other.Id, StringComparison.Ordinal)
            && Service == other.Service
            && Seconds == other.Seconds
            && ValidFrom == other.ValidFrom
            && ValidTo == other.ValidTo
            && Nullable.Equals(Price, other.Price)
            && string.Equals(Account, other.Account, StringComparison.Ordinal));

    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as ResourcePack);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Id, Service, Seconds, ValidFrom, ValidTo, Price, Account);

    /// <summary>A pack's hours in whole seconds; also an offer's (<see cref="PackOffer"/>).</summary>
    /// <exception cref="ArgumentOutOfRangeException">The hours are not positive, or too many.</exception>
    /// <exception cref="ArgumentException">The hours are not a whole number of seconds.</exception>
    internal static long ToSeconds(decimal hours)
    {
        if (hours <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(hours), hours, $"A pack's hours should be more than 0, but were {PriceTier.FormatHours(hours)}.");
        }

        if (hours > long.MaxValue / SecondsPerHour)
        {
            throw new ArgumentOutOfRangeException(nameof(hours), hours, $"A pack's hours should be at most {long.MaxValue / SecondsPerHour}, but were {PriceTier.FormatHours(hours)}.");
        }

        var seconds = hours * SecondsPerHour;
        if (seconds != decimal.Truncate(seconds))
        {
            // Billing rule 4: billable time is whole seconds, so a pack holds whole seconds too.
            throw new ArgumentException(
                $"A pack's hours should be a whole number of seconds (a multiple of 1/3600 h), but {PriceTier.FormatHours(hours)} h is {seconds.ToString(CultureInfo.InvariantCulture)} s.",
                nameof(hours));
        }

        return (long)seconds;
    }

    private static void CheckIso(LocalDate date, string paramName)
    {
        if (date.Calendar != CalendarSystem.Iso)
        {
            throw new ArgumentException($"A pack's dates should be in the ISO calendar, but {date} is in {date.Calendar.Id}.", paramName);
        }
    }
}
