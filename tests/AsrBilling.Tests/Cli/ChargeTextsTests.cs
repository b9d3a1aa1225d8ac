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
    [Fact]
    public void DailyCharges_FormattedInPlace_AreTheWritersBytes()
    {
        // Accounts the writer must escape, the default (empty) account, and one past the first room.
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

        // 2 free real-time hours a month: the first day of each account has an allowance.
        var bill = PriceCalculator.Compute(totals, BillingOptions.Default.WithFreeAllowance(AsrService.RealTime, 2));
        bill.Charges.Should().Contain(c => c.AllowanceSeconds > 0);

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
            var written = new ArrayBufferWriter<byte>();
            inPlace.WriteDailyCharge(charge, written, comma: true);
            Encoding.UTF8.GetString(written.WrittenSpan).Should().Be("," + Encoding.UTF8.GetString(buffer.WrittenSpan), charge.Account);

            Encoding.UTF8.GetString(formatted).Should().Be(Encoding.UTF8.GetString(buffer.WrittenSpan), charge.Account);
            using var parsed = JsonDocument.Parse(formatted);
            parsed.RootElement.GetProperty("account").GetString().Should().Be(charge.Account);
            parsed.RootElement.GetProperty("fee").GetDecimal().Should().Be(charge.Fee.Amount);
        }
    }
}
