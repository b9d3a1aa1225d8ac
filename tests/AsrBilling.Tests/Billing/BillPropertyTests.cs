using FsCheck;
using FsCheck.Xunit;
using static AsrBilling.Tests.Billing.BillingTestData;

namespace AsrBilling.Tests.Billing;

public class BillPropertyTests
{
    [Property(MaxTest = 60)]
    public void OrderOfRecords_DoesNotChangeTheBill(int seed, PositiveInt count)
    {
        var records = RandomRecords(seed, count.Get % 300);
        var shuffled = records.OrderBy(_ => Random.Shared.Next()).ToList();

        Snapshot(PriceCalculator.Compute(shuffled)).Should().Equal(Snapshot(PriceCalculator.Compute(records)));
    }

    [Property(MaxTest = 60)]
    public void ShardingAndMergingDailyTotals_GivesTheSameBill(int seed, PositiveInt count, PositiveInt shards)
    {
        var records = RandomRecords(seed, count.Get % 300);
        var shardCount = (shards.Get % 5) + 1;
        var partials = records
            .Select((r, i) => (r, i))
            .GroupBy(p => p.i % shardCount, p => p.r)
            .SelectMany(shard =>
            {
                var aggregator = new UsageAggregator();
                aggregator.AddRange(shard);
                return aggregator.ToDailyTotals();
            })
            .ToList();

        Snapshot(PriceCalculator.Compute(partials)).Should().Equal(Snapshot(PriceCalculator.Compute(records)));
    }

    [Property(MaxTest = 60)]
    public void IgnoringDuplicates_EqualsBillingTheDeduplicatedInput(int seed, PositiveInt count)
    {
        var records = RandomRecords(seed, count.Get % 300, idPool: 40);
        var deduplicated = records.DistinctBy(r => r.Id).ToList();

        var ignoring = PriceCalculator.Compute(records, new BillingOptions(duplicates: DuplicatePolicy.Ignore));

        Snapshot(ignoring).Should().Equal(Snapshot(PriceCalculator.Compute(deduplicated)));
        ignoring.DuplicatesIgnored.Should().Be(records.Count - deduplicated.Count);
    }

    [Property(MaxTest = 60)]
    public void FeesHaveTwoDecimals_AndChargesSumToTheTotals(int seed, PositiveInt count)
    {
        var bill = PriceCalculator.Compute(RandomRecords(seed, count.Get % 300));

        bill.Charges.Should().OnlyContain(c => decimal.Round(c.Fee.Amount, 2, MidpointRounding.ToZero) == c.Fee.Amount);
        var sum = bill.Charges.Sum(c => c.Fee.Amount);
        bill.Total.Amount.Should().Be(sum);
        bill.ByAccount.Sum(s => s.Fee.Amount).Should().Be(sum);
        bill.ByService.Sum(s => s.Fee.Amount).Should().Be(sum);
        bill.ByMonth.Sum(s => s.Fee.Amount).Should().Be(sum);
    }
}
