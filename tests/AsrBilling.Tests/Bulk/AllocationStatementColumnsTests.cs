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
}
