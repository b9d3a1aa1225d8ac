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

    [Fact]
    public void SubtotalsOfManyCharges_InTwoCurrenciesAndMonths_AreTheirChargesAdded()
    {
        // Enough charges that they are summed in ranges on several threads; real-time in USD,
        // recording-file in CNY; 700 accounts over 30 days from 15 September.
        var book = PriceBookJson.Load("""
            {"format":"asr-billing-price-book","version":1,"name":"Two currencies","tables":[
             {"service":"real-time","currency":"USD","effectiveFrom":"2025-01-01","tiers":[{"from":0,"unitPrice":1.4},{"from":300,"unitPrice":1.2}]},
             {"service":"recording-file","currency":"CNY","effectiveFrom":"2025-01-01","tiers":[{"from":0,"unitPrice":3.2}]}]}
            """);
        var random = new Random(7);
        var totals = Enumerable.Range(0, 700).SelectMany(a => Enumerable.Range(0, 30).SelectMany(d => new[] { AsrService.RealTime, AsrService.RecordingFile }
            .Select(s => new DailyTotal($"acct-{a:D3}", s, new LocalDate(2025, 9, 15).PlusDays(d), random.NextInt64(1, 400L * 3600))))).ToList();

        var bill = PriceCalculator.Compute(totals, new BillingOptions(book));

        bill.Charges.Count.Should().Be(42_000);
        Expect(bill.ByAccount, bill.Charges.GroupBy(c => (Key: c.Account, c.Fee.Currency)).OrderBy(g => g.Key.Key, StringComparer.Ordinal).ThenBy(g => g.Key.Currency, StringComparer.Ordinal));
        Expect(bill.ByService, bill.Charges.GroupBy(c => (Key: c.Service.Id, c.Fee.Currency)).OrderBy(g => g.Key.Key, StringComparer.Ordinal).ThenBy(g => g.Key.Currency, StringComparer.Ordinal));
        Expect(bill.ByMonth, bill.Charges.GroupBy(c => (Key: $"{c.Date.Year:D4}-{c.Date.Month:D2}", c.Fee.Currency)).OrderBy(g => g.Key.Key, StringComparer.Ordinal).ThenBy(g => g.Key.Currency, StringComparer.Ordinal));
        bill.ByMonth.Select(m => m.Key).Distinct().Should().Equal("2025-09", "2025-10");
        bill.Totals.Should().Equal(
            new Money(bill.Charges.Where(c => c.Fee.Currency == "CNY").Sum(c => c.Fee.Amount), "CNY"),
            new Money(bill.Charges.Where(c => c.Fee.Currency == "USD").Sum(c => c.Fee.Amount), "USD"));

        static void Expect(IEnumerable<Subtotal> subtotals, IEnumerable<IGrouping<(string Key, string Currency), BillCharge>> groups) =>
            subtotals.Select(s => (s.Key, s.Fee, s.BillableSeconds, s.Charges)).Should().Equal(
                groups.Select(g => (g.Key.Key, new Money(g.Sum(c => c.Fee.Amount), g.Key.Currency), g.Sum(c => c.BillableSeconds), g.Count())));
    }

    [Theory]
    [InlineData(40)]
    [InlineData(40_000)] // enough charges to be summed in ranges on several threads
    public void ASubtotalPastTheRangeOfSeconds_ThrowsOverflowException_Unwrapped(int others)
    {
        // Account b's two days are each billable (long.MaxValue / 2 + 10 seconds is a valid day),
        // but their sum, b's subtotal, is past long.MaxValue.
        var totals = Enumerable.Range(0, others).Select(i => new DailyTotal($"a{i:D6}", AsrService.RealTime, new LocalDate(2025, 9, 1), 10)).ToList();
        totals.Add(new DailyTotal("b", AsrService.RealTime, new LocalDate(2025, 9, 1), (long.MaxValue / 2) + 10));
        totals.Add(new DailyTotal("b", AsrService.RealTime, new LocalDate(2025, 9, 2), (long.MaxValue / 2) + 10));

        var thrown = Xunit.Record.Exception(() => PriceCalculator.Compute(totals));

        thrown.Should().BeOfType<OverflowException>("callers and the CLI catch it by its type, not wrapped in an AggregateException")
            .Which.Message.Should().Be($"The billable seconds of account 'b' add up past what a bill can hold ({long.MaxValue} s).");
    }
}
