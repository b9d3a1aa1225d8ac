using System.Globalization;

namespace AsrBilling;

/// <summary>How a tier window's usage is priced across tiers.</summary>
public enum TierMode
{
    /// <summary>All units at the price of the tier the window's total reaches (Tencent; billing rule 2).</summary>
    Volume = 0,

    /// <summary>Each slice of the total at its own tier's price (Stripe's and OpenMeter's "graduated").</summary>
    Graduated = 1,
}

/// <summary>Which tier a total exactly at a threshold belongs to.</summary>
public enum ThresholdRule
{
    /// <summary>Reaching a threshold moves usage up: 300 h is in the tier from 300 h (Tencent; billing rule 3).</summary>
    ReachMovesUp = 0,

    /// <summary>A tier runs up to and including its upper bound: 300 h stays in the tier up to 300 h (Stripe's and OpenMeter's <c>up_to</c>).</summary>
    UpToInclusive = 1,
}

/// <summary>The period whose total usage chooses the tier.</summary>
public enum TierWindow
{
    /// <summary>One billing day (Tencent; billing rule 1).</summary>
    Day = 0,

    /// <summary>One calendar month of billing days.</summary>
    Month = 1,
}

/// <summary>
/// The rules of a price table beyond its tiers: tier mode, threshold rule, tier window, billing
/// increment, per-record minimum and free monthly allowance. Immutable; <see cref="Tencent"/> holds
/// the defaults.
/// </summary>
public sealed class PriceRules : IEquatable<PriceRules>
{
    /// <summary>Creates rules; every argument is optional.</summary>
    /// <param name="mode">Volume (the default) or graduated.</param>
    /// <param name="thresholdRule">Where a total exactly at a threshold goes. Default: reaching it moves up.</param>
    /// <param name="window">The tier window. Default: one day.</param>
    /// <param name="incrementSeconds">Each record is billed in whole multiples of this many seconds, rounded up. Default: 1.</param>
    /// <param name="minimumSeconds">Each record bills at least this many seconds (a record of 0 s bills 0). Default: 0.</param>
    /// <param name="freeHoursPerMonth">Hours per account, service and calendar month that cost nothing, used first in time order. Default: 0.</param>
    /// <param name="freeHoursCountTowardTier">Whether hours the allowance covers still count toward the window's tier. Default: true.</param>
    /// <param name="packHoursCountTowardTier">Whether hours prepaid packs cover still count toward the window's tier. Default: true.</param>
    /// <exception cref="ArgumentOutOfRangeException">An enum is undefined, the increment is below 1 s, or the minimum or allowance is negative.</exception>
    public PriceRules(
        TierMode mode = TierMode.Volume,
        ThresholdRule thresholdRule = ThresholdRule.ReachMovesUp,
        TierWindow window = TierWindow.Day,
        int incrementSeconds = 1,
        int minimumSeconds = 0,
        decimal freeHoursPerMonth = 0m,
        bool freeHoursCountTowardTier = true,
        bool packHoursCountTowardTier = true)
    {
        if (!Enum.IsDefined(mode))
        {
            throw new ArgumentOutOfRangeException(nameof(mode), mode, "Use TierMode.Volume or TierMode.Graduated.");
        }

        if (!Enum.IsDefined(thresholdRule))
        {
            throw new ArgumentOutOfRangeException(nameof(thresholdRule), thresholdRule, "Use ThresholdRule.ReachMovesUp or ThresholdRule.UpToInclusive.");
        }

        if (!Enum.IsDefined(window))
        {
            throw new ArgumentOutOfRangeException(nameof(window), window, "Use TierWindow.Day or TierWindow.Month.");
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(incrementSeconds, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(minimumSeconds);
        ArgumentOutOfRangeException.ThrowIfNegative(freeHoursPerMonth);
        Mode = mode;
        ThresholdRule = thresholdRule;
        Window = window;
        IncrementSeconds = incrementSeconds;
        MinimumSeconds = minimumSeconds;
        FreeHoursPerMonth = freeHoursPerMonth;
        FreeHoursCountTowardTier = freeHoursCountTowardTier;
        PackHoursCountTowardTier = packHoursCountTowardTier;
    }

    /// <summary>Tencent's rules: volume, reaching a threshold moves up, daily window, whole seconds, no minimum, no allowance.</summary>
    public static PriceRules Tencent { get; } = new();

    /// <summary>Volume or graduated.</summary>
    public TierMode Mode { get; }

    /// <summary>Where a total exactly at a threshold goes.</summary>
    public ThresholdRule ThresholdRule { get; }

    /// <summary>The period whose total chooses the tier.</summary>
    public TierWindow Window { get; }

    /// <summary>Each record is billed in whole multiples of this many seconds, rounded up.</summary>
    /// <value>The default is 1 (Tencent: the second is the minimum billing unit).</value>
    public int IncrementSeconds { get; }

    /// <summary>The fewest seconds a record of non-zero duration bills.</summary>
    /// <value>The default is 0.</value>
    public int MinimumSeconds { get; }

    /// <summary>Free hours per account, service and calendar month.</summary>
    /// <value>The default is 0.</value>
    public decimal FreeHoursPerMonth { get; }

    /// <summary>Whether hours the allowance covers still count toward the tier.</summary>
    /// <value>The default is true.</value>
    public bool FreeHoursCountTowardTier { get; }

    /// <summary>Whether hours that prepaid packs cover still count toward the tier (billing rule 11).</summary>
    /// <value>The default is true: Tencent chooses the tier from all of a window's hours.</value>
    public bool PackHoursCountTowardTier { get; }

    /// <summary>Whether a record's whole seconds bill as they are: increment 1 s and no minimum.</summary>
    internal bool BillsWholeSeconds => IncrementSeconds == 1 && MinimumSeconds == 0;

    /// <summary>Applies the increment and the minimum to one record's whole seconds.</summary>
    /// <exception cref="OverflowException">The rounded seconds exceed <see cref="long.MaxValue"/>.</exception>
    internal long BillableSeconds(long seconds)
    {
        if (seconds == 0 || BillsWholeSeconds)
        {
            return seconds;
        }

        // ceil(ceil(d) / n) × n = ceil(d / n) × n for a whole n: rounding to seconds first changes nothing.
        var rounded = checked(((seconds + IncrementSeconds - 1) / IncrementSeconds) * IncrementSeconds);
        return Math.Max(rounded, MinimumSeconds);
    }

    /// <inheritdoc />
    public bool Equals(PriceRules? other) =>
        other is not null && Mode == other.Mode && ThresholdRule == other.ThresholdRule && Window == other.Window
        && IncrementSeconds == other.IncrementSeconds && MinimumSeconds == other.MinimumSeconds
        && FreeHoursPerMonth == other.FreeHoursPerMonth && FreeHoursCountTowardTier == other.FreeHoursCountTowardTier
        && PackHoursCountTowardTier == other.PackHoursCountTowardTier;

    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as PriceRules);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Mode, ThresholdRule, Window, IncrementSeconds, MinimumSeconds, FreeHoursPerMonth, FreeHoursCountTowardTier, PackHoursCountTowardTier);

    /// <summary>Describes the rules invariantly, for example <c>volume, reach moves up, per day, 1 s increments</c>.</summary>
    /// <returns>The rules as text.</returns>
    public override string ToString()
    {
        var text = string.Create(CultureInfo.InvariantCulture, $"{(Mode == TierMode.Volume ? "volume" : "graduated")}, {(ThresholdRule == ThresholdRule.ReachMovesUp ? "reach moves up" : "up to inclusive")}, per {(Window == TierWindow.Day ? "day" : "month")}, {IncrementSeconds} s increments");
        if (MinimumSeconds > 0)
        {
            text += string.Create(CultureInfo.InvariantCulture, $", {MinimumSeconds} s minimum");
        }

        if (FreeHoursPerMonth > 0)
        {
            text += string.Create(CultureInfo.InvariantCulture, $", {PriceTier.TextHours(FreeHoursPerMonth)} h free a month{(FreeHoursCountTowardTier ? string.Empty : " (not counted toward the tier)")}");
        }

        if (!PackHoursCountTowardTier)
        {
            text += ", pack hours not counted toward the tier";
        }

        return text;
    }
}
