namespace AsrBilling.Tests.Robustness;

public class ConcurrencyAndLimitsTests
{
    [Fact]
    public void EightThreads_PricingAMillionCharges_EqualTheSequentialResult()
    {
        var book = PriceBook.TencentCloudInternational;
        var random = new Random(5);
        var totals = Enumerable.Range(0, 1_000_000)
            .Select(i => new DailyTotal("a", AsrService.All[i % 4], new LocalDate(2025, 9, 1).PlusDays(i % 30), random.NextInt64(0, 25_000L * 3600)))
            .ToArray();
        var sequential = totals.Select(t => PriceCalculator.Compute(t, book).Fee.Amount).ToArray();

        var parallel = new decimal[totals.Length];
        Parallel.For(0, 8, new ParallelOptions { MaxDegreeOfParallelism = 8 }, worker =>
        {
            for (var i = worker; i < totals.Length; i += 8)
            {
                parallel[i] = PriceCalculator.Compute(totals[i], book).Fee.Amount;
            }
        });

        parallel.Should().Equal(sequential);
    }

    [Fact]
    public void TensOfMillionsOfHours_PriceExactly()
    {
        // 50,000,000 h of real-time: open tier, 50,000,000 × 0.7 = 35,000,000.00.
        PriceCalculator.Compute(AsrService.RealTime, 50_000_000m).Fee.Amount.Should().Be(35_000_000.00m);
    }

    [Fact]
    public void HoursBeyondDecimal_AreAClearOverflow()
    {
        var act = () => PriceCalculator.Compute(AsrService.RealTimeLargeModel, decimal.MaxValue);

        act.Should().Throw<OverflowException>().WithMessage("*real-time-large-model*too large*");
    }

    [Fact]
    public void LargestDuration_BillsItsWholeSeconds()
    {
        // Duration.MaxValue is 2^24 days less 1 ns: 16,777,216 days × 86,400 s = 1,449,551,462,400 s.
        var record = new UsageRecord(AsrService.RealTime, Instant.FromUtc(2025, 9, 2, 0, 0), Duration.MaxValue);

        record.BillableSeconds.Should().Be(1_449_551_462_400L);
        var fee = PriceCalculator.Compute([record]).Total.Amount;
        fee.Should().Be(281_857_228.80m); // 1,449,551,462,400 × 0.7 ÷ 3600 = 281,857,228.8
    }

    [Fact]
    public void DayTotalNearLongMax_OverflowsClearly_NamingTheKey()
    {
        var aggregator = new UsageAggregator();
        var start = Instant.FromUtc(2025, 9, 2, 1, 0);
        aggregator.Add(AsrService.RealTime, start, long.MaxValue - 5, "acme");

        var act = () => aggregator.Add(AsrService.RealTime, start, 10, "acme");

        var error = act.Should().Throw<UsageOverflowException>().Which;
        (error.Account, error.ServiceId, error.Date).Should().Be(("acme", "real-time", new LocalDate(2025, 9, 2)));
    }

    [Fact]
    public void DayTotalAtLongMax_PricesWithoutOverflow()
    {
        // long.MaxValue s × 0.7 ÷ 3600 = 1,793,433,451,610,650.8513… → …650.85.
        var total = new DailyTotal("acme", AsrService.RealTime, new LocalDate(2025, 9, 2), long.MaxValue);

        PriceCalculator.Compute([total]).Total.Amount.Should().Be(1_793_433_451_610_650.85m);
    }
}
