using System.Collections.Immutable;
using System.Globalization;
using NodaTime;

namespace AsrBilling;

/// <summary>
/// One line of a bill: the charge for one account's use of one service over one tier window (a
/// billing day, or a calendar month for tables that count tiers by month), with the daily totals it
/// came from.
/// </summary>
public sealed class BillCharge
{
    internal BillCharge(string account, AsrService service, TierWindow window, ImmutableArray<DailyTotal> days, Charge charge)
    {
        Account = account;
        Service = service;
        Window = window;
        Days = days;
        Charge = charge;
        BillableSeconds = days.Sum(d => d.BillableSeconds);
        TagSeconds = days.Length == 1
            ? days[0].TagSeconds
            : days.SelectMany(d => d.TagSeconds).GroupBy(p => p.Key, StringComparer.Ordinal)
                .ToImmutableSortedDictionary(g => g.Key, g => g.Sum(p => p.Value), StringComparer.Ordinal);
    }

    /// <summary>The billing account; empty for the default account.</summary>
    public string Account { get; }

    /// <summary>The service.</summary>
    public AsrService Service { get; }

    /// <summary>The tier window: a day, or a calendar month.</summary>
    public TierWindow Window { get; }

    /// <summary>The first billing date of the window: the day itself, or the month's first day with usage.</summary>
    public LocalDate Date => Days[0].Date;

    /// <summary>The window as text: the date (<c>2025-09-02</c>) or the month (<c>2025-09</c>).</summary>
    public string Period => Window == TierWindow.Day ? IsoDate.Format(Date) : IsoDate.FormatMonth(Date);

    /// <summary>The daily totals the charge prices, in date order: one for a daily window.</summary>
    public ImmutableArray<DailyTotal> Days { get; }

    /// <summary>The window's billable whole seconds.</summary>
    public long BillableSeconds { get; }

    /// <summary>Seconds per tag over the window, ordered by tag.</summary>
    public ImmutableSortedDictionary<string, long> TagSeconds { get; }

    /// <summary>The seconds that carry no tag.</summary>
    public long UntaggedSeconds => BillableSeconds - TagSeconds.Values.Sum();

    /// <summary>The charge: tier, unit price, exact and rounded fee, allowance and the price version.</summary>
    public Charge Charge { get; }

    /// <summary>The fee, rounded to cents.</summary>
    public Money Fee => Charge.Fee;

    /// <summary>
    /// Formats invariantly: <c>2025-09-02 acme: 1.40 USD = 1 h × 1.40 USD/h (real-time, tier 1 of 5: …)</c>;
    /// a monthly window also says how many days it adds up.
    /// </summary>
    /// <returns>The line as text.</returns>
    public override string ToString()
    {
        var text = string.Create(CultureInfo.InvariantCulture, $"{Period} {(Account.Length == 0 ? "(default account)" : Account)}: {Charge}");
        return Window == TierWindow.Day ? text : string.Create(CultureInfo.InvariantCulture, $"{text}, over {Days.Length} days");
    }
}
