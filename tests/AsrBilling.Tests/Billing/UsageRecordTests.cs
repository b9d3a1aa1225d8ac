using static AsrBilling.Tests.Billing.BillingTestData;

namespace AsrBilling.Tests.Billing;

public class UsageRecordTests
{
    [Theory]
    [InlineData(0.0, 0L)]
    [InlineData(0.2, 1L)]
    [InlineData(1.0, 1L)]
    [InlineData(1.0000001, 2L)]
    [InlineData(59.5, 60L)]
    [InlineData(3600.0, 3600L)]
    public void BillableSeconds_RoundsUpPerRecord(double seconds, long expected) =>
        Record("2025-09-01T00:00:00Z", seconds).BillableSeconds.Should().Be(expected);

    [Fact]
    public void BillableSeconds_OneNanosecondBillsOneSecond() =>
        new UsageRecord(AsrService.RealTime, At("2025-09-01T00:00:00Z"), Duration.FromNanoseconds(1)).BillableSeconds.Should().Be(1);

    [Fact]
    public void BillableSeconds_LongDurationIsExact()
    {
        // 10,000 days and a half second: 864,000,000 s + 1 s.
        var record = new UsageRecord(AsrService.RealTime, At("2025-09-01T00:00:00Z"), Duration.FromDays(10_000) + Duration.FromMilliseconds(500));
        record.BillableSeconds.Should().Be(864_000_001L);
    }

    [Fact]
    public void Constructor_NegativeDuration_Throws()
    {
        var act = () => new UsageRecord(AsrService.RealTime, At("2025-09-01T00:00:00Z"), Duration.FromSeconds(-1));
        act.Should().Throw<ArgumentOutOfRangeException>().Which.ParamName.Should().Be("duration");
    }

    [Fact]
    public void Constructor_NullService_Throws()
    {
        var act = () => new UsageRecord(null!, At("2025-09-01T00:00:00Z"), Duration.Zero);
        act.Should().Throw<ArgumentNullException>().Which.ParamName.Should().Be("service");
    }

    [Fact]
    public void ToString_NamesEveryPart() =>
        Record("2025-09-02T01:00:00Z", 90, id: "r1", account: "acme", tag: "team-a").ToString()
            .Should().Be("real-time at 2025-09-02T01:00:00Z for 90 s (id r1, account acme, tag team-a)");
}
