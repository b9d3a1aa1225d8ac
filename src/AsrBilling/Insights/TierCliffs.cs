using System.Collections.Immutable;
using System.Globalization;

namespace AsrBilling;

/// <summary>
/// A range of usage just below a volume-pricing threshold where using more costs less: for every
/// total in [<see cref="BreakEvenHours"/>, <see cref="ThresholdHours"/>), the window would cost less
/// at exactly the threshold, where all units drop to the next tier's price.
/// </summary>
/// <remarks>
/// The break-even point is b = T × p_next ÷ p_prev: at b the two costs are equal, above it the
/// threshold is cheaper. For real-time recognition, 299 h cost 418.60 USD while 300 h cost 360.00 USD.
/// Under <see cref="ThresholdRule.UpToInclusive"/> the next tier starts just past T, so the cheaper
/// point is T plus one billing second; the range is the same.
/// </remarks>
public readonly struct TierCliff : IEquatable<TierCliff>
{
    internal TierCliff(PriceTable table, PriceTier below, PriceTier above)
    {
        Table = table;
        Below = below;
        Above = above;
    }

    /// <summary>The price table.</summary>
    public PriceTable Table { get; }

    /// <summary>The tier the range is in.</summary>
    public PriceTier Below { get; }

    /// <summary>The tier that starts at the threshold.</summary>
    public PriceTier Above { get; }

    /// <summary>The threshold T, in hours per tier window.</summary>
    public decimal ThresholdHours => Above.FromHours;

    /// <summary>The break-even point b = T × p_next ÷ p_prev, exact to 28 significant digits.</summary>
    public decimal BreakEvenHours => Above.FromHours * Above.UnitPrice.Amount / Below.UnitPrice.Amount;

    /// <summary>The fee of a window at exactly the threshold (all units at the next tier's price), rounded to cents.</summary>
    public Money FeeAtThreshold => Money.Trusted(Above.FromHours * Above.UnitPrice.Amount, Table.Currency).RoundToCents();

    /// <summary>Whether a window's total lies in the range where reaching the threshold would cost less.</summary>
    /// <param name="hours">The window's total hours.</param>
    /// <returns>Whether <paramref name="hours"/> is in [b, T) (at b the costs are equal).</returns>
    public bool Contains(decimal hours) => hours >= BreakEvenHours && hours < ThresholdHours;

    /// <summary>Formats invariantly: <c>real-time tier 1 → 2: from 257.14 h to 300 h, 300 h cost 360.00 USD</c>.</summary>
    /// <returns>The cliff as text.</returns>
    public override string ToString() => string.Create(
        CultureInfo.InvariantCulture,
        $"{Table.Service.Id} tier {Below.Number} → {Above.Number}: from {Math.Round(BreakEvenHours, 2, MidpointRounding.AwayFromZero)} h to {PriceTier.FormatHours(ThresholdHours)} h, {PriceTier.FormatHours(ThresholdHours)} h cost {FeeAtThreshold}");

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
    /// Returns one cliff per threshold where the price drops, in ascending order. Graduated tables
    /// have none (more usage never costs less), nor have thresholds where the price does not drop.
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
            if (above.UnitPrice.Amount < below.UnitPrice.Amount)
            {
                cliffs.Add(new TierCliff(table, below, above));
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
}
