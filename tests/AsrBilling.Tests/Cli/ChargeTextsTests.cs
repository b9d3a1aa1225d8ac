using System.Buffers;
using System.Text;
using System.Text.Json;
using AsrBilling.Cli.Output;

namespace AsrBilling.Tests.Cli;

/// <summary>
/// A daily charge formatted in place must be the bytes the JSON writer writes for it, property by
/// property, for any account text (escaped alike), with and without a free allowance.
/// </summary>
public class ChargeTextsTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(5)]
    [InlineData(1000)]
    public void DailyChargesOfABill_WrittenInRanges_AreTheWritersObjects_CommaSeparated(int chargesPerRange)
    {
        var bill = AllowanceBill();
        var byWriter = new ChargeTexts(BillOutput.JsonOptions.Encoder);
        var expected = new List<string>();
        foreach (var charge in bill.Charges)
        {
            var buffer = new ArrayBufferWriter<byte>();
            using (var writer = new Utf8JsonWriter(buffer, BillOutput.JsonOptions))
            {
                BillOutput.WriteChargeObject(writer, charge, packs: false, byWriter);
            }

            expected.Add(Encoding.UTF8.GetString(buffer.WrittenSpan));
        }

        // One texts object for all ranges, as a worker that takes chunk after chunk; ranges start anywhere.
        var texts = new ChargeTexts(BillOutput.JsonOptions.Encoder);
        var written = new ArrayBufferWriter<byte>();
        for (var start = 0; start < bill.Charges.Count; start += chargesPerRange)
        {
            texts.WriteDailyCharges(bill, start, Math.Min(bill.Charges.Count, start + chargesPerRange), written);
        }

        Encoding.UTF8.GetString(written.WrittenSpan).Should().Be(string.Join(",", expected));
    }

    [Fact]
    public void DailyChargesOfABill_RefuseAChargeOfAMonthlyWindow()
    {
        // China's recording file counts tiers by month: its object has its days too.
        var bill = PriceCalculator.Compute(
            [new DailyTotal("a", AsrService.RecordingFile, new LocalDate(2026, 3, 2), 3600)],
            new BillingOptions(priceBook: PriceBook.TencentCloudChina));

        FluentActions.Invoking(() => new ChargeTexts(null).WriteDailyCharges(bill, 0, 1, new ArrayBufferWriter<byte>()))
            .Should().Throw<ArgumentException>().WithMessage("A charge of a monthly window has its days too*");
    }

    [Fact]
    public void DailyCharges_FormattedInPlace_AreTheWritersBytes()
    {
        var bill = AllowanceBill();
        var inPlace = new ChargeTexts(BillOutput.JsonOptions.Encoder);
        var byWriter = new ChargeTexts(BillOutput.JsonOptions.Encoder);
        foreach (var charge in bill.Charges)
        {
            var buffer = new ArrayBufferWriter<byte>();
            using (var writer = new Utf8JsonWriter(buffer, BillOutput.JsonOptions))
            {
                BillOutput.WriteChargeObject(writer, charge, packs: false, byWriter);
            }

            var formatted = inPlace.DailyCharge(charge).ToArray();
            Encoding.UTF8.GetString(formatted).Should().Be(Encoding.UTF8.GetString(buffer.WrittenSpan), charge.Account);
            using var parsed = JsonDocument.Parse(formatted);
            parsed.RootElement.GetProperty("account").GetString().Should().Be(charge.Account);
            parsed.RootElement.GetProperty("fee").GetDecimal().Should().Be(charge.Fee.Amount);
        }
    }

    /// <summary>
    /// Accounts the writer must escape, the default (empty) account, and one past the first room; real time on
    /// three days (1 h, 400 h in tier 2, 1.5 s) and a recording file day of 2 h each, with 2 free real-time
    /// hours a month, so that the first day of each account has an allowance.
    /// </summary>
    private static Bill AllowanceBill()
    {
        string[] accounts = ["acct-0001", "quo\"te", "back\\slash", "tab\there", "<b>&amp;", "ünïcødé 账户", "", new string('x', 700)];
        var totals = new List<DailyTotal>();
        foreach (var account in accounts)
        {
            for (var d = 1; d <= 3; d++)
            {
                // 1 h, 400 h (tier 2) and 1.5 s of real time; recording-file a day of 2 h.
                totals.Add(new DailyTotal(account, AsrService.RealTime, new LocalDate(2025, 9, d), d switch { 1 => 3600, 2 => 400 * 3600, _ => 2 }));
                totals.Add(new DailyTotal(account, AsrService.RecordingFile, new LocalDate(2025, 9, d), 7200));
            }
        }

        var bill = PriceCalculator.Compute(totals, BillingOptions.Default.WithFreeAllowance(AsrService.RealTime, 2));
        bill.Charges.Should().Contain(c => c.AllowanceSeconds > 0);
        return bill;
    }
}
