using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace AsrBilling.Tests.Pricing;

/// <summary>
/// A bill prices its daily totals in bulk (volume charges in integers); each charge must be what
/// pricing that total alone in <see cref="decimal"/> gives, and fees must match the price table.
/// </summary>
public class BillPricingTests
{
    private static readonly LocalDate Day = new(2025, 9, 1);

    [Theory]
    [InlineData(1L, "0.00")]         // 1 × 1.4 ÷ 3600 = 0.000388…
    [InlineData(13L, "0.01")]        // 13 × 1.4 ÷ 3600 = 0.005055…
    [InlineData(9L, "0.00")]         // 9 × 1.4 ÷ 3600 = 0.0035
    [InlineData(1_134_000L, "378.00")] // 315 h × 1.20
    [InlineData(1_079_999L, "420.00")] // 299.99972 h × 1.40 = 419.999611…, tier 1
    [InlineData(18_000_000L, "3500.00")] // 5000 h × 0.70
    public void RealTime_DailyTotals_CostTheTablePrice(long seconds, string fee)
    {
        var bill = PriceCalculator.Compute([new DailyTotal("acme", AsrService.RealTime, Day, seconds)]);

        bill.Charges.Single().Fee.Amount.ToString(System.Globalization.CultureInfo.InvariantCulture).Should().Be(fee);
        bill.Total.Amount.ToString(System.Globalization.CultureInfo.InvariantCulture).Should().Be(fee);
    }

    [Property(MaxTest = 300)]
    public Property BulkPricing_EqualsPricingEachTotalAlone() =>
        Prop.ForAll(Totals().ToArbitrary(), Prices().ToArbitrary(), (totals, price) =>
        {
            var table = PriceTable.FromThresholds(AsrService.RealTime, Day, "USD", [(0m, price), (300m, price * 0.9m), (1000m, price * 0.5m)]);
            var book = new PriceBook("test", [table]);
            var bill = PriceCalculator.Compute(totals.Select((s, i) => new DailyTotal($"a{i}", AsrService.RealTime, Day, s)), new BillingOptions(book));
            return bill.Charges.All(c => c.Fee == c.Charge.Fee && c.Fee == PriceCalculator.Compute(c.Days[0], book).Fee)
                && bill.Total.Amount == bill.Charges.Sum(c => c.Fee.Amount);
        });

    [Fact]
    public void ALargeBill_PricedInRangesOfAccounts_KeepsEachAccountsAllowanceAndCharges()
    {
        // 3,000 accounts × 30 days of September × 1 h each of real-time (1.40 USD) and recording-file
        // (1.00 USD): 180,000 totals, more than one range. 5 free real-time hours a month cover
        // September 1–5 of each account: 3,000 × (25 × 1.40 + 30 × 1.00) = 195,000.00 USD.
        var totals = new List<DailyTotal>();
        for (var a = 0; a < 3000; a++)
        {
            for (var d = 1; d <= 30; d++)
            {
                totals.Add(new DailyTotal($"acct-{a:D4}", AsrService.RealTime, new LocalDate(2025, 9, d), 3600));
                totals.Add(new DailyTotal($"acct-{a:D4}", AsrService.RecordingFile, new LocalDate(2025, 9, d), 3600));
            }
        }

        var options = BillingOptions.Default.WithFreeAllowance(AsrService.RealTime, 5);

        var bill = PriceCalculator.Compute(totals, options);

        bill.Charges.Should().HaveCount(180_000);
        bill.Total.Amount.Should().Be(195_000.00m);
        foreach (var account in new[] { "acct-0000", "acct-1092", "acct-1093", "acct-2184", "acct-2999" })
        {
            var realTime = bill.Charges.Where(c => c.Account == account && c.Service == AsrService.RealTime).ToList();
            realTime.Select(c => c.AllowanceSeconds).Should().Equal([.. Enumerable.Repeat(3600m, 5), .. Enumerable.Repeat(0m, 25)], account);
            realTime.Select(c => c.Fee.Amount).Should().Equal([.. Enumerable.Repeat(0.00m, 5), .. Enumerable.Repeat(1.40m, 25)], account);
        }
    }

    [Fact]
    public void ALargeBill_PricedInRanges_ReportsTheFirstUnpricedTotalInOrder()
    {
        // 70,000 accounts × 2 days: two ranges. acct-10000 (range 1) and acct-60000 (range 2) each
        // have a day before the first price version; the error names the first in the bill's order.
        var totals = new List<DailyTotal>();
        for (var a = 0; a < 70_000; a++)
        {
            totals.Add(new DailyTotal($"acct-{a:D5}", AsrService.RealTime, new LocalDate(2025, 9, 1), 60));
            totals.Add(new DailyTotal($"acct-{a:D5}", AsrService.RealTime, new LocalDate(2025, 9, 2), 60));
        }

        totals.Add(new DailyTotal("acct-10000", AsrService.RealTime, new LocalDate(1999, 1, 1), 60));
        totals.Add(new DailyTotal("acct-60000", AsrService.RealTime, new LocalDate(1998, 1, 1), 60));

        FluentActions.Invoking(() => PriceCalculator.Compute(totals)).Should().Throw<PriceNotFoundException>().WithMessage("*1999-01-01*");
    }

    private static Gen<long[]> Totals() =>
        Gen.Frequency(
            (4, Gen.Choose(0, 4_000_000).Select(i => (long)i)),
            (2, Gen.Choose(0, int.MaxValue).Select(i => (long)i * 512)), // up to 2^40 s, the integer path's edge
            (1, Gen.Choose(0, int.MaxValue).Select(i => (long.MaxValue / 1024) - i))) // the decimal path; a bill of them still sums in a long
        .ArrayOf();

    private static Gen<decimal> Prices() =>
        Gen.Frequency(
            (3, Gen.Choose(1, 30_000).Select(p => p / 10_000m)),
            (1, Gen.Choose(1, int.MaxValue).Select(p => p / 1_000_000m)), // more digits than the integer path takes
            (1, Gen.Choose(0, 99).Select(p => (decimal)p)));
}
