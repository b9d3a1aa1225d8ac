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
