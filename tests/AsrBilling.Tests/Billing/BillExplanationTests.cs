using static AsrBilling.Tests.Billing.BillingTestData;

namespace AsrBilling.Tests.Billing;

/// <summary>The text a bill explains itself with, and the monthly lines it sums up. Fees are worked out by hand from the price table.</summary>
public class BillExplanationTests
{
    [Fact]
    public void ToString_ListsChargesSubtotalsTotalAndIgnoredDuplicates()
    {
        // Shanghai dates; prices of 2025-08-19, all tier 1:
        //   acme real-time 2025-09-30: 1 h × 1.40 = 1.40
        //   acme recording-file 2025-10-01: 2 h × 1.00 = 2.00
        //   default account recording-file-large-model 2025-10-02: 0.5 h × 1.80 = 0.90
        // The second "r1" is a duplicate and is skipped.
        var records = new[]
        {
            Record(At("2025-09-30T01:00:00Z"), 3600, AsrService.RealTime, id: "r1", account: "acme"),
            Record(At("2025-10-01T01:00:00Z"), 7200, AsrService.RecordingFile, id: "r2", account: "acme"),
            Record(At("2025-10-02T01:00:00Z"), 1800, AsrService.RecordingFileLargeModel, id: "r3"),
            Record(At("2025-09-30T02:00:00Z"), 3600, AsrService.RealTime, id: "r1", account: "acme"),
        };

        var bill = PriceCalculator.Compute(records, new BillingOptions(duplicates: DuplicatePolicy.Ignore));

        bill.ToString().ReplaceLineEndings("\n").Should().Be(
            """
            Bill: 3 charges; prices from 'Tencent Cloud international, 2025-08-19'; billing days in Asia/Shanghai.
              2025-10-02 (default account): 0.90 USD = 0.5 h × 1.80 USD/h (recording-file-large-model, tier 1 of 5: 0 h to 300 h; prices of 2025-08-19)
              2025-09-30 acme: 1.40 USD = 1 h × 1.40 USD/h (real-time, tier 1 of 5: 0 h to 300 h; prices of 2025-08-19)
              2025-10-01 acme: 2.00 USD = 2 h × 1.00 USD/h (recording-file, tier 1 of 5: 0 h to 300 h; prices of 2025-08-19)
            By account:
              (default account): 0.90 USD (1 charge, 1800 s)
              acme: 3.40 USD (2 charges, 10800 s)
            By service:
              real-time: 1.40 USD (1 charge, 3600 s)
              recording-file: 2.00 USD (1 charge, 7200 s)
              recording-file-large-model: 0.90 USD (1 charge, 1800 s)
            By month:
              2025-09: 1.40 USD (1 charge, 3600 s)
              2025-10: 2.90 USD (2 charges, 9000 s)
            Total: 4.30 USD
            1 duplicate record ignored.

            """);
        (bill.RecordsRead, bill.DuplicatesIgnored).Should().Be((4L, 1L));
    }

    [Fact]
    public void ToString_OfAnEmptyBill_ShowsAZeroTotalAndNoDuplicateLine()
    {
        var bill = PriceCalculator.Compute(Array.Empty<UsageRecord>());

        bill.ToString().ReplaceLineEndings("\n").Should().Be(
            """
            Bill: 0 charges; prices from 'Tencent Cloud international, 2025-08-19'; billing days in Asia/Shanghai.
            By account:
            By service:
            By month:
            Total: 0.00 USD

            """);
    }

    [Fact]
    public void MonthlyCharge_AddsTheTagSecondsOfEveryDay()
    {
        // One monthly charge over three September days: 100 s (a) + 50 s (a) + 30 s (b) + 20 s
        // untagged = 200 s; a = 150, b = 30. At 3600 USD/h a second costs 1.00 USD.
        var monthly = PriceTable.FromThresholds(AsrService.RealTime, new LocalDate(2025, 1, 1), "USD", [(0m, 3600m)], new PriceRules(window: TierWindow.Month));
        var records = new[]
        {
            Record(At("2025-09-01T01:00:00Z"), 100, tag: "a"),
            Record(At("2025-09-02T01:00:00Z"), 50, tag: "a"),
            Record(At("2025-09-02T02:00:00Z"), 30, tag: "b"),
            Record(At("2025-09-03T01:00:00Z"), 20),
        };

        var charge = PriceCalculator.Compute(records, new BillingOptions(priceBook: new PriceBook("monthly", [monthly]))).Charges.Should().ContainSingle().Subject;

        charge.Days.Should().HaveCount(3);
        charge.BillableSeconds.Should().Be(200);
        charge.TagSeconds.Should().Equal(new Dictionary<string, long> { ["a"] = 150, ["b"] = 30 });
        charge.UntaggedSeconds.Should().Be(20);
        charge.Fee.Amount.Should().Be(200.00m);
        charge.ToString().Should().Be("2025-09 (default account): 200.00 USD = 200 s × 3600.00 USD/h (real-time, tier 1 of 1: 0 h and above; prices of 2025-01-01), over 3 days");
    }
}
