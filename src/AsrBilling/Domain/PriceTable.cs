using System.Collections.Immutable;
using System.Globalization;
using NodaTime;

namespace AsrBilling;

/// <summary>
/// One version of one service's prices: tiers of hours per day, each with a unit price per hour,
/// in force from <see cref="EffectiveFrom"/> until the book's next version for the service.
/// </summary>
/// <remarks>
/// Immutable and validated when built: the first tier starts at 0 h, thresholds ascend strictly
/// and the tiers meet without gap or overlap, only the last tier is open-ended, no price is negative,
/// and every tier is priced in one currency. Its <see cref="Rules"/> say how tiers apply; by default
/// Tencent's: every hour of a day is billed at the price of the tier that the day's total reaches
/// (billing rules 1–3). Equality compares the service, the date, the rules, the source note and every tier.
/// </remarks>
public sealed class PriceTable : IEquatable<PriceTable>
{
    /// <summary>Creates a table from complete tiers.</summary>
    /// <param name="service">The service these prices are for.</param>
    /// <param name="effectiveFrom">The first billing date on which the prices are in force.</param>
    /// <param name="tiers">The tiers in order, numbered from 1.</param>
    /// <param name="rules">Tier mode, threshold rule, window, increment, minimum and allowance; null for <see cref="PriceRules.Tencent"/>.</param>
    /// <param name="source">Where the prices come from, for explanations; optional.</param>
    /// <exception cref="ArgumentNullException"><paramref name="service"/> or <paramref name="tiers"/> is null.</exception>
    /// <exception cref="PriceTableException">The tiers break a rule; the message names the tier.</exception>
    public PriceTable(AsrService service, LocalDate effectiveFrom, IEnumerable<PriceTier> tiers, PriceRules? rules = null, string? source = null)
    {
        ArgumentNullException.ThrowIfNull(service);
        ArgumentNullException.ThrowIfNull(tiers);
        Service = service;
        EffectiveFrom = effectiveFrom;
        Rules = rules ?? PriceRules.Tencent;
        Source = source;
        Tiers = [.. tiers];
        Validate();
        Currency = Tiers[0].UnitPrice.Currency;
        _firstSecond = [.. Tiers.Select(t => FirstSecond(t.FromHours))];
    }

    // The first whole second in each tier under the threshold rule: for whole seconds s and a
    // threshold T, s ≥ T ⇔ s ≥ ⌈T⌉ (reaching moves up), and s > T ⇔ s ≥ ⌊T⌋ + 1 (up to inclusive).
    // Unsigned, so that a tier no whole-second total can reach starts at ulong.MaxValue, beyond every long.
    private readonly ulong[] _firstSecond;

    /// <summary>How tiers apply: mode, threshold rule, window, increment, minimum and free allowance.</summary>
    public PriceRules Rules { get; }

    /// <summary>The service these prices are for.</summary>
    public AsrService Service { get; }

    /// <summary>The first billing date on which the prices are in force.</summary>
    public LocalDate EffectiveFrom { get; }

    /// <summary>Where the prices come from, or null.</summary>
    public string? Source { get; }

    /// <summary>The tiers in ascending order; the last is open-ended.</summary>
    public ImmutableArray<PriceTier> Tiers { get; }

    /// <summary>The one currency of every unit price.</summary>
    public string Currency { get; }

    /// <summary>
    /// Builds a table from tier thresholds and prices: each tier runs from its threshold up to the
    /// next one, and the last is open-ended.
    /// </summary>
    /// <param name="service">The service.</param>
    /// <param name="effectiveFrom">The first billing date on which the prices are in force.</param>
    /// <param name="currency">The ISO 4217 currency of every price.</param>
    /// <param name="tiers">Pairs of (threshold in hours, unit price per hour), the first at 0 h.</param>
    /// <param name="rules">How tiers apply; null for <see cref="PriceRules.Tencent"/>.</param>
    /// <param name="source">Where the prices come from; optional.</param>
    /// <returns>The validated table.</returns>
    /// <exception cref="ArgumentException"><paramref name="currency"/> is not a valid code.</exception>
    /// <exception cref="PriceTableException">The tiers break a rule.</exception>
    public static PriceTable FromThresholds(
        AsrService service,
        LocalDate effectiveFrom,
        string currency,
        IReadOnlyList<(decimal FromHours, decimal UnitPrice)> tiers,
        PriceRules? rules = null,
        string? source = null)
    {
        ArgumentNullException.ThrowIfNull(tiers);
        Money.ValidateCurrency(currency, nameof(currency));
        var built = new PriceTier[tiers.Count];
        for (var i = 0; i < tiers.Count; i++)
        {
            decimal? to = i + 1 < tiers.Count ? tiers[i + 1].FromHours : null;
            if (to is { } next && next <= tiers[i].FromHours)
            {
                throw new PriceTableException(
                    $"Tier {i + 2} of {service.Id} starts at {PriceTier.FormatHours(next)} h, which is not above tier {i + 1}'s start {PriceTier.FormatHours(tiers[i].FromHours)} h: thresholds must be strictly ascending.",
                    service.Id,
                    i + 2);
            }

            built[i] = WithService(service, () => new PriceTier(i + 1, tiers[i].FromHours, to, new Money(tiers[i].UnitPrice, currency)));
        }

        return new PriceTable(service, effectiveFrom, built, rules, source);
    }

    /// <summary>Returns the tier that a tier window's total of <paramref name="hours"/> reaches.</summary>
    /// <param name="hours">The window's total billable hours; not negative.</param>
    /// <returns>
    /// The tier whose range holds <paramref name="hours"/>: from its threshold up to the next one,
    /// a total exactly at a threshold going up (<see cref="ThresholdRule.ReachMovesUp"/>) or
    /// staying down (<see cref="ThresholdRule.UpToInclusive"/>).
    /// </returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="hours"/> is negative.</exception>
    public PriceTier FindTier(decimal hours)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(hours);
        var tiers = Tiers;
        var inclusive = Rules.ThresholdRule == ThresholdRule.UpToInclusive;
        for (var i = tiers.Length - 1; i > 0; i--)
        {
            if (inclusive ? hours > tiers[i].FromHours : hours >= tiers[i].FromHours)
            {
                return tiers[i];
            }
        }

        return tiers[0];
    }

    /// <summary>The first whole second of tier <paramref name="index"/>'s range.</summary>
    internal ulong TierFirstSecond(int index) => _firstSecond[index];

    /// <summary>Returns the tier that a total of whole seconds reaches; the caller checks the sign.</summary>
    internal PriceTier FindTierBySeconds(long seconds)
    {
        var firsts = _firstSecond;
        var whole = (ulong)Math.Max(seconds, 0);
        for (var i = firsts.Length - 1; i > 0; i--)
        {
            if (whole >= firsts[i])
            {
                return Tiers[i];
            }
        }

        return Tiers[0];
    }

    /// <summary>
    /// The exact fee of a quantity of hours-or-seconds in <paramref name="tier"/> (the tier its window
    /// reached). Volume: quantity × the tier's price. Graduated: each tier's slice of the quantity at
    /// its own price. Seconds are multiplied before the one division by 3600 (billing rule 5).
    /// </summary>
    internal decimal ExactFee(decimal quantity, bool inSeconds, PriceTier tier)
    {
        if (Rules.Mode == TierMode.Volume)
        {
            return inSeconds ? quantity * tier.UnitPrice.Amount / 3600m : quantity * tier.UnitPrice.Amount;
        }

        var sum = 0m;
        foreach (var (slice, price) in Slices(quantity, inSeconds))
        {
            sum += slice * price;
        }

        return inSeconds ? sum / 3600m : sum;
    }

    /// <summary>The graduated slices of a quantity: (amount in each tier, that tier's price), lowest first.</summary>
    internal IEnumerable<(decimal Amount, decimal Price)> Slices(decimal quantity, bool inSeconds)
    {
        var scale = inSeconds ? 3600m : 1m;
        foreach (var tier in Tiers)
        {
            var from = tier.FromHours * scale;
            if (quantity <= from)
            {
                yield break;
            }

            var to = tier.ToHours is { } upper ? Math.Min(quantity, upper * scale) : quantity;
            yield return (to - from, tier.UnitPrice.Amount);
        }
    }

    private ulong FirstSecond(decimal hours)
    {
        if (hours > (long.MaxValue / 3600m) + 1)
        {
            return ulong.MaxValue; // beyond long.MaxValue s (and beyond what 3600 × hours can hold)
        }

        var seconds = hours * 3600m;
        var first = Rules.ThresholdRule == ThresholdRule.UpToInclusive ? Math.Floor(seconds) + 1 : Math.Ceiling(seconds);
        return first > long.MaxValue ? ulong.MaxValue : (ulong)first;
    }

    /// <summary>Formats invariantly: the service, the version date and every tier's range under the table's threshold rule.</summary>
    /// <returns>The table as text.</returns>
    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"{Service.Id} (prices of {IsoDate.Format(EffectiveFrom)}): {string.Join("; ", Tiers.Select(t => t.ToString(Rules.ThresholdRule)))}");

    /// <inheritdoc />
    public bool Equals(PriceTable? other) =>
        other is not null
        && Service == other.Service
        && EffectiveFrom == other.EffectiveFrom
        && Rules.Equals(other.Rules)
        && string.Equals(Source, other.Source, StringComparison.Ordinal)
        && Tiers.SequenceEqual(other.Tiers);

    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as PriceTable);

    /// <inheritdoc />
    public override int GetHashCode()
    {
        var hash = new HashCode();
        hash.Add(Service);
        hash.Add(EffectiveFrom);
        foreach (var tier in Tiers)
        {
            hash.Add(tier);
        }

        return hash.ToHashCode();
    }

    private static PriceTier WithService(AsrService service, Func<PriceTier> create)
    {
        try
        {
            return create();
        }
        catch (PriceTableException e) when (e.ServiceId is null)
        {
            throw new PriceTableException($"{service.Id}: {e.Message}", service.Id, e.TierNumber);
        }
    }

    private void Validate()
    {
        var id = Service.Id;
        if (Tiers.IsEmpty)
        {
            throw new PriceTableException($"The price table of {id} has no tiers: it needs at least one, starting at 0 h.", id);
        }

        for (var i = 0; i < Tiers.Length; i++)
        {
            var tier = Tiers[i] ?? throw new PriceTableException($"Tier {i + 1} of {id} is null.", id, i + 1);
            if (tier.Number != i + 1)
            {
                throw new PriceTableException(
                    $"Tier {i + 1} of {id} is numbered {tier.Number}: tiers are numbered 1, 2, 3, … in order.", id, i + 1);
            }

            if (!string.Equals(tier.UnitPrice.Currency, Tiers[0].UnitPrice.Currency, StringComparison.Ordinal))
            {
                throw new PriceTableException(
                    $"Tier {tier.Number} of {id} is priced in {tier.UnitPrice.Currency} but tier 1 in {Tiers[0].UnitPrice.Currency}: a table has one currency.",
                    id,
                    tier.Number);
            }

            if (i == 0 && tier.FromHours != 0)
            {
                throw new PriceTableException(
                    $"Tier 1 of {id} starts at {PriceTier.FormatHours(tier.FromHours)} h: the first tier must start at 0 h.", id, 1);
            }

            if (i + 1 < Tiers.Length)
            {
                var next = Tiers[i + 1] ?? throw new PriceTableException($"Tier {i + 2} of {id} is null.", id, i + 2);
                if (tier.ToHours is not { } to)
                {
                    throw new PriceTableException(
                        $"Tier {tier.Number} of {id} is open-ended but tier {next.Number} follows it: only the last tier may be open-ended.",
                        id,
                        tier.Number);
                }

                if (next.FromHours <= tier.FromHours)
                {
                    throw new PriceTableException(
                        $"Tier {next.Number} of {id} starts at {PriceTier.FormatHours(next.FromHours)} h, which is not above tier {tier.Number}'s start {PriceTier.FormatHours(tier.FromHours)} h: thresholds must be strictly ascending.",
                        id,
                        next.Number);
                }

                if (to != next.FromHours)
                {
                    var problem = to > next.FromHours ? "the tiers overlap" : "the tiers leave a gap";
                    throw new PriceTableException(
                        $"Tier {tier.Number} of {id} ends at {PriceTier.FormatHours(to)} h but tier {next.Number} starts at {PriceTier.FormatHours(next.FromHours)} h: {problem}.",
                        id,
                        next.Number);
                }
            }
            else if (!tier.IsOpenEnded)
            {
                throw new PriceTableException(
                    $"The last tier of {id}, tier {tier.Number}, ends at {PriceTier.FormatHours(tier.ToHours!.Value)} h: the last tier must be open-ended so that every usage has a price.",
                    id,
                    tier.Number);
            }
        }
    }
}
