using System.Globalization;

namespace AsrBilling;

/// <summary>Some packs of one offer that <see cref="PackAdvisor"/> advises buying: the offer and how many.</summary>
public sealed class PackPurchase : IEquatable<PackPurchase>
{
    internal PackPurchase(PackOffer offer, long count)
    {
        Offer = offer;
        Count = count;
        Cost = Money.Trusted((offer.Price.Amount * count) + 0.00m, offer.Price.Currency);
    }

    /// <summary>The offer.</summary>
    public PackOffer Offer { get; }

    /// <summary>How many packs of the offer to buy; at least 1.</summary>
    public long Count { get; }

    /// <summary>What they cost: <see cref="Count"/> × the offer's price.</summary>
    public Money Cost { get; }

    /// <summary>The hours they hold: <see cref="Count"/> × the offer's hours.</summary>
    public decimal Hours => Offer.Hours * Count;

    /// <summary>Formats invariantly: <c>2 × rt-1000 (2000 h, 3600.00 CNY)</c>.</summary>
    /// <returns>The purchase as text.</returns>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Count} × {Offer.Name} ({PriceTier.FormatHours(Hours)} h, {Cost})");

    /// <inheritdoc />
    public bool Equals(PackPurchase? other) => other is not null && Offer.Equals(other.Offer) && Count == other.Count;

    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as PackPurchase);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Offer, Count);
}
