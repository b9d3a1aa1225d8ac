using System.Collections.Immutable;
using System.Globalization;
using System.Text;

namespace AsrBilling;

/// <summary>
/// The result of billing usage: one charge per account, service and tier window (a billing day, or
/// a calendar month for tables with a monthly window), priced with the version in force, with
/// subtotals per account, service and calendar month, and a total per currency.
/// </summary>
/// <remarks>
/// Charges are ordered by account, service id and date (ordinal), whatever the input order.
/// Subtotals and totals are sums of rounded charges (billing rule 5), so they always reconcile with
/// the charges to the cent. Immutable; <see cref="ToString"/> explains the whole bill.
/// </remarks>
public sealed class Bill
{
    internal Bill(ImmutableArray<BillCharge> charges, BillingOptions options, long recordsRead, long duplicatesIgnored)
    {
        Charges = charges;
        Options = options;
        RecordsRead = recordsRead;
        DuplicatesIgnored = duplicatesIgnored;
        ByAccount = Group(charges, c => c.Account);
        ByService = Group(charges, c => c.Service.Id);
        ByMonth = Group(charges, c => IsoDate.FormatMonth(c.Date));
        Totals = [.. Group(charges, _ => string.Empty).Select(s => s.Fee)];
    }

    /// <summary>The charges, ordered by account, service id and first date.</summary>
    public ImmutableArray<BillCharge> Charges { get; }

    /// <summary>The options the bill was made with: price book, zone and duplicate policy.</summary>
    public BillingOptions Options { get; }

    /// <summary>How many usage records were read, duplicates included; 0 when billed from daily totals.</summary>
    public long RecordsRead { get; }

    /// <summary>How many records were skipped as duplicates.</summary>
    public long DuplicatesIgnored { get; }

    /// <summary>Subtotals per account, ordered by account then currency.</summary>
    public ImmutableArray<Subtotal> ByAccount { get; }

    /// <summary>Subtotals per service id, ordered by id then currency.</summary>
    public ImmutableArray<Subtotal> ByService { get; }

    /// <summary>Subtotals per calendar month of the billing date (<c>2025-09</c>), in date order.</summary>
    public ImmutableArray<Subtotal> ByMonth { get; }

    /// <summary>The grand total per currency, ordered by currency code; empty for an empty bill.</summary>
    public ImmutableArray<Money> Totals { get; }

    /// <summary>The grand total when the bill has one currency; zero in the book's first currency when empty.</summary>
    /// <exception cref="InvalidOperationException">The bill has charges in more than one currency: use <see cref="Totals"/>.</exception>
    public Money Total => Totals.Length switch
    {
        0 => Money.Zero(Options.PriceBook.Tables[0].Currency),
        1 => Totals[0],
        _ => throw new InvalidOperationException(
            $"The bill has charges in {Totals.Length} currencies ({string.Join(", ", Totals.Select(t => t.Currency))}): read Totals instead."),
    };

    /// <summary>Explains the bill invariantly: every charge, the subtotals and the totals.</summary>
    /// <returns>A multi-line explanation.</returns>
    public override string ToString()
    {
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"Bill: {Charges.Length} charges; prices from '{Options.PriceBook.Name}'; billing days in {Options.Zone.Id}.").AppendLine();
        foreach (var charge in Charges)
        {
            text.Append("  ").Append(charge).AppendLine();
        }

        AppendSubtotals(text, "By account", ByAccount);
        AppendSubtotals(text, "By service", ByService);
        AppendSubtotals(text, "By month", ByMonth);
        text.Append("Total: ").Append(Totals.Length == 0 ? Total.ToString() : string.Join(" + ", Totals)).AppendLine();
        if (DuplicatesIgnored > 0)
        {
            text.Append(CultureInfo.InvariantCulture, $"{DuplicatesIgnored} duplicate records ignored.").AppendLine();
        }

        return text.ToString();
    }

    private static void AppendSubtotals(StringBuilder text, string title, ImmutableArray<Subtotal> subtotals)
    {
        text.Append(title).Append(':').AppendLine();
        foreach (var subtotal in subtotals)
        {
            text.Append("  ").Append(subtotal).AppendLine();
        }
    }

    private static ImmutableArray<Subtotal> Group(ImmutableArray<BillCharge> charges, Func<BillCharge, string> key)
    {
        var sums = new Dictionary<(string Key, string Currency), (decimal Fee, long Seconds, int Count)>();
        foreach (var charge in charges)
        {
            var k = (key(charge), charge.Fee.Currency);
            var (fee, seconds, count) = sums.GetValueOrDefault(k);
            sums[k] = (fee + charge.Fee.Amount, checked(seconds + charge.BillableSeconds), count + 1);
        }

        return [.. sums
            .OrderBy(p => p.Key.Key, StringComparer.Ordinal)
            .ThenBy(p => p.Key.Currency, StringComparer.Ordinal)
            .Select(p => new Subtotal(p.Key.Key, Money.Trusted(p.Value.Fee, p.Key.Currency), p.Value.Seconds, p.Value.Count))];
    }
}
