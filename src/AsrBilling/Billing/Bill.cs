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
/// the charges to the cent. The bill is held column-wise over its <see cref="DailyTotals"/>: a
/// <see cref="BillCharge"/> is built when it is read. Immutable; <see cref="ToString"/> explains the whole bill.
/// </remarks>
public sealed class Bill
{
    private readonly BillColumns _columns;

    // Each billing date's text, made once: a bill of many accounts has many charges on few dates.
    private readonly string?[] _dateTexts;
    private readonly int _firstDay;

    internal Bill(DailyTotalTable totals, BillColumns columns, BillingOptions options, long recordsRead, long duplicatesIgnored)
    {
        DailyTotals = totals;
        _columns = columns;
        Options = options;
        RecordsRead = recordsRead;
        DuplicatesIgnored = duplicatesIgnored;
        Charges = new BillChargeList(this);
        (_firstDay, var lastDay) = totals.Count == 0 ? (0, -1) : (totals.MinEpochDay, totals.MaxEpochDay);
        _dateTexts = new string?[Math.Clamp(lastDay - _firstDay + 1, 0, MaxCachedDates)];
        var subtotals = new SubtotalBuilder(this);
        ByAccount = subtotals.ByAccount;
        ByService = subtotals.ByService;
        ByMonth = subtotals.ByMonth;
        Totals = subtotals.Totals;
        Packs = columns.Packs?.Reports(totals.Count == 0 ? null : DailyTotalTable.DateOf(lastDay)) ?? [];
    }

    /// <summary>The charges, ordered by account, service id and first date.</summary>
    public BillChargeList Charges { get; }

    /// <summary>The daily totals the charges price, in the same order.</summary>
    public DailyTotalTable DailyTotals { get; }

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

    /// <summary>
    /// What the bill did with each prepaid pack of <see cref="BillingOptions.Packs"/>, in list order: hours
    /// used per month, left, and expired unused (billing rule 11); empty when the options hold no packs.
    /// </summary>
    public ImmutableArray<PackReport> Packs { get; }

    internal BillColumns Columns => _columns;

    /// <summary>Explains the bill invariantly: every charge, the subtotals and the totals.</summary>
    /// <returns>A multi-line explanation.</returns>
    public override string ToString()
    {
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"Bill: {TextCount.Of(Charges.Count, "charge")}; prices from '{Options.PriceBook.Name}'; billing days in {Options.Zone.Id}.").AppendLine();
        foreach (var charge in Charges)
        {
            text.Append("  ").Append(charge).AppendLine();
        }

        AppendSubtotals(text, "By account", ByAccount);
        AppendSubtotals(text, "By service", ByService);
        AppendSubtotals(text, "By month", ByMonth);
        if (!Packs.IsEmpty)
        {
            text.Append("Packs:").AppendLine();
            foreach (var pack in Packs)
            {
                text.Append("  ").Append(pack).AppendLine();
            }
        }

        text.Append("Total: ").Append(Totals.Length == 0 ? Total.ToString() : string.Join(" + ", Totals)).AppendLine();
        if (DuplicatesIgnored > 0)
        {
            text.Append(CultureInfo.InvariantCulture, $"{TextCount.Of(DuplicatesIgnored, "duplicate record")} ignored.").AppendLine();
        }

        return text.ToString();
    }

    private const int MaxCachedDates = 1 << 16;

    /// <summary>A billing date as <c>2025-09-02</c>, made once per date for dates within 2^16 days of the bill's first.</summary>
    internal string DateText(int epochDay)
    {
        var i = epochDay - _firstDay;
        if (unchecked((uint)i) >= (uint)_dateTexts.Length)
        {
            return IsoDate.Format(DailyTotalTable.DateOf(epochDay));
        }

        // A race writes the same text twice; a reference write is atomic.
        return _dateTexts[i] ??= IsoDate.Format(DailyTotalTable.DateOf(epochDay));
    }

    /// <summary>The billable seconds of a charge: its daily totals' sum.</summary>
    internal long SecondsOf(int charge)
    {
        var (first, end) = (_columns.FirstTotal(charge), _columns.EndTotal(charge));
        var sum = DailyTotals.SecondsAt(first);
        for (var i = first + 1; i < end; i++)
        {
            sum += DailyTotals.SecondsAt(i); // the pricer checked the sum
        }

        return sum;
    }

    private static void AppendSubtotals(StringBuilder text, string title, ImmutableArray<Subtotal> subtotals)
    {
        text.Append(title).Append(':').AppendLine();
        foreach (var subtotal in subtotals)
        {
            text.Append("  ").Append(subtotal).AppendLine();
        }
    }
}
