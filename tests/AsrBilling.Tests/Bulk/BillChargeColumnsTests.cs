namespace AsrBilling.Tests.Bulk;

/// <summary>
/// A bill's charges read column-wise into blocks: each column holds what the charge says, worked out by
/// hand from the source's prices (international real-time 1.40 USD/h below 300 h a day, 1.20 from 300 h;
/// recording file 1.00 USD/h; China real-time 3.20 CNY/h with 5 free hours a month, China recording file
/// 1.75 CNY/h counted by month with 10 free hours).
/// </summary>
public class BillChargeColumnsTests
{
    private const long Hour = 3600;

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void ReadCharges_InRanges_GivesTheHandWorkedColumns(int chargesPerRange)
    {
        // Charges by account, service, date: alpha real-time 2 Sep 400 h (tier 2) = 400 × 1.20 = 480.00;
        // alpha recording-file 3 Sep 30 min = 0.50; beta real-time 2 Sep 1 h = 1.40.
        var bill = PriceCalculator.Compute(
        [
            new DailyTotal("beta", AsrService.RealTime, new LocalDate(2025, 9, 2), Hour),
            new DailyTotal("alpha", AsrService.RecordingFile, new LocalDate(2025, 9, 3), Hour / 2),
            new DailyTotal("alpha", AsrService.RealTime, new LocalDate(2025, 9, 2), 400 * Hour),
        ]);

        var columns = ReadAll(bill, chargesPerRange);

        columns.Accounts.Should().Equal("alpha", "alpha", "beta");
        columns.Services.Should().Equal(AsrService.RealTime, AsrService.RecordingFile, AsrService.RealTime);
        columns.Dates.Should().Equal(new LocalDate(2025, 9, 2), new LocalDate(2025, 9, 3), new LocalDate(2025, 9, 2));
        columns.Seconds.Should().Equal(400 * Hour, Hour / 2, Hour);
        columns.Tiers.Select(t => (t.Number, t.UnitPrice.Amount)).Should().Equal((2, 1.2m), (1, 1m), (1, 1.4m));
        columns.Tables.Select(t => (t.Service, IsoDate.Format(t.EffectiveFrom))).Should().Equal(
            (AsrService.RealTime, "2025-08-19"), (AsrService.RecordingFile, "2025-08-19"), (AsrService.RealTime, "2025-08-19"));
        columns.Fees.Should().Equal(480.00m, 0.50m, 1.40m);
        columns.Allowances.Should().Equal(0m, 0m, 0m);
        columns.PackSeconds.Should().Equal(0L, 0L, 0L);
    }

    [Fact]
    public void ReadCharges_OfAMonthlyWindowAndFreeAllowances_GivesTheMonthsFirstDayAndItsSum()
    {
        // China. Real-time 1 March 8 h: 5 free hours, 3 × 3.20 = 9.60 CNY. Recording file, by month: 4 h on
        // 2 March and 8 h on 20 March are one charge of 12 h dated 2 March, 10 free hours, 2 × 1.75 = 3.50 CNY.
        var bill = PriceCalculator.Compute(
        [
            new DailyTotal("a", AsrService.RealTime, new LocalDate(2026, 3, 1), 8 * Hour),
            new DailyTotal("a", AsrService.RecordingFile, new LocalDate(2026, 3, 2), 4 * Hour),
            new DailyTotal("a", AsrService.RecordingFile, new LocalDate(2026, 3, 20), 8 * Hour),
        ], new BillingOptions(priceBook: PriceBook.TencentCloudChina));

        var columns = ReadAll(bill, 2);

        columns.Dates.Should().Equal(new LocalDate(2026, 3, 1), new LocalDate(2026, 3, 2));
        columns.Seconds.Should().Equal(8 * Hour, 12 * Hour);
        columns.Tables.Select(t => t.Rules.Window).Should().Equal(TierWindow.Day, TierWindow.Month);
        columns.Allowances.Should().Equal(5m * Hour, 10m * Hour);
        columns.Fees.Should().Equal(9.60m, 3.50m);
    }

    [Fact]
    public void ReadCharges_WithAPack_GivesItsSecondsAndThePaidFee()
    {
        // rt-30 holds 30 h: 1 March 20 h all covered, fee 0.00; 2 March 20 h, 10 h covered, 10 × 1.40 = 14.00.
        var pack = new ResourcePack("rt-30", AsrService.RealTime, 30m, new LocalDate(2026, 1, 1), new LocalDate(2026, 12, 31));
        var bill = PriceCalculator.Compute(
        [
            new DailyTotal(null, AsrService.RealTime, new LocalDate(2026, 3, 1), 20 * Hour),
            new DailyTotal(null, AsrService.RealTime, new LocalDate(2026, 3, 2), 20 * Hour),
        ], BillingOptions.Default.WithPacks(new ResourcePackList([pack])));

        var columns = ReadAll(bill, 2);

        columns.Accounts.Should().Equal("", "");
        columns.PackSeconds.Should().Equal(20 * Hour, 10 * Hour);
        columns.Fees.Should().Equal(0.00m, 14.00m);
    }

    [Fact]
    public void ABlockFilledAgain_HoldsOnlyTheNewRange()
    {
        var bill = PriceCalculator.Compute(
        [
            new DailyTotal("a", AsrService.RealTime, new LocalDate(2025, 9, 1), Hour),
            new DailyTotal("b", AsrService.RealTime, new LocalDate(2025, 9, 1), 2 * Hour),
            new DailyTotal("c", AsrService.RealTime, new LocalDate(2025, 9, 1), 3 * Hour),
        ]);
        var block = new BillChargeBlock();

        bill.ReadCharges(0, 3, block);
        bill.ReadCharges(2, 1, block);

        block.Count.Should().Be(1);
        block.BillableSeconds.ToArray().Should().Equal(3 * Hour);
        block.Fees.ToArray().Should().Equal(4.20m);
        bill.ReadCharges(3, 0, block);
        block.Count.Should().Be(0);
        block.Tiers.Length.Should().Be(0);
    }

    [Fact]
    public void ReadCharges_RefusesRangesOutsideTheBill()
    {
        var bill = PriceCalculator.Compute([new DailyTotal("a", AsrService.RealTime, new LocalDate(2025, 9, 1), Hour)]);
        var block = new BillChargeBlock();

        FluentActions.Invoking(() => bill.ReadCharges(-1, 1, block)).Should().Throw<ArgumentOutOfRangeException>().WithParameterName("firstCharge");
        FluentActions.Invoking(() => bill.ReadCharges(2, 0, block)).Should().Throw<ArgumentOutOfRangeException>().WithParameterName("firstCharge");
        FluentActions.Invoking(() => bill.ReadCharges(0, -1, block)).Should().Throw<ArgumentOutOfRangeException>().WithParameterName("chargeCount");
        FluentActions.Invoking(() => bill.ReadCharges(0, 2, block)).Should().Throw<ArgumentOutOfRangeException>()
            .WithParameterName("chargeCount").WithMessage("The range of 2 charges from charge 0 ends past the bill's 1 charges.*");
        FluentActions.Invoking(() => ((Bill)null!).ReadCharges(0, 0, block)).Should().Throw<ArgumentNullException>().WithParameterName("bill");
        FluentActions.Invoking(() => bill.ReadCharges(0, 0, null!)).Should().Throw<ArgumentNullException>().WithParameterName("block");
    }

    private static Columns ReadAll(Bill bill, int chargesPerRange)
    {
        var columns = new Columns();
        var block = new BillChargeBlock();
        for (var first = 0; first < bill.Charges.Count; first += chargesPerRange)
        {
            bill.ReadCharges(first, Math.Min(chargesPerRange, bill.Charges.Count - first), block);
            foreach (var account in block.AccountIndexes)
            {
                columns.Accounts.Add(bill.DailyTotals.Accounts[account]);
            }

            columns.Services.AddRange(block.Services.ToArray());
            columns.Dates.AddRange(block.Dates.ToArray());
            columns.Seconds.AddRange(block.BillableSeconds.ToArray());
            columns.Tables.AddRange(block.Tables.ToArray());
            columns.Tiers.AddRange(block.Tiers.ToArray());
            columns.Fees.AddRange(block.Fees.ToArray());
            columns.Allowances.AddRange(block.AllowanceSeconds.ToArray());
            columns.PackSeconds.AddRange(block.PackSeconds.ToArray());
        }

        return columns;
    }

    private sealed class Columns
    {
        public List<string> Accounts { get; } = [];

        public List<AsrService> Services { get; } = [];

        public List<LocalDate> Dates { get; } = [];

        public List<long> Seconds { get; } = [];

        public List<PriceTable> Tables { get; } = [];

        public List<PriceTier> Tiers { get; } = [];

        public List<decimal> Fees { get; } = [];

        public List<decimal> Allowances { get; } = [];

        public List<long> PackSeconds { get; } = [];
    }
}
