namespace AsrBilling.Tests.PriceData;

public class BuiltInPricesTests
{
    public static TheoryData<string> ServiceIds { get; } = new(ExpectedPrices.ServiceIds);

    [Fact]
    public void TencentCloudInternational_PricesTheFourServicesFrom20250819()
    {
        var book = PriceBook.TencentCloudInternational;

        book.Should().BeSameAs(PriceBook.TencentCloudInternational);
        book.Name.Should().Be("Tencent Cloud international, 2025-08-19");
        book.Services.Select(s => s.Id).Should().Equal(ExpectedPrices.ServiceIds);
        book.Tables.Should().HaveCount(4).And.OnlyContain(t => t.EffectiveFrom == new LocalDate(2025, 8, 19) && t.Currency == "USD");
    }

    [Theory]
    [MemberData(nameof(ServiceIds))]
    public void TencentCloudInternational_TableMatchesOwnCopyOfSource(string serviceId)
    {
        var table = PriceBook.TencentCloudInternational.GetLatestTable(ExpectedPrices.Service(serviceId));
        var prices = ExpectedPrices.UnitPrices(serviceId);
        var thresholds = ExpectedPrices.ThresholdHours;

        table.Tiers.Should().HaveCount(thresholds.Length);
        for (var i = 0; i < thresholds.Length; i++)
        {
            var tier = table.Tiers[i];
            tier.Number.Should().Be(i + 1);
            tier.FromHours.Should().Be(thresholds[i]);
            tier.ToHours.Should().Be(i + 1 < thresholds.Length ? thresholds[i + 1] : null);
            tier.UnitPrice.Should().Be(new Money(prices[i], "USD"));
        }
    }
}
