using static AsrBilling.Tests.Billing.BillingTestData;

namespace AsrBilling.Tests.Billing;

public class DailyTotalTests
{
    private static readonly LocalDate Day = new(2025, 9, 2);

    [Fact]
    public void Merge_AddsSecondsAndTags()
    {
        var a = new DailyTotal("acme", AsrService.RealTime, Day, 100, [new("x", 40)]);
        var b = new DailyTotal("acme", AsrService.RealTime, Day, 50, [new("x", 10), new("y", 5)]);

        var merged = a.Merge(b);

        merged.BillableSeconds.Should().Be(150);
        merged.TagSeconds.Should().Equal(new Dictionary<string, long> { ["x"] = 50, ["y"] = 5 });
    }

    [Fact]
    public void Merge_DifferentKeys_Throws()
    {
        var a = new DailyTotal("acme", AsrService.RealTime, Day, 100);
        var b = new DailyTotal("acme", AsrService.RealTimeLargeModel, Day, 100);

        var act = () => a.Merge(b);

        act.Should().Throw<ArgumentException>().WithMessage("*same account, service and date*");
    }

    [Fact]
    public void Merge_Overflow_NamesTheKey()
    {
        var a = new DailyTotal("acme", AsrService.RealTime, Day, long.MaxValue);
        var b = new DailyTotal("acme", AsrService.RealTime, Day, 1);

        var act = () => a.Merge(b);

        var error = act.Should().Throw<UsageOverflowException>().Which;
        (error.Account, error.ServiceId, error.Date).Should().Be(("acme", "real-time", Day));
        error.Message.Should().Contain("acme").And.Contain("real-time").And.Contain("2025-09-02");
    }

    [Fact]
    public void Constructor_Validates()
    {
        FluentActions.Invoking(() => new DailyTotal("a", AsrService.RealTime, Day, -1)).Should().Throw<ArgumentOutOfRangeException>();
        FluentActions.Invoking(() => new DailyTotal("a", AsrService.RealTime, Day, 10, [new("x", 11)]))
            .Should().Throw<ArgumentOutOfRangeException>().WithMessage("*more than the total*");
        FluentActions.Invoking(() => new DailyTotal("a", AsrService.RealTime, Day, 10, [new("x", -1)])).Should().Throw<ArgumentOutOfRangeException>();
        FluentActions.Invoking(() => new DailyTotal("a", AsrService.RealTime, Day, 10, [new("x", 1), new("x", 2)]))
            .Should().Throw<ArgumentException>().WithMessage("*appears twice*");
        new DailyTotal(null, AsrService.RealTime, Day, 10).Account.Should().BeEmpty();
    }

    [Fact]
    public void PricingADailyTotal_MultipliesSecondsFirst()
    {
        // 1,134,000 s = 315 h: 1,134,000 × 1.2 ÷ 3600 = 378 exactly.
        PriceCalculator.Compute(new DailyTotal("a", AsrService.RealTime, Day, 1_134_000)).Fee.Amount.Should().Be(378.00m);

        // 1,079,999 s is one second short of 300 h: tier 1. 1,079,999 × 1.4 ÷ 3600 = 419.99961… → 420.00.
        var below = PriceCalculator.Compute(new DailyTotal("a", AsrService.RealTime, Day, 1_079_999));
        below.Tier.Number.Should().Be(1);
        below.Fee.Amount.Should().Be(420.00m);
    }

    [Fact]
    public void PricingTheLargestTotal_DoesNotOverflow()
    {
        // long.MaxValue s × 0.7 ÷ 3600 = 1,793,433,451,610,650.8513…, which rounds to …650.85.
        var charge = PriceCalculator.Compute(new DailyTotal("a", AsrService.RealTime, Day, long.MaxValue));

        charge.Tier.Number.Should().Be(5);
        charge.Fee.Amount.Should().Be(1_793_433_451_610_650.85m);
    }

    [Fact]
    public void BillingTotals_MergesPartialTotalsOfOneKey()
    {
        var bill = PriceCalculator.Compute(
        [
            new DailyTotal("acme", AsrService.RealTime, Day, 150 * 3600),
            new DailyTotal("acme", AsrService.RealTime, Day, 150 * 3600),
        ]);

        bill.Charges.Single().Charge.Tier.Number.Should().Be(2);
        bill.Total.Amount.Should().Be(360.00m);
    }

    [Fact]
    public void Aggregator_TotalsEqualRecordsBilledDirectly()
    {
        var records = RandomRecords(seed: 7, count: 500);
        var aggregator = new UsageAggregator();
        aggregator.AddRange(records);

        var fromTotals = PriceCalculator.Compute(aggregator.ToDailyTotals());

        Snapshot(fromTotals).Should().Equal(Snapshot(PriceCalculator.Compute(records)));
        aggregator.RecordsRead.Should().Be(500);
        aggregator.DailyTotalCount.Should().Be(fromTotals.Charges.Length);
    }

    [Fact]
    public void Aggregator_LongHistory_KeepsEveryDay()
    {
        // One account over 800 days and two services: more blocks than a linear scan handles.
        var start = At("2025-09-01T00:00:00Z");
        var records = Enumerable.Range(0, 1600)
            .Select(i => Record(start + Duration.FromDays(i / 2), 60, i % 2 == 0 ? AsrService.RealTime : AsrService.RecordingFile))
            .ToList();
        var aggregator = new UsageAggregator();
        aggregator.AddRange(records.AsEnumerable().Reverse());

        var totals = aggregator.ToDailyTotals();

        totals.Should().HaveCount(1600).And.OnlyContain(t => t.BillableSeconds == 60);
        totals[0].Service.Should().Be(AsrService.RealTime);
        totals[0].Date.Should().Be(new LocalDate(2025, 9, 1));
        totals[799].Date.Should().Be(new LocalDate(2025, 9, 1).PlusDays(799));
        totals[800].Service.Should().Be(AsrService.RecordingFile);
    }
}
