using System.Collections.Immutable;
using System.Globalization;
using NodaTime;

namespace AsrBilling;

/// <summary>
/// One line of a bill: the charge for one account's use of one service on one billing date,
/// with the daily total it prices.
/// </summary>
public sealed class DailyCharge
{
    internal DailyCharge(DailyTotal total, Charge charge)
    {
        Total = total;
        Charge = charge;
    }

    /// <summary>The daily total that was priced.</summary>
    public DailyTotal Total { get; }

    /// <summary>The charge: tier, unit price, exact and rounded fee, and the price version.</summary>
    public Charge Charge { get; }

    /// <summary>The billing account; empty for the default account.</summary>
    public string Account => Total.Account;

    /// <summary>The service.</summary>
    public AsrService Service => Total.Service;

    /// <summary>The billing date.</summary>
    public LocalDate Date => Total.Date;

    /// <summary>The day's billable whole seconds.</summary>
    public long BillableSeconds => Total.BillableSeconds;

    /// <summary>Seconds per tag, ordered by tag.</summary>
    public ImmutableSortedDictionary<string, long> TagSeconds => Total.TagSeconds;

    /// <summary>The fee, rounded to cents.</summary>
    public Money Fee => Charge.Fee;

    /// <summary>Formats invariantly: <c>2025-09-02 acme: 1.40 USD = 1 h × 1.40 USD/h (real-time, tier 1 of 5: …)</c>.</summary>
    /// <returns>The line as text.</returns>
    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"{Date:uuuu-MM-dd} {(Account.Length == 0 ? "(default account)" : Account)}: {Charge}");
}
