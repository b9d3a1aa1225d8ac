using System.Collections.Immutable;
using NodaTime;

namespace AsrBilling;

/// <summary>
/// What <see cref="PackAdvisor"/> advises for one service and usage profile: the packs to buy, if any,
/// the cost with them and without, and each offer's break-even usage.
/// </summary>
/// <remarks>
/// Every amount is a sum of amounts rounded to cents: pack prices, and the pay-as-you-go fee of each
/// tier window rounded once, half away from zero (billing rule 5). <see cref="WithPacks"/> is never more
/// than <see cref="PayAsYouGo"/>: buying nothing is always one of the choices.
/// </remarks>
public sealed class PackAdvice
{
    internal PackAdvice(
        AsrService service,
        UsageProfile profile,
        ImmutableArray<PackOffer> offers,
        ImmutableArray<PackPurchase> purchases,
        PackAdviceFigures figures,
        ImmutableArray<OfferBreakEven> breakEvens)
    {
        Service = service;
        Profile = profile;
        Offers = offers;
        Purchases = purchases;
        CoverableSeconds = figures.CoverableSeconds;
        CoveredSeconds = figures.CoveredSeconds;
        PayAsYouGo = figures.PayAsYouGo;
        PackCost = figures.PackCost;
        RemainingPayAsYouGo = figures.Remaining;
        PricePerHour = figures.PricePerHour;
        LastValidDate = figures.LastValidDate;
        BreakEvens = breakEvens;
    }

    /// <summary>The service.</summary>
    public AsrService Service { get; }

    /// <summary>The usage profile: the days the advice prices, all within one pack validity.</summary>
    public UsageProfile Profile { get; }

    /// <summary>The billing date the packs are bought: the profile's first day.</summary>
    public LocalDate PurchaseDate => Profile.Days[0].Date;

    /// <summary>The last billing date on which the offers' packs, bought on <see cref="PurchaseDate"/>, can be used.</summary>
    /// <value>Null when no offer is for the service.</value>
    public LocalDate? LastValidDate { get; }

    /// <summary>The offers for the service that were weighed, in the order given.</summary>
    public ImmutableArray<PackOffer> Offers { get; }

    /// <summary>The packs to buy, in the order of <see cref="Offers"/>; empty when buying none is cheapest.</summary>
    public ImmutableArray<PackPurchase> Purchases { get; }

    /// <summary>Whether the advice is to buy packs.</summary>
    public bool BuysPacks => !Purchases.IsEmpty;

    /// <summary>The seconds packs could cover: the profile's billable seconds beyond the free allowance.</summary>
    public decimal CoverableSeconds { get; }

    /// <summary>The coverable hours: <see cref="CoverableSeconds"/> ÷ 3600, to 28 significant digits.</summary>
    public decimal CoverableHours => CoverableSeconds / 3600m;

    /// <summary>The seconds the advised packs cover: the lesser of their seconds and <see cref="CoverableSeconds"/>.</summary>
    public decimal CoveredSeconds { get; }

    /// <summary>The profile's cost without packs: the sum of its windows' fees after the free allowance.</summary>
    public Money PayAsYouGo { get; }

    /// <summary>What the advised packs cost.</summary>
    public Money PackCost { get; }

    /// <summary>The pay-as-you-go fees of what the advised packs leave uncovered.</summary>
    public Money RemainingPayAsYouGo { get; }

    /// <summary>The profile's cost with the advised packs: <see cref="PackCost"/> + <see cref="RemainingPayAsYouGo"/>.</summary>
    public Money WithPacks => PackCost + RemainingPayAsYouGo;

    /// <summary>What the advised packs save: <see cref="PayAsYouGo"/> − <see cref="WithPacks"/>; never negative.</summary>
    public Money Saving => PayAsYouGo - WithPacks;

    /// <summary>
    /// The profile's average pay-as-you-go price per hour beyond the free allowance, exact to 28 significant
    /// digits: its tier's price when every window is in one tier. With no hours beyond the allowance, the
    /// price of the first window's tier. Break-even usages are worked out at this price.
    /// </summary>
    public Money PricePerHour { get; }

    /// <summary>Each offer's break-even usage and the effect of buying one pack, in the order of <see cref="Offers"/>.</summary>
    public ImmutableArray<OfferBreakEven> BreakEvens { get; }

    /// <summary>
    /// Formats invariantly: <c>real-time: buy 1 × rt-10000 (…), 1 × rt-1000 (…): 16800.00 CNY instead of
    /// 34848.00 CNY, saving 18048.00 CNY</c>, or <c>real-time: no pack pays off: 1946.00 CNY pay-as-you-go</c>.
    /// </summary>
    /// <returns>The advice as text.</returns>
    public override string ToString() => BuysPacks
        ? $"{Service.Id}: buy {string.Join(", ", Purchases)}: {WithPacks} instead of {PayAsYouGo}, saving {Saving}"
        : $"{Service.Id}: no pack pays off: {PayAsYouGo} pay-as-you-go";
}

/// <summary>The figures of a <see cref="PackAdvice"/>, gathered by <see cref="PackAdvisor"/>.</summary>
internal readonly record struct PackAdviceFigures(
    decimal CoverableSeconds, decimal CoveredSeconds, Money PayAsYouGo, Money PackCost, Money Remaining, Money PricePerHour, LocalDate? LastValidDate);
