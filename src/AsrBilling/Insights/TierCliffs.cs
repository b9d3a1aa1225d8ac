using System.Collections.Immutable;
using System.Globalization;

namespace AsrBilling;

/// <summary>
/// A range of usage just below a volume-pricing threshold where using more costs less: for every
/// total in the range, the window would cost less at the <see cref="CheaperPointSeconds"/>, the first
/// total the next tier prices, where all units drop to its price.
/// </summary>
/// <remarks>
/// The break-even point is b = T × p_next ÷ p_prev: at b the two costs are equal, above it the next
/// tier is cheaper. For real-time recognition, 299 h cost 418.60 USD while 300 h cost 360.00 USD.
/// When reaching a threshold moves usage up, the range is [b, T) and the cheaper point is T itself.
/// Under <see cref="ThresholdRule.UpToInclusive"/>, T is still in the dearer tier, so the range is
/// (b, T] and the cheaper point is the first billable total past T (T + 1 s with 1-second billing).
/// <c>default(TierCliff)</c> is no cliff: its table and tiers are null, its hours zero, and it contains no total.
/// </remarks>
public readonly struct TierCliff : IEquatable<TierCliff>
{
    internal TierCliff(PriceTable table, PriceTier below, PriceTier above, long cheaperPointSeconds)
    {
        Table = table;
        Below = below;
        Above = above;
        CheaperPointSeconds = cheaperPointSeconds;
    }

    /// <summary>The price table.</summary>
    public PriceTable Table { get; }

    /// <summary>The tier the range is in.</summary>
    public PriceTier Below { get; }

    /// <summary>The tier that starts at the threshold.</summary>
    public PriceTier Above { get; }

    /// <summary>The threshold T, in hours per tier window.</summary>
    public decimal ThresholdHours => Above?.FromHours ?? 0m;

    /// <summary>The break-even point b = T × p_next ÷ p_prev, exact to 28 significant digits.</summary>
    public decimal BreakEvenHours => Above is null ? 0m : Above.FromHours * Above.UnitPrice.Amount / Below.UnitPrice.Amount;

    /// <summary>
    /// The cheaper point: the smallest total of whole billing increments that the next tier prices, in
    /// seconds. It is T itself when reaching a threshold moves up (rounded up to a whole increment), and
    /// the first increment past T under <see cref="ThresholdRule.UpToInclusive"/>: 500 h + 1 s with 1-second billing.
    /// </summary>
    public long CheaperPointSeconds { get; }

    /// <summary>The fee of a window at the <see cref="CheaperPointSeconds"/> (all units at the next tier's price), rounded to cents half away from zero.</summary>
    /// <value>Zero in <c>XXX</c> for <c>default(TierCliff)</c>.</value>
    public Money FeeAtCheaperPoint => Table is null
        ? default
        : Money.Trusted(Table.ExactFee(CheaperPointSeconds, inSeconds: true, Above), Table.Currency).RoundToCents();

    /// <summary>Whether a window's total lies in the range where the cheaper point would cost less.</summary>
    /// <param name="hours">The window's total hours.</param>
    /// <returns>
    /// Whether <paramref name="hours"/> is in [b, T) when reaching a threshold moves up (at b the costs
    /// are equal), or in (b, T] under <see cref="ThresholdRule.UpToInclusive"/>.
    /// </returns>
    public bool Contains(decimal hours)
    {
        if (Table is null)
        {
            return false;
        }

        return Table.Rules.ThresholdRule == ThresholdRule.UpToInclusive
            ? hours > BreakEvenHours && hours <= ThresholdHours
            : hours >= BreakEvenHours && hours < ThresholdHours;
    }

    /// <summary>The cheaper point as text: <c>300 h</c> at a threshold, or <c>500 h + 1 s</c> past one.</summary>
    /// <returns>The cheaper point; empty for <c>default(TierCliff)</c>.</returns>
    public string DescribeCheaperPoint()
    {
        if (Table is null)
        {
            return string.Empty;
        }

        var past = CheaperPointSeconds - (ThresholdHours * 3600m);
        var threshold = PriceTier.FormatHours(ThresholdHours) + " h";
        return past == 0 ? threshold : $"{threshold} + {PriceTier.FormatHours(past)} s";
    }

    /// <summary>
    /// Formats invariantly: <c>real-time tier 1 → 2: from 257.14 h to 300 h, 300 h cost 360.00 USD</c>, or
    /// under <see cref="ThresholdRule.UpToInclusive"/>
    /// <c>my-asr tier 1 → 2: above 312.5 h to 500 h inclusive, 500 h + 1 s cost 450.00 USD</c>.
    /// </summary>
    /// <returns>The cliff as text; <c>(no cliff)</c> for <c>default(TierCliff)</c>.</returns>
    public override string ToString()
    {
        if (Table is null)
        {
            return "(no cliff)";
        }

        var breakEven = Math.Round(BreakEvenHours, 2, MidpointRounding.AwayFromZero);
        var threshold = PriceTier.FormatHours(ThresholdHours);
        var range = Table.Rules.ThresholdRule == ThresholdRule.UpToInclusive
            ? string.Create(CultureInfo.InvariantCulture, $"above {breakEven} h to {threshold} h inclusive")
            : string.Create(CultureInfo.InvariantCulture, $"from {breakEven} h to {threshold} h");
        return $"{Table.Service.Id} tier {Below.Number} → {Above.Number}: {range}, {DescribeCheaperPoint()} cost {FeeAtCheaperPoint}";
    }

    /// <inheritdoc />
    public bool Equals(TierCliff other) => Equals(Table, other.Table) && Equals(Below, other.Below) && Equals(Above, other.Above);

    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is TierCliff other && Equals(other);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Table, Below, Above);

    /// <summary>Compares two cliffs.</summary>
    /// <param name="left">The first cliff.</param>
    /// <param name="right">The second cliff.</param>
    /// <returns>Whether they are equal.</returns>
    public static bool operator ==(TierCliff left, TierCliff right) => left.Equals(right);

    /// <summary>Compares two cliffs.</summary>
    /// <param name="left">The first cliff.</param>
    /// <param name="right">The second cliff.</param>
    /// <returns>Whether they differ.</returns>
    public static bool operator !=(TierCliff left, TierCliff right) => !left.Equals(right);
}

/// <summary>Finds the tier cliffs of volume-priced tables: where using more costs less.</summary>
public static class TierCliffs
{
    /// <summary>
    /// Returns one cliff per threshold where the price drops, in ascending order, under the table's
    /// threshold rule. Graduated tables have none (more usage never costs less), nor have thresholds
    /// where the price does not drop or that no total of <see cref="long.MaxValue"/> seconds reaches.
    /// </summary>
    /// <param name="table">The price table.</param>
    /// <returns>The cliffs.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="table"/> is null.</exception>
    public static ImmutableArray<TierCliff> Of(PriceTable table)
    {
        ArgumentNullException.ThrowIfNull(table);
        if (table.Rules.Mode == TierMode.Graduated)
        {
            return [];
        }

        var cliffs = ImmutableArray.CreateBuilder<TierCliff>();
        for (var i = 1; i < table.Tiers.Length; i++)
        {
            var (below, above) = (table.Tiers[i - 1], table.Tiers[i]);
            if (above.UnitPrice.Amount < below.UnitPrice.Amount && CheaperPoint(table, i) is { } seconds)
            {
                cliffs.Add(new TierCliff(table, below, above, seconds));
            }
        }

        return cliffs.ToImmutable();
    }

    /// <summary>Returns the cliff whose range holds a window's total, if any.</summary>
    /// <param name="table">The price table.</param>
    /// <param name="hours">The window's total hours.</param>
    /// <param name="cliff">The cliff, when found.</param>
    /// <returns>Whether reaching the next threshold would make the window cheaper.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="table"/> is null.</exception>
    public static bool TryFind(PriceTable table, decimal hours, out TierCliff cliff)
    {
        foreach (var candidate in Of(table))
        {
            if (candidate.Contains(hours))
            {
                cliff = candidate;
                return true;
            }
        }

        cliff = default;
        return false;
    }

    /// <summary>The first whole second of tier <paramref name="index"/> rounded up to the billing increment; null past <see cref="long.MaxValue"/>.</summary>
    private static long? CheaperPoint(PriceTable table, int index)
    {
        var first = table.TierFirstSecond(index);
        var increment = (ulong)table.Rules.IncrementSeconds;
        var rounded = first > long.MaxValue ? ulong.MaxValue : (first + increment - 1) / increment * increment;
        return rounded > long.MaxValue ? null : (long)rounded;
    }
}
