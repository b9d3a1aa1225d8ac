using System.Collections.Immutable;
using System.Globalization;
using NodaTime;

namespace AsrBilling;

/// <summary>
/// Planned usage: hours per billing day over a range of dates, for forecasts. Immutable; build it
/// with <see cref="Constant"/>, <see cref="Daily"/> or <see cref="MonthSoFar"/>.
/// </summary>
public sealed class UsageProfile
{
    private UsageProfile(ImmutableArray<(LocalDate Date, decimal Hours)> days) => Days = days;

    /// <summary>The planned hours of each day, in date order.</summary>
    public ImmutableArray<(LocalDate Date, decimal Hours)> Days { get; }

    /// <summary>The same hours every day of a date range.</summary>
    /// <param name="hoursPerDay">Hours per day; not negative.</param>
    /// <param name="dates">The days, for example <c>new DateInterval(new LocalDate(2025, 9, 1), new LocalDate(2025, 9, 30))</c>.</param>
    /// <returns>The profile.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="dates"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="hoursPerDay"/> is negative.</exception>
    public static UsageProfile Constant(decimal hoursPerDay, DateInterval dates)
    {
        ArgumentNullException.ThrowIfNull(dates);
        ArgumentOutOfRangeException.ThrowIfNegative(hoursPerDay);
        return new([.. dates.Select(d => (d, hoursPerDay))]);
    }

    /// <summary>A list of hours, one per day from a first date.</summary>
    /// <param name="firstDate">The date of the first hours.</param>
    /// <param name="hoursPerDay">Hours of each day in turn; at least one, none negative.</param>
    /// <returns>The profile.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="hoursPerDay"/> is null.</exception>
    /// <exception cref="ArgumentException">The list is empty, or an entry is negative; the message names its position.</exception>
    public static UsageProfile Daily(LocalDate firstDate, IEnumerable<decimal> hoursPerDay)
    {
        ArgumentNullException.ThrowIfNull(hoursPerDay);
        var hours = hoursPerDay.ToList();
        Validate(hours, nameof(hoursPerDay));
        return new([.. hours.Select((h, i) => (firstDate.PlusDays(i), h))]);
    }

    /// <summary>
    /// The month so far, extended by its own daily average: the given days as they are, and every
    /// later day of the month at the average of the given ones.
    /// </summary>
    /// <param name="firstDate">The first day of the hours so far; the month is this date's.</param>
    /// <param name="hoursSoFar">Hours of each day so far, from <paramref name="firstDate"/>; at least one, none negative, within the month.</param>
    /// <returns>The profile for the whole rest of the month.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="hoursSoFar"/> is null.</exception>
    /// <exception cref="ArgumentException">The list is empty, an entry is negative, or it runs past the month's end.</exception>
    public static UsageProfile MonthSoFar(LocalDate firstDate, IEnumerable<decimal> hoursSoFar)
    {
        ArgumentNullException.ThrowIfNull(hoursSoFar);
        var hours = hoursSoFar.ToList();
        Validate(hours, nameof(hoursSoFar));
        var lastOfMonth = firstDate.With(DateAdjusters.EndOfMonth);
        if (firstDate.PlusDays(hours.Count - 1) > lastOfMonth)
        {
            throw new ArgumentException(
                string.Create(CultureInfo.InvariantCulture, $"{hours.Count} days from {IsoDate.Format(firstDate)} run past the month's end ({IsoDate.Format(lastOfMonth)})."),
                nameof(hoursSoFar));
        }

        var average = hours.Sum() / hours.Count;
        var days = hours.Select((h, i) => (firstDate.PlusDays(i), h)).ToList();
        for (var date = firstDate.PlusDays(hours.Count); date <= lastOfMonth; date = date.PlusDays(1))
        {
            days.Add((date, average));
        }

        return new([.. days]);
    }

    /// <summary>The profile as daily totals of one service for one account, each day's hours rounded up to whole seconds.</summary>
    internal IEnumerable<DailyTotal> ToDailyTotals(AsrService service) =>
        Days.Select(d => new DailyTotal(string.Empty, service, d.Date, (long)decimal.Ceiling(d.Hours * 3600m)));

    private static void Validate(List<decimal> hours, string paramName)
    {
        if (hours.Count == 0)
        {
            throw new ArgumentException("A usage profile needs at least one day of hours.", paramName);
        }

        var negative = hours.FindIndex(h => h < 0);
        if (negative >= 0)
        {
            throw new ArgumentException(
                string.Create(CultureInfo.InvariantCulture, $"Day {negative + 1} of the profile has negative hours ({hours[negative]})."), paramName);
        }
    }
}

/// <summary>The priced forecast of one service for a usage profile: each window's charge and tier, and the total.</summary>
public sealed class Forecast
{
    internal Forecast(AsrService service, UsageProfile profile, Bill bill)
    {
        Service = service;
        Profile = profile;
        Bill = bill;
    }

    /// <summary>The service.</summary>
    public AsrService Service { get; }

    /// <summary>The usage profile.</summary>
    public UsageProfile Profile { get; }

    /// <summary>The bill the profile would get: one charge per day (or per month, for a monthly window), with its tier.</summary>
    public Bill Bill { get; }

    /// <summary>The forecast total.</summary>
    public Money Total => Bill.Total;

    /// <summary>Formats invariantly: <c>real-time: 11760.00 USD over 30 days</c>.</summary>
    /// <returns>The forecast as text.</returns>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Service.Id}: {Total} over {TextCount.Of(Profile.Days.Length, "day")}");
}

/// <summary>Prices usage profiles: what a month, or any range of days, will cost, on one service or several side by side.</summary>
public static class Forecaster
{
    /// <summary>Prices a profile on one service, with the options' price book and allowances.</summary>
    /// <param name="profile">The planned hours per day.</param>
    /// <param name="service">The service.</param>
    /// <param name="options">Price book and allowances; null for <see cref="BillingOptions.Default"/>.</param>
    /// <returns>The forecast.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="profile"/> or <paramref name="service"/> is null.</exception>
    /// <exception cref="PriceNotFoundException">A day is before the earliest price version, or the book does not price the service.</exception>
    public static Forecast Price(UsageProfile profile, AsrService service, BillingOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(profile);
        ArgumentNullException.ThrowIfNull(service);
        return new Forecast(service, profile, PriceCalculator.Compute(profile.ToDailyTotals(service), options));
    }

    /// <summary>Prices one profile on several services side by side, for example real-time against recording file.</summary>
    /// <param name="profile">The planned hours per day.</param>
    /// <param name="services">The services to compare; at least one.</param>
    /// <param name="options">Price book and allowances; null for <see cref="BillingOptions.Default"/>.</param>
    /// <returns>One forecast per service, cheapest first (ties by service id).</returns>
    /// <exception cref="ArgumentNullException"><paramref name="profile"/> or <paramref name="services"/> is null.</exception>
    /// <exception cref="ArgumentException">No service is given.</exception>
    /// <exception cref="PriceNotFoundException">A day is before the earliest price version, or the book does not price a service.</exception>
    public static ImmutableArray<Forecast> Compare(UsageProfile profile, IEnumerable<AsrService> services, BillingOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        var list = services.Distinct().ToList();
        if (list.Count == 0)
        {
            throw new ArgumentException("Compare at least one service.", nameof(services));
        }

        return [.. list.Select(s => Price(profile, s, options)).OrderBy(f => f.Total.Amount).ThenBy(f => f.Service.Id, StringComparer.Ordinal)];
    }
}
