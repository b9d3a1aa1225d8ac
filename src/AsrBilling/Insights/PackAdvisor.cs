using System.Collections.Immutable;
using System.Globalization;

namespace AsrBilling;

/// <summary>
/// Advises which resource packs, if any, make a usage profile cheapest against pay-as-you-go, and where
/// each offer breaks even.
/// </summary>
/// <remarks>
/// <para>
/// The model. The packs are bought on the profile's first day and last their validity from it; the
/// profile must end within that validity. The profile's days are billed as a forecast bills them
/// (<see cref="Forecaster"/>): tier windows in date order, each day's hours in whole seconds, the month's
/// free allowance first. Pack seconds then cover the seconds the allowance leaves, in date order, as
/// deduction does (billing rule 11): the first windows whole, one window in part, none after. Pack hours
/// count toward the tier exactly as free hours do (<see cref="PriceRules.FreeHoursCountTowardTier"/>; true
/// in Tencent's books, so with all-units tiers the hours left to pay are priced at the tier of all the
/// window's hours). Each window's fee is rounded to cents once, half away from zero.
/// </para>
/// <para>
/// The search is exact for that total. With one validity for all of a service's offers, the cost depends
/// only on the packs' total seconds. Totals are multiples of the offers' greatest common size. For every
/// such total below the coverable seconds, a dynamic program finds the cheapest packs that hold exactly it
/// (an unbounded knapsack); for the coverable seconds and beyond, which all cost the same to use, the
/// cheapest packs that hold at least them. The advice is the total whose pack cost plus pay-as-you-go fees
/// is least; of equal sums, the one with fewer pack hours, and buying nothing before any.
/// </para>
/// </remarks>
public static class PackAdvisor
{
    /// <summary>The most steps of the offers' greatest common size the search takes: 4,000,000.</summary>
    public const long MaxSteps = 4_000_000;

    /// <summary>Advises which packs of the offers to buy for a usage profile of one service.</summary>
    /// <param name="profile">The planned hours per day; its days must lie within one validity of the offers from its first day.</param>
    /// <param name="service">The service; offers of other services are left out.</param>
    /// <param name="offers">The offers, such as <see cref="PackOfferList.TencentCloudChina"/>; those for the service must share one validity.</param>
    /// <param name="options">Price book and allowances; null for <see cref="BillingOptions.Default"/>.</param>
    /// <returns>The advice.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="profile"/>, <paramref name="service"/> or <paramref name="offers"/> is null.</exception>
    /// <exception cref="ArgumentException">
    /// An offer is null; an offer for the service is priced in another currency than the book's; the
    /// service's offers have different validities; the profile ends after the packs' last valid date; or the
    /// search would take more than <see cref="MaxSteps"/> steps.
    /// </exception>
    /// <exception cref="PriceNotFoundException">A day is before the earliest price version, or the book does not price the service.</exception>
    public static PackAdvice Advise(UsageProfile profile, AsrService service, IEnumerable<PackOffer> offers, BillingOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(profile);
        ArgumentNullException.ThrowIfNull(service);
        ArgumentNullException.ThrowIfNull(offers);
        options ??= BillingOptions.Default;
        var all = offers.ToList();
        var nullAt = all.FindIndex(o => o is null);
        if (nullAt >= 0)
        {
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"The offer at position {nullAt} is null."), nameof(offers));
        }

        ImmutableArray<PackOffer> mine = [.. all.Where(o => o.Service == service)];
        var coverage = new PackCostCurve(PriceCalculator.Compute(profile.ToDailyTotals(service), options));
        var lastValid = Check(profile, mine, options.PriceBook);
        var currency = coverage.Currency;
        var (counts, _) = Search(mine, coverage);
        var purchases = mine.Select((offer, j) => (offer, count: counts[j])).Where(p => p.count > 0).Select(p => new PackPurchase(p.offer, p.count)).ToImmutableArray();
        var capacity = 0m;
        var packCost = 0.00m;
        foreach (var purchase in purchases)
        {
            capacity += (decimal)purchase.Offer.Seconds * purchase.Count;
            packCost += purchase.Cost.Amount;
        }

        var covered = Math.Min(capacity, coverage.CoverableSeconds);
        var payAsYouGo = Money.Trusted(coverage.Cost(0m), currency);
        var value = coverage.CoverableSeconds == 0 ? 0m : coverage.ValueTimes3600();
        var pricePerHour = PricePerHour(coverage, value);
        var breakEvens = mine.Select(offer => new OfferBreakEven(
            offer,
            BreakEven(offer, coverage, value, pricePerHour),
            Money.Trusted(offer.Price.Amount + 0.00m + coverage.Cost(Math.Min(offer.Seconds, coverage.CoverableSeconds)), currency),
            payAsYouGo)).ToImmutableArray();
        var figures = new PackAdviceFigures(
            coverage.CoverableSeconds,
            covered,
            payAsYouGo,
            Money.Trusted(packCost, currency),
            Money.Trusted(coverage.Cost(covered), currency),
            Money.Trusted(pricePerHour, currency),
            lastValid);
        return new PackAdvice(service, profile, mine, purchases, figures, breakEvens);
    }

    /// <summary>Why an offer in <paramref name="currency"/> cannot be weighed against the book's prices of a service, or null when it can.</summary>
    internal static string? BookCurrencyProblem(PriceBook book, AsrService service, string currency)
    {
        var other = book.Tables.FirstOrDefault(t => t.Service == service && !string.Equals(t.Currency, currency, StringComparison.Ordinal));
        return other is null
            ? null
            : $"{currency}, but the price book '{book.Name}' prices {service.Id} in {other.Currency}; give offers in the book's currency";
    }

    /// <summary>Checks currencies, validities and the profile's dates; returns the packs' last valid date.</summary>
    private static NodaTime.LocalDate? Check(UsageProfile profile, ImmutableArray<PackOffer> offers, PriceBook book)
    {
        foreach (var offer in offers)
        {
            if (BookCurrencyProblem(book, offer.Service, offer.Price.Currency) is { } problem)
            {
                throw new ArgumentException($"Offer '{offer.Name}' is priced in {problem}.", nameof(offers));
            }
        }

        if (offers.IsEmpty)
        {
            return null;
        }

        var other = offers.FirstOrDefault(o => !o.Validity.Equals(offers[0].Validity));
        if (other is not null)
        {
            throw new ArgumentException(
                $"The offers for {offers[0].Service.Id} should share one validity, but '{offers[0].Name}' lasts {offers[0].DescribeValidity()} and '{other.Name}' {other.DescribeValidity()}; advise on each validity apart.",
                nameof(offers));
        }

        var first = profile.Days[0].Date;
        var last = offers[0].LastValidDate(first);
        if (profile.Days[^1].Date > last)
        {
            throw new ArgumentException(
                $"The profile runs from {IsoDate.Format(first)} to {IsoDate.Format(profile.Days[^1].Date)}, past {IsoDate.Format(last)}, the last day packs bought on its first day can be used ({offers[0].DescribeValidity()}); give at most that much usage.",
                nameof(profile));
        }

        return last;
    }

    /// <summary>The cheapest counts of each offer (in offer order) and the total they give.</summary>
    private static (long[] Counts, decimal Total) Search(ImmutableArray<PackOffer> offers, PackCostCurve coverage)
    {
        var counts = new long[offers.Length];
        var noPacks = coverage.Cost(0m);
        if (offers.IsEmpty || coverage.CoverableSeconds == 0)
        {
            return (counts, noPacks);
        }

        var unit = offers.Select(o => o.Seconds).Aggregate(Gcd);
        var whole = (long)decimal.Ceiling(coverage.CoverableSeconds);
        var steps = (whole / unit) + (whole % unit == 0 ? 0 : 1);
        if (steps > MaxSteps)
        {
            throw new ArgumentException(
                string.Create(CultureInfo.InvariantCulture, $"The offers' hours share a greatest common size of {unit} s, and covering {PriceTier.FormatHours(coverage.CoverableSeconds / 3600m)} h in such steps takes {steps}, more than {MaxSteps}; give offers whose sizes share a larger unit, such as whole hours."),
                nameof(offers));
        }

        var size = offers.Select(o => o.Seconds / unit).ToArray();

        // exact[u]: the least pack cost of exactly u steps; lastOffer[u]: the offer that ends it, -1 when no packs make u.
        var exact = new decimal[steps];
        var lastOffer = new int[steps];
        for (var u = 1L; u < steps; u++)
        {
            lastOffer[u] = -1;
            for (var j = 0; j < size.Length; j++)
            {
                var rest = u - size[j];
                if (rest >= 0 && (rest == 0 || lastOffer[rest] >= 0) && (lastOffer[u] < 0 || exact[rest] + offers[j].Price.Amount < exact[u]))
                {
                    exact[u] = exact[rest] + offers[j].Price.Amount;
                    lastOffer[u] = j;
                }
            }
        }

        // Fewer steps than cover everything: packs of exactly u steps, used up in date order.
        var (bestStep, bestTotal) = (0L, noPacks);
        for (var u = 1L; u < steps; u++)
        {
            if (lastOffer[u] >= 0)
            {
                var total = exact[u] + coverage.Cost(u * unit);
                if (total < bestTotal)
                {
                    (bestStep, bestTotal) = (u, total);
                }
            }
        }

        // Everything covered: the cheapest packs of at least `steps` steps. Without its last pack such a set is
        // below `steps` (else that pack is not needed), so it is an exact set of rest ∈ [steps − size, steps) plus one pack.
        var (coverAll, coverAllRest, coverAllOffer) = (0m, -1L, -1);
        for (var j = 0; j < size.Length; j++)
        {
            for (var rest = Math.Max(steps - size[j], 0); rest < steps; rest++)
            {
                if ((rest == 0 || lastOffer[rest] >= 0) && (coverAllOffer < 0 || exact[rest] + offers[j].Price.Amount < coverAll))
                {
                    (coverAll, coverAllRest, coverAllOffer) = (exact[rest] + offers[j].Price.Amount, rest, j);
                }
            }
        }

        if (coverAll + coverage.Cost(coverage.CoverableSeconds) < bestTotal)
        {
            bestTotal = coverAll + coverage.Cost(coverage.CoverableSeconds);
            counts[coverAllOffer]++;
            bestStep = coverAllRest;
        }

        for (var u = bestStep; u > 0; u -= size[lastOffer[u]])
        {
            counts[lastOffer[u]]++;
        }

        return (counts, bestTotal);
    }

    /// <summary>The average pay-as-you-go price per coverable hour; the first window's tier price when nothing is coverable.</summary>
    private static decimal PricePerHour(PackCostCurve coverage, decimal value) =>
        coverage.CoverableSeconds == 0 ? coverage.FirstUnitPrice() : value / coverage.CoverableSeconds;

    /// <summary>price ÷ price per hour, as one division of exact sums where the profile has coverable hours; null when nothing can pay back a pack that costs something.</summary>
    private static decimal? BreakEven(PackOffer offer, PackCostCurve coverage, decimal value, decimal pricePerHour)
    {
        var price = offer.Price.Amount;
        if (coverage.CoverableSeconds > 0 ? value == 0 : pricePerHour == 0)
        {
            return price == 0 ? 0m : null;
        }

        return coverage.CoverableSeconds > 0 ? price * coverage.CoverableSeconds / value : price / pricePerHour;
    }

    private static long Gcd(long a, long b)
    {
        while (b != 0)
        {
            (a, b) = (b, a % b);
        }

        return a;
    }
}
