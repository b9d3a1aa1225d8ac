using static AsrBilling.Tests.Billing.BillingTestData;

namespace AsrBilling.Tests.Bulk;

public class AllocationStatementColumnsTests
{
    [Fact]
    public void Columns_HoldEachLinesKeyChargeSecondsAndCents()
    {
        // Day 1 real-time: 1 h support + 2 h sales + 1 h untagged = 4 h × 1.4 = 5.60, split 1.40 / 2.80 / 1.40.
        // Day 2 real-time: 30 min sales = 0.5 h × 1.4 = 0.70, all to sales.
        var bill = PriceCalculator.Compute(
        [
            Record(At("2025-09-02T01:00:00Z"), 3600, tag: "support"),
            Record(At("2025-09-02T02:00:00Z"), 7200, tag: "sales"),
            Record(At("2025-09-02T05:00:00Z"), 3600),
            Record(At("2025-09-03T02:00:00Z"), 1800, tag: "sales"),
        ]);

        var statement = CostAllocation.Allocate(bill, AllocationKey.Tag);

        var keys = statement.Keys().ToArray();
        statement.KeyIndexes().ToArray().Select(k => keys[k]).Should().Equal("", "sales", "support", "sales");
        statement.ChargeIndexes().ToArray().Should().Equal(0, 0, 0, 1);
        statement.BillableSeconds().ToArray().Should().Equal(3600L, 7200L, 3600L, 1800L);
        statement.FeeCents().ToArray().Should().Equal(140L, 280L, 140L, 70L);
    }

    [Fact]
    public void Columns_AgreeWithTheLines_ForAnAllocationByAccount()
    {
        var bill = PriceCalculator.Compute(
        [
            Record(At("2025-09-02T01:00:00Z"), 3600, account: "beta"),
            Record(At("2025-09-02T02:00:00Z"), 7200, account: "alpha"),
            Record(At("2025-09-03T02:00:00Z"), 1800, account: "alpha"),
        ]);

        var statement = CostAllocation.Allocate(bill, AllocationKey.Account);

        var keys = statement.Keys().ToArray();
        statement.KeyIndexes().ToArray().Select(k => keys[k]).Should().Equal(statement.Lines.Select(l => l.Key));
        statement.ChargeIndexes().ToArray().Should().Equal(statement.Lines.Select(l => l.ChargeIndex));
        statement.BillableSeconds().ToArray().Should().Equal(statement.Lines.Select(l => l.BillableSeconds));
        statement.FeeCents().ToArray().Should().Equal(statement.Lines.Select(l => (long)(l.Fee.Amount * 100)));
        statement.Lines.Select(l => l.Key).Should().Equal("alpha", "alpha", "beta");
    }

    [Fact]
    public void Columns_RefuseANullStatement()
    {
        AllocationStatement statement = null!;

        FluentActions.Invoking(() => statement.Keys().Length).Should().Throw<ArgumentNullException>();
        FluentActions.Invoking(() => statement.KeyIndexes().Length).Should().Throw<ArgumentNullException>();
        FluentActions.Invoking(() => statement.ChargeIndexes().Length).Should().Throw<ArgumentNullException>();
        FluentActions.Invoking(() => statement.BillableSeconds().Length).Should().Throw<ArgumentNullException>();
        FluentActions.Invoking(() => statement.FeeCents().Length).Should().Throw<ArgumentNullException>();
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void SplitCharges_InRanges_GivesTheHandWorkedLines(int chargesPerRange)
    {
        // Day 1 real-time: 1 h support + 2 h sales + 1 h untagged = 4 h × 1.4 = 5.60, split 1.40 / 2.80 / 1.40.
        // Day 2 real-time: 30 min sales = 0.5 h × 1.4 = 0.70, all to sales.
        // Day 3 real-time: 1 h support + 1 h untagged = 2.80, split 1.40 / 1.40.
        var bill = ThreeDaysOfTags();
        var statement = CostAllocation.Allocate(bill, AllocationKey.Tag);
        var keys = statement.Keys().ToArray();

        var (keyNames, charges, seconds, cents) = (new List<string>(), new List<int>(), new List<long>(), new List<long>());
        var block = new AllocationLineBlock();
        var counted = 0;
        for (var first = 0; first < bill.Charges.Count; first += chargesPerRange)
        {
            statement.SplitCharges(first, Math.Min(chargesPerRange, bill.Charges.Count - first), block);
            counted += block.Count;
            keyNames.AddRange(block.KeyIndexes.ToArray().Select(k => keys[k]));
            charges.AddRange(block.ChargeIndexes.ToArray());
            seconds.AddRange(block.BillableSeconds.ToArray());
            cents.AddRange(block.FeeCents.ToArray());
        }

        counted.Should().Be(6);
        keyNames.Should().Equal("", "sales", "support", "sales", "", "support");
        charges.Should().Equal(0, 0, 0, 1, 2, 2);
        seconds.Should().Equal(3600L, 7200L, 3600L, 1800L, 3600L, 3600L);
        cents.Should().Equal(140L, 280L, 140L, 70L, 140L, 140L);
    }

    [Fact]
    public void SplitCharges_ByAccount_GivesEachChargeWholeToItsAccount()
    {
        // beta: 1 h = 1.40; alpha: 2 h = 2.80 on 2025-09-02 and 0.5 h = 0.70 on 2025-09-03; charges by account.
        var bill = PriceCalculator.Compute(
        [
            Record(At("2025-09-02T01:00:00Z"), 3600, account: "beta"),
            Record(At("2025-09-02T02:00:00Z"), 7200, account: "alpha"),
            Record(At("2025-09-03T02:00:00Z"), 1800, account: "alpha"),
        ]);
        var statement = CostAllocation.Allocate(bill, AllocationKey.Account);
        var block = new AllocationLineBlock();

        statement.SplitCharges(1, 2, block);

        var keys = statement.Keys().ToArray();
        block.KeyIndexes.ToArray().Select(k => keys[k]).Should().Equal("alpha", "beta");
        block.ChargeIndexes.ToArray().Should().Equal(1, 2);
        block.BillableSeconds.ToArray().Should().Equal(1800L, 3600L);
        block.FeeCents.ToArray().Should().Equal(70L, 140L);
    }

    [Fact]
    public void SplitCharges_OfNoCharges_EmptiesTheBlock()
    {
        var bill = PriceCalculator.Compute([Record(At("2025-09-02T01:00:00Z"), 3600, tag: "support")]);
        var statement = CostAllocation.Allocate(bill, AllocationKey.Tag);
        var block = new AllocationLineBlock();
        statement.SplitCharges(0, 1, block);

        statement.SplitCharges(1, 0, block);

        block.Count.Should().Be(0);
        block.FeeCents.IsEmpty.Should().BeTrue();
    }

    [Fact]
    public void SplitCharges_RefusesARangeOutsideTheBillOrNulls()
    {
        var bill = PriceCalculator.Compute([Record(At("2025-09-02T01:00:00Z"), 3600, tag: "support")]);
        var statement = CostAllocation.Allocate(bill, AllocationKey.Tag);
        var block = new AllocationLineBlock();

        FluentActions.Invoking(() => statement.SplitCharges(-1, 1, block)).Should().Throw<ArgumentOutOfRangeException>();
        FluentActions.Invoking(() => statement.SplitCharges(0, -1, block)).Should().Throw<ArgumentOutOfRangeException>();
        FluentActions.Invoking(() => statement.SplitCharges(0, 2, block)).Should().Throw<ArgumentOutOfRangeException>()
            .WithMessage("*ends past the bill's 1 charges*");
        FluentActions.Invoking(() => statement.SplitCharges(1, 1, block)).Should().Throw<ArgumentOutOfRangeException>();
        FluentActions.Invoking(() => statement.SplitCharges(2, 0, block)).Should().Throw<ArgumentOutOfRangeException>().WithParameterName("firstCharge");
        FluentActions.Invoking(() => statement.SplitCharges(0, 1, null!)).Should().Throw<ArgumentNullException>();
        FluentActions.Invoking(() => ((AllocationStatement)null!).SplitCharges(0, 1, block)).Should().Throw<ArgumentNullException>();
    }

    [Theory]
    [InlineData(1, new[] { 0, 1, 2, 3 })] // every charge alone, the first though it has 3 lines
    [InlineData(3, new[] { 0, 1, 2, 3 })] // 3 | 2, and 2 more would make 4
    [InlineData(4, new[] { 0, 1, 3 })] // 3 | 2 + 2
    [InlineData(7, new[] { 0, 3 })]
    [InlineData(100, new[] { 0, 3 })]
    public void ChargeRanges_CutTheChargesByTheirLines(int linesPerRange, int[] expected)
    {
        // At most 3 lines for day 1 (untagged + sales + support), 2 for day 2 (untagged + sales; its
        // untagged part is empty, but the bound counts it), 2 for day 3 (untagged + support).
        var bill = ThreeDaysOfTags();
        var statement = CostAllocation.Allocate(bill, AllocationKey.Tag);

        statement.ChargeRanges(linesPerRange).Should().Equal(expected);
    }

    [Fact]
    public void ChargeRanges_ByAccount_CountOneLinePerCharge_AndRefuseBadArguments()
    {
        var bill = PriceCalculator.Compute(
        [
            Record(At("2025-09-02T01:00:00Z"), 3600, account: "beta"),
            Record(At("2025-09-02T02:00:00Z"), 7200, account: "alpha"),
            Record(At("2025-09-03T02:00:00Z"), 1800, account: "alpha"),
        ]);
        var statement = CostAllocation.Allocate(bill, AllocationKey.Account);

        statement.ChargeRanges(2).Should().Equal(0, 2, 3);
        FluentActions.Invoking(() => statement.ChargeRanges(0)).Should().Throw<ArgumentOutOfRangeException>();
        FluentActions.Invoking(() => ((AllocationStatement)null!).ChargeRanges(1)).Should().Throw<ArgumentNullException>();
    }

    /// <summary>
    /// Day 1 real-time: 1 h support + 2 h sales + 1 h untagged; day 2: 30 min sales; day 3: 1 h support + 1 h untagged.
    /// </summary>
    private static Bill ThreeDaysOfTags() => PriceCalculator.Compute(
    [
        Record(At("2025-09-02T01:00:00Z"), 3600, tag: "support"),
        Record(At("2025-09-02T02:00:00Z"), 7200, tag: "sales"),
        Record(At("2025-09-02T05:00:00Z"), 3600),
        Record(At("2025-09-03T02:00:00Z"), 1800, tag: "sales"),
        Record(At("2025-09-04T02:00:00Z"), 3600, tag: "support"),
        Record(At("2025-09-04T03:00:00Z"), 3600),
    ]);
}
