using NodaTime;

namespace AsrBilling;

/// <summary>
/// The entry point: prices one tier window's usage of one service, or a whole usage log.
/// </summary>
/// <remarks>
/// Pricing is volume (all-units): the window's total chooses the tier, and every unit is billed at
/// that tier's price (billing rules 1–3). The fee is exact, then rounded once to cents, half away
/// from zero (rule 5). Zero usage costs zero (rule 9).
/// </remarks>
public static partial class PriceCalculator
{
    private const decimal SecondsPerHour = 3600m;

    /// <summary>Prices one day's hours of a service with the built-in book's latest prices.</summary>
    /// <param name="service">The service.</param>
    /// <param name="hours">The day's total billable hours; not negative.</param>
    /// <returns>The charge; for example 315 h of <see cref="AsrService.RealTime"/> costs 378.00 USD.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="service"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="hours"/> is negative.</exception>
    /// <exception cref="PriceNotFoundException">The built-in book does not price <paramref name="service"/>.</exception>
    /// <exception cref="OverflowException">The fee is outside the range of <see cref="decimal"/>.</exception>
    public static Charge Compute(AsrService service, decimal hours)
    {
        ArgumentNullException.ThrowIfNull(service);
        ArgumentOutOfRangeException.ThrowIfNegative(hours);
        return PriceHours(PriceBook.TencentCloudInternational.GetLatestTable(service), hours);
    }

    /// <summary>
    /// Prices one day's usage of a service, given as a duration, with the built-in book's latest
    /// prices. The duration is rounded up to a whole second first (billing rule 4).
    /// </summary>
    /// <param name="service">The service.</param>
    /// <param name="duration">The day's total billable time; not negative.</param>
    /// <returns>The charge.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="service"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="duration"/> is negative.</exception>
    /// <exception cref="PriceNotFoundException">The built-in book does not price <paramref name="service"/>.</exception>
    public static Charge Compute(AsrService service, Duration duration)
    {
        ArgumentNullException.ThrowIfNull(service);
        return PriceSeconds(PriceBook.TencentCloudInternational.GetLatestTable(service), BillableSeconds(duration, nameof(duration)));
    }

    /// <summary>Prices one tier window's hours with a given table.</summary>
    /// <param name="table">The price table.</param>
    /// <param name="hours">The window's total billable hours; not negative.</param>
    /// <returns>The charge.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="table"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="hours"/> is negative.</exception>
    /// <exception cref="OverflowException">The fee is outside the range of <see cref="decimal"/>.</exception>
    public static Charge Compute(PriceTable table, decimal hours)
    {
        ArgumentNullException.ThrowIfNull(table);
        ArgumentOutOfRangeException.ThrowIfNegative(hours);
        return PriceHours(table, hours);
    }

    /// <summary>Prices one day's hours of a service with the built-in version in force on a billing date.</summary>
    /// <param name="service">The service.</param>
    /// <param name="hours">The day's total billable hours; not negative.</param>
    /// <param name="date">The billing date, which chooses the price version (billing rule 8).</param>
    /// <returns>The charge.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="service"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="hours"/> is negative.</exception>
    /// <exception cref="PriceNotFoundException"><paramref name="date"/> is before the earliest version.</exception>
    /// <exception cref="OverflowException">The fee is outside the range of <see cref="decimal"/>.</exception>
    public static Charge Compute(AsrService service, decimal hours, LocalDate date) =>
        Compute(PriceBook.TencentCloudInternational, service, hours, date);

    /// <summary>Prices one day's hours of a service with the version of a book in force on a billing date.</summary>
    /// <param name="book">The price book.</param>
    /// <param name="service">The service.</param>
    /// <param name="hours">The day's total billable hours; not negative.</param>
    /// <param name="date">The billing date, which chooses the price version (billing rule 8).</param>
    /// <returns>The charge.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="book"/> or <paramref name="service"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="hours"/> is negative.</exception>
    /// <exception cref="PriceNotFoundException"><paramref name="date"/> is before the earliest version, or the book does not price the service.</exception>
    /// <exception cref="OverflowException">The fee is outside the range of <see cref="decimal"/>.</exception>
    public static Charge Compute(PriceBook book, AsrService service, decimal hours, LocalDate date)
    {
        ArgumentNullException.ThrowIfNull(book);
        ArgumentNullException.ThrowIfNull(service);
        ArgumentOutOfRangeException.ThrowIfNegative(hours);
        return PriceHours(book.GetTable(service, date), hours);
    }

    /// <summary>Prices hours: fee = hours × unit price, exact, then rounded once.</summary>
    internal static Charge PriceHours(PriceTable table, decimal hours)
    {
        var tier = table.FindTier(hours);
        decimal exact;
        try
        {
            exact = table.ExactFee(hours, inSeconds: false, tier);
        }
        catch (OverflowException e)
        {
            throw new OverflowException(
                $"The fee for {PriceTier.FormatHours(hours)} h of {table.Service.Id} at {tier.UnitPrice}/h is too large for decimal.", e);
        }

        return new Charge(table, tier, hours, quantityInSeconds: false, exact);
    }

    /// <summary>
    /// Prices whole seconds: fee = seconds × unit price ÷ 3600, multiplying first so that the only
    /// inexact step is the division (billing rule 5). A long times a price cannot overflow decimal.
    /// </summary>
    internal static Charge PriceSeconds(PriceTable table, long seconds)
    {
        var tier = table.FindTierBySeconds(seconds);
        return new Charge(table, tier, seconds, quantityInSeconds: true, table.ExactFee(seconds, inSeconds: true, tier));
    }

    /// <summary>
    /// Prices whole seconds of which a free allowance and prepaid packs cover some (billing rule 11). The
    /// tier is chosen from the seconds that count toward it: all of them by default, less the allowance's
    /// or the packs' when a rule says they do not count. Volume: the uncovered seconds at the tier's
    /// price. Graduated: the counted covered seconds are the window's first, so they take the lowest
    /// slices: fee(counted) − fee(counted covered).
    /// </summary>
    internal static Charge PriceSeconds(PriceTable table, long seconds, decimal allowance, long packs = 0)
    {
        if (allowance <= 0 && packs <= 0)
        {
            return PriceSeconds(table, seconds);
        }

        var rules = table.Rules;
        var uncounted = (rules.FreeHoursCountTowardTier ? 0m : allowance) + (rules.PackHoursCountTowardTier ? 0 : packs);
        var countedCovered = allowance + packs - uncounted;
        var tierSeconds = seconds - (long)Math.Ceiling(uncounted);
        var tier = table.FindTierBySeconds(Math.Max(tierSeconds, 0));
        decimal exact;
        if (rules.Mode == TierMode.Volume)
        {
            exact = (seconds - allowance - packs) * tier.UnitPrice.Amount / SecondsPerHour;
        }
        else
        {
            exact = table.ExactFee(seconds - uncounted, inSeconds: true, tier) - (countedCovered == 0 ? 0m : table.ExactFee(countedCovered, inSeconds: true, tier));
        }

        return new Charge(table, tier, seconds, quantityInSeconds: true, exact, allowance, packs);
    }

    /// <summary>Rounds a duration up to whole seconds (billing rule 4).</summary>
    internal static long BillableSeconds(Duration duration, string paramName)
    {
        if (duration < Duration.Zero)
        {
            throw new ArgumentOutOfRangeException(paramName, duration, "A duration should not be negative.");
        }

        return UsageRecord.RoundUpToSeconds(duration);
    }
}
