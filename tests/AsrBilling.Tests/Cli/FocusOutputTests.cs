using System.Globalization;
using System.Text.RegularExpressions;
using Sylvan.Data.Csv;

namespace AsrBilling.Tests.Cli;

/// <summary>
/// <c>bill --format focus</c> against the FinOps FOCUS 1.2 specification. The column lists and allowed
/// values below are copied from the specification's column files
/// (FinOps-Open-Cost-and-Usage-Spec/FOCUS_Spec, tag v1.2, <c>specification/columns/*.md</c>, and
/// <c>specification/attributes/*.md</c> for formats), not from the code under test.
/// </summary>
public sealed partial class FocusOutputTests
{
    /// <summary>Every column whose "Feature level" is Mandatory in FOCUS 1.2 (21 columns).</summary>
    public static readonly string[] MandatoryColumns =
    [
        "BilledCost", "BillingAccountId", "BillingAccountName", "BillingCurrency", "BillingPeriodEnd", "BillingPeriodStart",
        "ChargeCategory", "ChargeClass", "ChargeDescription", "ChargePeriodEnd", "ChargePeriodStart", "ContractedCost",
        "EffectiveCost", "InvoiceIssuerName", "ListCost", "PricingQuantity", "PricingUnit", "ProviderName", "PublisherName",
        "ServiceCategory", "ServiceName",
    ];

    /// <summary>Every column FOCUS 1.2 defines (57); any other column must carry the <c>x_</c> prefix of custom columns.</summary>
    public static readonly string[] Focus12Columns =
    [
        .. MandatoryColumns,
        "AvailabilityZone", "BillingAccountType", "CapacityReservationId", "CapacityReservationStatus", "ChargeFrequency",
        "CommitmentDiscountCategory", "CommitmentDiscountId", "CommitmentDiscountName", "CommitmentDiscountQuantity",
        "CommitmentDiscountStatus", "CommitmentDiscountType", "CommitmentDiscountUnit", "ConsumedQuantity", "ConsumedUnit",
        "ContractedUnitPrice", "InvoiceId", "ListUnitPrice", "PricingCategory", "PricingCurrency",
        "PricingCurrencyContractedUnitPrice", "PricingCurrencyEffectiveCost", "PricingCurrencyListUnitPrice", "RegionId",
        "RegionName", "ResourceId", "ResourceName", "ResourceType", "ServiceSubcategory", "SkuId", "SkuMeter",
        "SkuPriceDetails", "SkuPriceId", "SubAccountId", "SubAccountName", "SubAccountType", "Tags",
    ];

    private static readonly string[] DateTimeColumns = ["BillingPeriodStart", "BillingPeriodEnd", "ChargePeriodStart", "ChargePeriodEnd"];

    private static readonly string[] DecimalColumns = ["BilledCost", "EffectiveCost", "ListCost", "ContractedCost", "PricingQuantity", "ConsumedQuantity"];

    /// <summary>Mandatory columns whose "Allows nulls" is False, and the two that may not be null on a Usage row that is no correction.</summary>
    private static readonly string[] NeverNull =
    [
        "BilledCost", "BillingAccountId", "BillingCurrency", "BillingPeriodEnd", "BillingPeriodStart", "ChargeCategory",
        "ChargePeriodEnd", "ChargePeriodStart", "ContractedCost", "EffectiveCost", "InvoiceIssuerName", "ListCost",
        "ProviderName", "PublisherName", "ServiceCategory", "ServiceName", "PricingQuantity", "PricingUnit",
    ];

    private static readonly string[] ChargeCategories = ["Usage", "Purchase", "Tax", "Credit", "Adjustment"];

    private static readonly string[] ChargeFrequencies = ["One-Time", "Recurring", "Usage-Based"];

    private static readonly string[] ServiceCategories =
    [
        "AI and Machine Learning", "Analytics", "Business Applications", "Compute", "Databases", "Developer Tools",
        "Multicloud", "Identity", "Integration", "Internet of Things", "Management and Governance", "Media", "Migration",
        "Mobile", "Networking", "Security", "Storage", "Web", "Other",
    ];

    /// <summary>The subcategories FOCUS 1.2 allows under "AI and Machine Learning".</summary>
    private static readonly string[] AiSubcategories =
        ["AI Platforms", "Bots", "Generative AI", "Machine Learning", "Natural Language Processing", "Other (AI and Machine Learning)"];

    [Fact]
    public void TestData_ListsTheSpecificationsColumnsOnce()
    {
        MandatoryColumns.Should().HaveCount(21).And.OnlyHaveUniqueItems();
        Focus12Columns.Should().HaveCount(57).And.OnlyHaveUniqueItems();
        NeverNull.Should().BeSubsetOf(MandatoryColumns);
        DateTimeColumns.Concat(DecimalColumns).Should().BeSubsetOf(Focus12Columns);
    }

    [Fact]
    public void Sample_HasEveryMandatoryColumn_WithTheAllowedValuesAndFormats()
    {
        var (header, rows) = Focus("bill", "--sample", "--format", "focus");

        header.Should().Contain(MandatoryColumns).And.OnlyHaveUniqueItems();
        header.Where(c => !Focus12Columns.Contains(c)).Should().OnlyContain(c => c.StartsWith("x_", StringComparison.Ordinal), "custom columns carry the x_ prefix");
        rows.Should().HaveCount(12, "one row per charge of the sample's bill");
        foreach (var row in rows)
        {
            foreach (var column in NeverNull)
            {
                row[column].Should().NotBeEmpty($"{column} must not be null");
            }

            foreach (var column in DateTimeColumns)
            {
                DateTimeFormat().IsMatch(row[column]).Should().BeTrue($"{column} '{row[column]}' is 'YYYY-MM-DDTHH:mm:ssZ'");
            }

            foreach (var column in DecimalColumns)
            {
                NumericFormat().IsMatch(row[column]).Should().BeTrue($"{column} '{row[column]}' follows the Numeric Format");
            }

            Utc(row["ChargePeriodStart"]).Should().BeBefore(Utc(row["ChargePeriodEnd"]));
            Utc(row["BillingPeriodStart"]).Should().BeOnOrBefore(Utc(row["ChargePeriodStart"]));
            Utc(row["ChargePeriodEnd"]).Should().BeOnOrBefore(Utc(row["BillingPeriodEnd"]));
            row["ChargeCategory"].Should().BeOneOf(ChargeCategories);
            row["ChargeCategory"].Should().Be("Usage");
            row["ChargeClass"].Should().BeEmpty("null, since no row corrects an earlier billing period; when not null it must be Correction");
            row["ChargeFrequency"].Should().BeOneOf(ChargeFrequencies);
            row["ServiceCategory"].Should().BeOneOf(ServiceCategories);
            row["ServiceSubcategory"].Should().BeOneOf(AiSubcategories);
            row["BillingCurrency"].Should().MatchRegex("^[A-Z]{3}$", "ISO 4217");
            row["PricingUnit"].Should().Be("Hours");
            row["ConsumedUnit"].Should().Be("Seconds");
            foreach (var cost in new[] { "EffectiveCost", "ListCost", "ContractedCost" })
            {
                Decimal(row[cost]).Should().Be(Decimal(row["BilledCost"]), $"pay-as-you-go has no discounts, commitments or unit price column, so {cost} is the billed cost");
            }

            // 6 decimals of hours are within half a second of the exact seconds.
            (Decimal(row["PricingQuantity"]) * 3600m).Should().BeApproximately(Decimal(row["ConsumedQuantity"]), 0.01m);
        }
    }

    [Fact]
    public void Sample_BilledCostSumsToTheBillsTotal()
    {
        // 323.98 USD: the sample's total, worked out by an independent biller (BillCommandTests).
        var (_, rows) = Focus("bill", "--sample", "--format", "focus");

        rows.Sum(r => Decimal(r["BilledCost"])).Should().Be(323.98m);
        rows.Should().OnlyContain(r => r["BillingCurrency"] == "USD");
        var globex = rows.Single(r => r["BillingAccountId"] == "globex" && r["x_ServiceId"] == "recording-file");
        globex["BilledCost"].Should().Be("296.40");     // 312 h × 0.95 USD/h, tier 2
        globex["PricingQuantity"].Should().Be("312");
        globex["ChargePeriodStart"].Should().Be("2025-09-02T16:00:00Z");
        rows.Single(r => r["BillingAccountId"] == "initech" && r["ChargePeriodStart"] == "2025-09-01T16:00:00Z")["BilledCost"].Should().Be("0.00");
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void GeneratedLog_BilledCostSumsToTheJsonTotal(int seed)
    {
        var usage = CliRunner.Run("sample", "--records", "3000", "--accounts", "7", "--days", "40", "--seed", seed.ToString(CultureInfo.InvariantCulture)).Out;
        var json = CliRunner.RunWithInput(usage, "bill", "-", "--format", "json");
        using var bill = System.Text.Json.JsonDocument.Parse(json.Out);

        var (_, rows) = FocusOf(usage);

        rows.Should().HaveCount(bill.RootElement.GetProperty("charges").GetArrayLength());
        rows.Sum(r => Decimal(r["BilledCost"])).Should().Be(bill.RootElement.GetProperty("total").GetDecimal());
        rows.Select(r => r["BillingPeriodStart"]).Distinct().Should().HaveCountGreaterThan(1, "40 days span two calendar months");
    }

    [Fact]
    public void TextCells_AreEscapedAsInTheOtherCsvOutputs()
    {
        var (_, rows) = FocusOf("account,service,start,duration_seconds\n\"Acme, \"\"EU\"\"\",real-time,2025-09-02T03:00:00Z,60\n=cmd,real-time,2025-09-02T03:00:00Z,60\n");

        rows.Select(r => r["BillingAccountId"]).Should().BeEquivalentTo(["'=cmd", "Acme, \"EU\""], "quotes and commas are quoted, and a formula is neutralised");
    }

    [Fact]
    public void OneHourOfRealTime_IsTheRowWorkedByHand()
    {
        // 3600 s of real-time on 2025-09-02 in Asia/Shanghai (the record starts 11:00+08:00): 1 h × 1.40 USD/h = 1.40 USD.
        // The day [2025-09-02T00:00+08:00, 2025-09-03T00:00+08:00) is [2025-09-01T16:00Z, 2025-09-02T16:00Z) in UTC,
        // and its month [2025-09-01T00:00+08:00, 2025-10-01T00:00+08:00) is [2025-08-31T16:00Z, 2025-09-30T16:00Z).
        var (_, rows) = FocusOf("id,account,service,start,duration_seconds\nr1,acme,real-time,2025-09-02T03:00:00Z,3600\n");

        var row = rows.Should().ContainSingle().Subject;
        row["ChargePeriodStart"].Should().Be("2025-09-01T16:00:00Z");
        row["ChargePeriodEnd"].Should().Be("2025-09-02T16:00:00Z");
        row["BillingPeriodStart"].Should().Be("2025-08-31T16:00:00Z");
        row["BillingPeriodEnd"].Should().Be("2025-09-30T16:00:00Z");
        row["BilledCost"].Should().Be("1.40");
        row["PricingQuantity"].Should().Be("1");
        row["ConsumedQuantity"].Should().Be("3600");
        row["BillingAccountId"].Should().Be("acme");
        row["ServiceName"].Should().Be("Real-time speech recognition");
        row["ProviderName"].Should().Be("Tencent Cloud");
        row["x_Tier"].Should().Be("1");
        row["x_UnitPrice"].Should().Be("1.4");
        row["x_PriceVersion"].Should().Be("2025-08-19");
    }

    [Fact]
    public void DaylightSavingDay_Lasts25HoursInUtc()
    {
        // America/New_York leaves daylight saving on 2025-11-02: that day runs from 04:00Z to 05:00Z the next day.
        var (_, rows) = FocusOf("service,start,duration_seconds\nreal-time,2025-11-02T12:00:00Z,60\n", "--zone", "America/New_York");

        var row = rows.Should().ContainSingle().Subject;
        row["ChargePeriodStart"].Should().Be("2025-11-02T04:00:00Z");
        row["ChargePeriodEnd"].Should().Be("2025-11-03T05:00:00Z");
        row["BillingPeriodStart"].Should().Be("2025-11-01T04:00:00Z");
        row["BillingPeriodEnd"].Should().Be("2025-12-01T05:00:00Z");
        row["BillingAccountId"].Should().Be("(none)", "the default account has no id of its own");
    }

    [Fact]
    public void MonthlyTierWindow_ChargesTheWholeMonth()
    {
        var dir = Directory.CreateTempSubdirectory("asr-billing-focus-").FullName;
        try
        {
            var book = Path.Combine(dir, "monthly.json");
            File.WriteAllText(book, """
                {"format":"asr-billing-price-book","version":1,"name":"Monthly example","tables":[
                 {"service":"real-time","currency":"USD","tierWindow":"month","effectiveFrom":"2025-01-01",
                  "tiers":[{"from":0,"unitPrice":1.4},{"from":300,"unitPrice":1.2}]}]}
                """);
            var (_, rows) = FocusOf(
                "service,start,duration_seconds\nreal-time,2025-09-02T03:00:00Z,1800\nreal-time,2025-09-20T03:00:00Z,1800\n",
                "--prices",
                book);

            var row = rows.Should().ContainSingle("one charge per account, service and month").Subject;
            row["ChargePeriodStart"].Should().Be("2025-08-31T16:00:00Z");
            row["ChargePeriodEnd"].Should().Be("2025-09-30T16:00:00Z");
            row["ChargePeriodStart"].Should().Be(row["BillingPeriodStart"]);
            row["BilledCost"].Should().Be("1.40");
            row["ProviderName"].Should().Be("Monthly example", "a book not of Tencent names its provider by its own name");
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public void DailyTotals_AreDaysOfTheZoneGiven()
    {
        const string totals = "account,service,date,billable_seconds\nacme,real-time,2025-09-02,3600\n";
        var args = new[] { "bill", "-", "--daily-totals", "--format", "focus" };

        var (_, shanghai) = Parse(CliRunner.RunWithInput(totals, args));
        var (_, newYork) = Parse(CliRunner.RunWithInput(totals, [.. args, "--zone", "America/New_York"]));

        shanghai.Single()["ChargePeriodStart"].Should().Be("2025-09-01T16:00:00Z", "without --zone the dates are days in Asia/Shanghai");
        newYork.Single()["ChargePeriodStart"].Should().Be("2025-09-02T04:00:00Z");
        newYork.Single()["ChargePeriodEnd"].Should().Be("2025-09-03T04:00:00Z");
        newYork.Single()["BilledCost"].Should().Be("1.40");
        CliRunner.RunWithInput(totals, "bill", "-", "--daily-totals", "--zone", "America/New_York").Code.Should().Be(2, "only FOCUS output uses the zone of daily totals");
    }

    [Theory]
    [InlineData("--allocate-by", "tag")]
    [InlineData("--by", "month")]
    public void RefusedCombinations_ExitWithCode2AndOneLine(string option, string value)
    {
        var (code, output, error) = CliRunner.Run("bill", "--sample", "--format", "focus", option, value);

        code.Should().Be(2);
        output.Should().BeEmpty();
        error.TrimEnd('\n').Should().Contain("--format focus").And.Contain(option).And.NotContain("\n");
    }

    [Fact]
    public void ChargeInTheCalendarsLastMonth_FailsWithNothingOnStdout()
    {
        var (code, output, error) = CliRunner.RunWithInput("service,start,duration_seconds\nreal-time,9999-12-01T00:00:00Z,60\n", "bill", "-", "--format", "focus");

        code.Should().Be(1);
        output.Should().BeEmpty();
        error.Should().Contain("9999-12");
    }

    /// <summary>Bills <paramref name="usageCsv"/> from standard input as a FOCUS dataset.</summary>
    internal static (List<string> Header, List<Dictionary<string, string>> Rows) FocusOf(string usageCsv, params string[] more) =>
        Focus(usageCsv, ["bill", "-", "--format", "focus", .. more]);

    private static (List<string> Header, List<Dictionary<string, string>> Rows) Focus(params string[] args) => Focus(null, args);

    private static (List<string> Header, List<Dictionary<string, string>> Rows) Focus(string? stdin, string[] args) =>
        Parse(CliRunner.RunWithInput(stdin, args));

    /// <summary>Reads a successful run's output with Sylvan's RFC 4180 reader: one dictionary per row, by column name.</summary>
    private static (List<string> Header, List<Dictionary<string, string>> Rows) Parse((int Code, string Out, string Err) run)
    {
        run.Code.Should().Be(0, run.Err);
        using var reader = CsvDataReader.Create(new StringReader(run.Out));
        var header = Enumerable.Range(0, reader.FieldCount).Select(reader.GetName).ToList();
        var rows = new List<Dictionary<string, string>>();
        while (reader.Read())
        {
            rows.Add(header.Select((name, i) => (name, reader.GetString(i))).ToDictionary(c => c.name, c => c.Item2));
        }

        return (header, rows);
    }

    private static decimal Decimal(string text) => decimal.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture);

    private static DateTimeOffset Utc(string text) =>
        DateTimeOffset.ParseExact(text, "yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);

    /// <summary>FOCUS Date/Time Format: extended ISO 8601, UTC, two-digit hours, minutes and seconds, ending in Z.</summary>
    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$")]
    private static partial Regex DateTimeFormat();

    /// <summary>FOCUS Numeric Format: an integer, a decimal with one point, or E notation; a sign only for negatives.</summary>
    [GeneratedRegex(@"^-?\d+(\.\d+)?(E-?\d+)?$")]
    private static partial Regex NumericFormat();
}
