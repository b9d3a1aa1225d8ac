using System.Globalization;

namespace AsrBilling;

/// <summary>
/// One tier of a price table: a 1-based <see cref="Number"/>, a range of hours per tier window and
/// a unit price per hour.
/// </summary>
/// <remarks>
/// Which tier a total exactly at a threshold belongs to is its table's <see cref="ThresholdRule"/>.
/// By default reaching a threshold moves usage up (billing rule 3): ranges are <c>[FromHours, ToHours)</c>,
/// and 300 h is in the tier that starts at 300 h. Under <see cref="ThresholdRule.UpToInclusive"/> they
/// are <c>(FromHours, ToHours]</c> (the first tier holds 0 h too). Equality compares every component.
/// </remarks>
public sealed class PriceTier : IEquatable<PriceTier>
{
    /// <summary>Creates a tier.</summary>
    /// <param name="number">The 1-based position in its table.</param>
    /// <param name="fromHours">The inclusive lower bound in hours; not negative.</param>
    /// <param name="toHours">The exclusive upper bound in hours, above <paramref name="fromHours"/>;
    /// null for the open-ended last tier.</param>
    /// <param name="unitPrice">The price per hour; not negative.</param>
    /// <exception cref="PriceTableException">A component is out of range; the message names the tier.</exception>
    public PriceTier(int number, decimal fromHours, decimal? toHours, Money unitPrice)
    {
        if (number < 1)
        {
            throw new PriceTableException($"Tier numbers start at 1, but a tier is numbered {number}.", tierNumber: number);
        }

        if (fromHours < 0)
        {
            throw new PriceTableException(
                $"Tier {number} starts at {FormatHours(fromHours)} h: thresholds should not be negative.", tierNumber: number);
        }

        if (toHours is { } upper && upper <= fromHours)
        {
            throw new PriceTableException(
                $"Tier {number} ends at {FormatHours(upper)} h, which is not above its start {FormatHours(fromHours)} h: thresholds must be strictly ascending.",
                tierNumber: number);
        }

        if (unitPrice.Amount < 0)
        {
            throw new PriceTableException(
                $"Tier {number} has a negative unit price {unitPrice}/h: prices should not be negative.", tierNumber: number);
        }

        Number = number;
        FromHours = fromHours;
        ToHours = toHours;
        UnitPrice = unitPrice;
    }

    /// <summary>The 1-based position of the tier in its table.</summary>
    public int Number { get; }

    /// <summary>The lower bound, in hours per tier window; inclusive unless the table's rule is <see cref="ThresholdRule.UpToInclusive"/>.</summary>
    public decimal FromHours { get; }

    /// <summary>The upper bound in hours per tier window, or null for the open-ended last tier; exclusive unless the table's rule is <see cref="ThresholdRule.UpToInclusive"/>.</summary>
    public decimal? ToHours { get; }

    /// <summary>The price of one hour in this tier.</summary>
    public Money UnitPrice { get; }

    /// <summary>Whether the tier has no upper bound.</summary>
    public bool IsOpenEnded => ToHours is null;

    /// <summary>
    /// The range as text when reaching a threshold moves usage up: <c>300 h to 1000 h</c>, or
    /// <c>5000 h and above</c>. Hours are shown to 2 decimals, rounded half away from zero, with
    /// <c>≈</c> before a rounded value: <c>≈4166.67 h to ≈16666.67 h</c>. <see cref="FromHours"/>
    /// and <see cref="ToHours"/> are exact.
    /// </summary>
    /// <returns>The range in hours.</returns>
    public string DescribeRange() => DescribeRange(ThresholdRule.ReachMovesUp);

    /// <summary>
    /// The range as text under a threshold rule: <c>300 h to 1000 h</c> and <c>5000 h and above</c> when
    /// reaching a threshold moves up; <c>0 h to 500 h inclusive</c>, <c>above 500 h to 1000 h inclusive</c>
    /// and <c>above 1000 h</c> when a tier runs up to and including its upper bound.
    /// </summary>
    /// <param name="rule">The threshold rule of the tier's table.</param>
    /// <returns>The range in hours.</returns>
    public string DescribeRange(ThresholdRule rule)
    {
        var from = TextHours(FromHours) + " h";
        if (rule != ThresholdRule.UpToInclusive)
        {
            return ToHours is { } to ? $"{from} to {TextHours(to)} h" : $"{from} and above";
        }

        // The first tier holds 0 h itself; every other tier starts just above its threshold.
        var lower = Number == 1 ? from : "above " + from;
        return ToHours is { } upper ? $"{lower} to {TextHours(upper)} h inclusive" : lower;
    }

    /// <summary>Formats invariantly, as reaching a threshold moves usage up: <c>tier 2 [300 h, 1000 h) at 1.20 USD/h</c>.</summary>
    /// <returns>The tier as text.</returns>
    public override string ToString() => ToString(ThresholdRule.ReachMovesUp);

    /// <summary>
    /// Formats invariantly under a threshold rule: <c>tier 2 [300 h, 1000 h) at 1.20 USD/h</c> when
    /// reaching a threshold moves up, <c>tier 2 (300 h, 1000 h] at 1.20 USD/h</c> when a tier runs up
    /// to and including its upper bound.
    /// </summary>
    /// <param name="rule">The threshold rule of the tier's table.</param>
    /// <returns>The tier as text.</returns>
    public string ToString(ThresholdRule rule)
    {
        var inclusive = rule == ThresholdRule.UpToInclusive;
        var open = inclusive && Number > 1 ? "(" : "[";
        var close = ToHours is not null && inclusive ? "]" : ")";
        var upper = ToHours is { } to ? TextHours(to) + " h" : "∞";
        return $"tier {Number} {open}{TextHours(FromHours)} h, {upper}{close} at {UnitPrice}/h";
    }

    /// <inheritdoc />
    public bool Equals(PriceTier? other) =>
        other is not null && Number == other.Number && FromHours == other.FromHours && ToHours == other.ToHours && UnitPrice == other.UnitPrice;

    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as PriceTier);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Number, FromHours, ToHours, UnitPrice);

    /// <summary>Formats hours invariantly without trailing zeros: <c>315</c>, <c>0.075</c>.</summary>
    internal static string FormatHours(decimal hours) => hours.ToString("0.############################", CultureInfo.InvariantCulture);

    /// <summary>
    /// Hours for people: to 2 decimals, half away from zero, without trailing zeros, and with <c>≈</c>
    /// before a value that rounding changed (<c>300</c>, <c>12.5</c>, <c>≈4166.67</c>). Error messages keep <see cref="FormatHours"/>.
    /// </summary>
    internal static string TextHours(decimal hours)
    {
        var rounded = Math.Round(hours, 2, MidpointRounding.AwayFromZero);
        return (rounded == hours ? string.Empty : "≈") + rounded.ToString("0.##", CultureInfo.InvariantCulture);
    }
}
