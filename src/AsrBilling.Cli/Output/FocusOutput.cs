using System.Globalization;
using NodaTime;
using NodaTime.Text;

namespace AsrBilling.Cli.Output;

/// <summary>
/// Writes a bill as a FinOps FOCUS 1.2 cost-and-usage dataset in CSV: one <c>Usage</c> row per
/// charge, with every column FOCUS 1.2 marks Mandatory, the usage columns it asks of a provider that
/// measures usage, two Recommended ones, and <c>x_</c> columns for what FOCUS has no column for.
/// </summary>
/// <remarks>
/// A charge's period is its billing day, or its calendar month under a monthly tier window, in the
/// bill's zone; the billing period is the calendar month. Both are turned into UTC instants with the
/// zone's rules (a day starts at its first instant, so daylight-saving days are 23 or 25 hours long).
/// Pay-as-you-go has no negotiated prices and no amortized purchases, and the unit price is left out
/// (FOCUS then has ListCost and ContractedCost match BilledCost), so all four costs are the fee.
/// </remarks>
internal static class FocusOutput
{
    /// <summary>The FOCUS version whose columns this writes.</summary>
    public const string Version = "1.2";

    private static readonly string Header = CsvText.Row(
        "BillingAccountId", "BillingAccountName", "BillingPeriodStart", "BillingPeriodEnd",
        "ChargePeriodStart", "ChargePeriodEnd", "ChargeCategory", "ChargeClass", "ChargeFrequency", "ChargeDescription",
        "ProviderName", "PublisherName", "InvoiceIssuerName",
        "ServiceName", "ServiceCategory", "ServiceSubcategory",
        "PricingQuantity", "PricingUnit", "ConsumedQuantity", "ConsumedUnit",
        "BillingCurrency", "BilledCost", "EffectiveCost", "ListCost", "ContractedCost",
        "x_ServiceId", "x_Tier", "x_UnitPrice", "x_PriceVersion", "x_AllowanceSeconds");

    /// <summary>
    /// With packs: the seconds they covered and which (<c>rt-30:36000;rf-60:7200</c>). Custom columns, not
    /// FOCUS's commitment-discount ones: a pack's hours are prepaid, so a covered hour has no BilledCost in
    /// the period, and this dataset has no purchase rows to amortize.
    /// </summary>
    private const string PackColumns = ",x_PackSeconds,x_PackCoverage";

    /// <summary>FOCUS's Date/Time Format: extended ISO 8601 in UTC, whole seconds, ending in Z.</summary>
    private static readonly InstantPattern Utc = InstantPattern.CreateWithInvariantCulture("uuuu'-'MM'-'dd'T'HH':'mm':'ss'Z'");

    /// <summary>Writes the header and one row per charge of <paramref name="bill"/>.</summary>
    /// <exception cref="CliInputException">A charge falls in December 9999, whose end no date can name.</exception>
    public static void Write(TextWriter output, Bill bill)
    {
        // Checked before the first row: an error must leave standard output empty.
        if (bill.ByMonth.Any(m => m.Key == "9999-12"))
        {
            throw new CliInputException("--format focus: a charge in 9999-12 would end on 10000-01-01, past the last date FOCUS periods can name here.");
        }

        var zone = bill.Options.Zone;
        var provider = CsvText.Cell(ProviderOf(bill.Options.PriceBook));
        var packs = PackOutput.Any(bill);
        output.Write(Header);
        output.Write(packs ? PackColumns + "\n" : "\n");
        foreach (var charge in bill.Charges)
        {
            var month = new LocalDate(charge.Date.Year, charge.Date.Month, 1);
            var (start, end) = charge.Window == TierWindow.Day ? (charge.Date, charge.Date.PlusDays(1)) : (month, month.PlusMonths(1));
            var account = CsvText.Cell(BillOutput.Show(charge.Account));
            var fee = BillOutput.Number(charge.Fee.Amount);
            output.Write(CsvText.Row(
                account,
                account,
                Instant(zone, month),
                Instant(zone, month.PlusMonths(1)),
                Instant(zone, start),
                Instant(zone, end),
                "Usage",
                string.Empty, // ChargeClass is null: no row corrects an earlier billing period.
                "Usage-Based",
                CsvText.Cell(charge.ToString()),
                provider,
                provider,
                provider,
                CsvText.Cell(charge.Service.DisplayName),
                "AI and Machine Learning",
                "Natural Language Processing",
                Hours(charge.BillableSeconds),
                "Hours",
                BillOutput.Number(charge.BillableSeconds),
                "Seconds",
                CsvText.Cell(charge.Fee.Currency),
                fee,
                fee,
                fee,
                fee,
                CsvText.Cell(charge.Service.Id),
                BillOutput.Number(charge.Tier.Number),
                BillOutput.Number(charge.Tier.UnitPrice.Amount),
                BillOutput.PriceVersion(charge.Table),
                BillOutput.Number(charge.AllowanceSeconds)));
            if (packs)
            {
                output.Write(',');
                output.Write(CsvText.Row(BillOutput.Number(charge.PackSeconds), PackOutput.CoverageCell(charge)));
            }

            output.Write('\n');
        }
    }

    /// <summary>
    /// Tencent Cloud for Tencent's books (the built-in one, or a copy of it); another vendor's book
    /// names its provider by its own name.
    /// </summary>
    private static string ProviderOf(PriceBook book) =>
        book.Name.StartsWith("Tencent Cloud", StringComparison.Ordinal) ? "Tencent Cloud" : book.Name;

    private static string Instant(DateTimeZone zone, LocalDate date) => Utc.Format(zone.AtStartOfDay(date).ToInstant());

    /// <summary>
    /// Billable seconds as hours, rounded half away from zero to 6 decimals (most counts of seconds are
    /// not a terminating decimal of hours); 6 decimals keep every whole second apart. Trailing zeros are dropped.
    /// </summary>
    private static string Hours(long seconds) =>
        Math.Round(seconds / 3600m, 6, MidpointRounding.AwayFromZero).ToString("0.######", CultureInfo.InvariantCulture);
}
