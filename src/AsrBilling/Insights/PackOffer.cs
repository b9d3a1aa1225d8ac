using System.Globalization;
using NodaTime;

namespace AsrBilling;

/// <summary>
/// A resource pack on sale: so many hours of one service for a price, usable for a period from the
/// day it is bought. <see cref="PackAdvisor"/> weighs offers against pay-as-you-go.
/// </summary>
/// <remarks>
/// Immutable and validated when built. Hours follow <see cref="ResourcePack"/>'s rule: more than 0 and
/// a whole number of seconds. Two offers are equal when every field is: name by ordinal comparison,
/// hours and price numerically, validity by its units (<c>P1Y</c> and <c>P12M</c> differ).
/// </remarks>
public sealed class PackOffer : IEquatable<PackOffer>
{
    /// <summary>Creates an offer.</summary>
    /// <param name="service">The one service whose usage a pack of the offer covers.</param>
    /// <param name="hours">The hours a pack holds: more than 0, a whole number of seconds (a multiple of 1/3600 h).</param>
    /// <param name="price">What one pack costs; not negative.</param>
    /// <param name="validity">How long a pack lasts from the day it is bought, in days, weeks, months or years; null for one year.</param>
    /// <param name="name">A name for explanations, such as <c>rt-1000</c>; null or blank for <c>{service} {hours} h</c>.</param>
    /// <exception cref="ArgumentNullException"><paramref name="service"/> is null.</exception>
    /// <exception cref="ArgumentException">
    /// <paramref name="hours"/> is not a whole number of seconds, or <paramref name="validity"/> has a time unit,
    /// a negative unit or no length.
    /// </exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="hours"/> is not positive or its seconds exceed <see cref="long.MaxValue"/>, or <paramref name="price"/> is negative.</exception>
    public PackOffer(AsrService service, decimal hours, Money price, Period? validity = null, string? name = null)
    {
        ArgumentNullException.ThrowIfNull(service);
        Seconds = ResourcePack.ToSeconds(hours);
        if (price.Amount < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(price), price, $"An offer's price should not be negative, but was {price}.");
        }

        Validity = validity ?? OneYear;
        if (Validity.HasTimeComponent || Validity.Years < 0 || Validity.Months < 0 || Validity.Weeks < 0 || Validity.Days < 0 || Validity.Equals(Period.Zero))
        {
            throw new ArgumentException(
                $"An offer's validity should be a positive number of days, weeks, months or years, such as P1Y, but was {Validity}.", nameof(validity));
        }

        Service = service;
        Hours = hours;
        Price = price;
        Name = string.IsNullOrWhiteSpace(name) ? $"{service.Id} {PriceTier.FormatHours(hours)} h" : name;
    }

    /// <summary>The validity of Tencent's packs: one year.</summary>
    public static Period OneYear { get; } = Period.FromYears(1);

    /// <summary>The offer's name.</summary>
    /// <value>The name given, else <c>{service} {hours} h</c>, such as <c>real-time 1000 h</c>.</value>
    public string Name { get; }

    /// <summary>The one service whose usage a pack of the offer covers.</summary>
    public AsrService Service { get; }

    /// <summary>The hours a pack holds, as given.</summary>
    public decimal Hours { get; }

    /// <summary>The hours a pack holds in seconds, exactly: <see cref="Hours"/> × 3600.</summary>
    public long Seconds { get; }

    /// <summary>What one pack costs.</summary>
    public Money Price { get; }

    /// <summary>How long a pack lasts from the day it is bought.</summary>
    /// <value>The default is one year (<see cref="OneYear"/>).</value>
    public Period Validity { get; }

    /// <summary>
    /// The last billing date on which a pack bought on <paramref name="purchased"/> can be used: the purchase
    /// date plus <see cref="Validity"/>, less one day (a one-year pack bought on 2026-01-01 lasts to 2026-12-31).
    /// </summary>
    /// <param name="purchased">The billing date the pack is bought, its first valid date.</param>
    /// <returns>The last valid date, inclusive.</returns>
    public LocalDate LastValidDate(LocalDate purchased) => purchased.Plus(Validity).PlusDays(-1);

    /// <summary>The validity for people: <c>1 year</c>, <c>6 months</c>, <c>1 year 2 weeks</c>.</summary>
    /// <returns>The validity as text.</returns>
    public string DescribeValidity()
    {
        var parts = new List<string>();
        Add(Validity.Years, "year");
        Add(Validity.Months, "month");
        Add(Validity.Weeks, "week");
        Add(Validity.Days, "day");
        return string.Join(" ", parts);

        void Add(int count, string noun)
        {
            if (count > 0)
            {
                parts.Add(TextCount.Of(count, noun));
            }
        }
    }

    /// <summary>Formats invariantly: <c>rt-1000: 1000 h of real-time for 1800.00 CNY, valid 1 year</c>.</summary>
    /// <returns>The offer as text.</returns>
    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"{Name}: {PriceTier.FormatHours(Hours)} h of {Service.Id} for {Price}, valid {DescribeValidity()}");

    /// <inheritdoc />
    public bool Equals(PackOffer? other) =>
        ReferenceEquals(this, other)
        || (other is not null
            && string.Equals(Name, other.Name, StringComparison.Ordinal)
            && Service == other.Service
            && Seconds == other.Seconds
            && Price == other.Price
            && Validity.Equals(other.Validity));

    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as PackOffer);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Name, Service, Seconds, Price, Validity);
}
