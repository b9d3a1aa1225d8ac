using System.Globalization;

namespace AsrBilling;

/// <summary>
/// Where one offer starts to pay, for a usage profile: the break-even usage, and what buying one pack
/// would do to the profile's cost.
/// </summary>
/// <remarks>
/// The break-even usage is the number of hours beyond the free allowance, within one pack's validity (a
/// year for Tencent's packs), at which one pack costs the same as paying for those hours as you go at the
/// profile's price: <c>price ÷ p</c>, where <c>p</c> is <see cref="PackAdvice.PricePerHour"/>, the
/// profile's average pay-as-you-go price per hour beyond the allowance (its tier's price when every window
/// of the profile is in one tier). Below it the pack costs more than the hours it covers would; from it up
/// to the pack's hours the pack saves; when it is at or above the pack's hours the pack never pays off at
/// that price. Computed in <see cref="decimal"/> to 28 significant digits, not rounded.
/// </remarks>
public sealed class OfferBreakEven
{
    internal OfferBreakEven(PackOffer offer, decimal? breakEvenHours, Money costWithOne, Money payAsYouGo)
    {
        Offer = offer;
        BreakEvenHours = breakEvenHours;
        CostWithOne = costWithOne;
        SavingWithOne = payAsYouGo - costWithOne;
    }

    /// <summary>The offer.</summary>
    public PackOffer Offer { get; }

    /// <summary>The hours beyond the free allowance within the pack's validity at which one pack costs as much as pay-as-you-go.</summary>
    /// <value>Null when the profile's pay-as-you-go price is 0 and the pack is not free: nothing can pay it back.</value>
    public decimal? BreakEvenHours { get; }

    /// <summary>Whether one pack can save money at the profile's price: the break-even usage is below the pack's hours.</summary>
    public bool PaysOff => BreakEvenHours is { } hours && hours < Offer.Hours;

    /// <summary>The profile's cost with exactly one pack of the offer: its price plus the pay-as-you-go fees of the hours it leaves.</summary>
    public Money CostWithOne { get; }

    /// <summary>Pay-as-you-go minus <see cref="CostWithOne"/>: what one pack saves on this profile; negative when it costs more.</summary>
    public Money SavingWithOne { get; }

    /// <summary>Formats invariantly: <c>rt-1000: breaks even at 562.5 h; one pack saves 1200.00 CNY</c>.</summary>
    /// <returns>The break-even as text.</returns>
    public override string ToString()
    {
        var breakEven = BreakEvenHours is { } hours
            ? string.Create(CultureInfo.InvariantCulture, $"breaks even at {PriceTier.TextHours(hours)} h{(PaysOff ? string.Empty : ", more than it holds: never pays off")}")
            : "never pays off: the hours it covers cost nothing";
        return $"{Offer.Name}: {breakEven}; one pack saves {SavingWithOne}";
    }
}
