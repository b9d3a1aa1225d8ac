using System.Text.Json;
using AsrBilling.Tests.Cli;

namespace AsrBilling.Tests.Insights;

public class TierCliffsTests
{
    private static readonly PriceTable RealTime = PriceBook.TencentCloudInternational.GetLatestTable(AsrService.RealTime);

    /// <summary>
    /// Every real-time cliff, b = T × p_next ÷ p_prev, worked out by hand from the price list:
    /// 300 × 1.2 ÷ 1.4 = 1800/7, 1000 × 1 ÷ 1.2 = 2500/3, 3000 × 0.86 ÷ 1 = 2580, 5000 × 0.7 ÷ 0.86 = 175000/43;
    /// at the threshold a day costs 360, 1000, 2580 and 3500 USD.
    /// </summary>
    public static TheoryData<int, int, decimal, decimal, decimal> RealTimeCliffs => new()
    {
        { 1, 2, 257.142857142857142857m, 300m, 360.00m },
        { 2, 3, 833.333333333333333333m, 1000m, 1000.00m },
        { 3, 4, 2580.000000000000000000m, 3000m, 2580.00m },
        { 4, 5, 4069.767441860465116279m, 5000m, 3500.00m },
    };

    [Theory]
    [MemberData(nameof(RealTimeCliffs))]
    public void Of_RealTime_HasEveryCliff(int below, int above, decimal breakEven, decimal threshold, decimal feeAtThreshold)
    {
        var cliff = TierCliffs.Of(RealTime).Single(c => c.Below.Number == below);

        cliff.Above.Number.Should().Be(above);
        cliff.BreakEvenHours.Should().BeApproximately(breakEven, 0.000000000000000001m);
        cliff.ThresholdHours.Should().Be(threshold);
        cliff.FeeAtCheaperPoint.Should().Be(new Money(feeAtThreshold, "USD"));
        cliff.CheaperPointSeconds.Should().Be((long)(threshold * 3600m));
        // At b the two costs are equal (to the precision of b); above it the threshold is cheaper.
        (cliff.BreakEvenHours * cliff.Below.UnitPrice.Amount).Should().BeApproximately(feeAtThreshold, 0.0000000000000001m);
    }

    [Fact]
    public void Cliffs_AreEqualOnlyForTheSameTableAndTiers()
    {
        var cliffs = TierCliffs.Of(RealTime);
        var again = TierCliffs.Of(RealTime);

        (cliffs[0] == again[0]).Should().BeTrue();
        (cliffs[0] != again[0]).Should().BeFalse();
        cliffs[0].Equals((object)again[0]).Should().BeTrue();
        cliffs[0].GetHashCode().Should().Be(again[0].GetHashCode());
        (cliffs[0] == cliffs[1]).Should().BeFalse();
        (cliffs[0] != cliffs[1]).Should().BeTrue();

        // The same tiers in a version of the next day: another table, so other cliffs.
        var nextDay = TierCliffs.Of(new PriceTable(AsrService.RealTime, RealTime.EffectiveFrom.PlusDays(1), RealTime.Tiers));
        (nextDay[0] == cliffs[0]).Should().BeFalse();
        (nextDay[0] != cliffs[0]).Should().BeTrue();
    }

    [Theory]
    [InlineData(257.14, false)]
    [InlineData(257.15, true)]
    [InlineData(299.99, true)]
    [InlineData(300.0, false)]
    [InlineData(833.34, true)]
    [InlineData(800.0, false)]
    [InlineData(900.0, true)]
    public void TryFind_OnlyInsideARange(double hours, bool inside) =>
        TierCliffs.TryFind(RealTime, (decimal)hours, out _).Should().Be(inside);

    [Fact]
    public void Example_299HoursCostMoreThan300()
    {
        // 299 × 1.4 = 418.60; 300 × 1.2 = 360.00.
        PriceCalculator.Compute(AsrService.RealTime, 299m).Fee.Amount.Should().Be(418.60m);
        TierCliffs.TryFind(RealTime, 299m, out var cliff).Should().BeTrue();
        cliff.FeeAtCheaperPoint.Amount.Should().Be(360.00m);
    }

    [Fact]
    public void Graduated_HasNoCliffs()
    {
        var graduated = PriceTable.FromThresholds(AsrService.RealTime, new LocalDate(2025, 1, 1), "USD", [(0m, 1.4m), (300m, 1.2m)], new PriceRules(TierMode.Graduated));

        TierCliffs.Of(graduated).Should().BeEmpty();
    }

    [Fact]
    public void NoPriceDrop_NoCliff()
    {
        var rising = PriceTable.FromThresholds(AsrService.RealTime, new LocalDate(2025, 1, 1), "USD", [(0m, 1m), (10m, 1m), (20m, 2m)]);

        TierCliffs.Of(rising).Should().BeEmpty();
    }

    [Fact]
    public void Cli_PriceNotesTheCliff()
    {
        var (code, output, _) = CliRunner.Run("price", "real-time", "299");

        code.Should().Be(0);
        output.Should().Contain("Note: at 300 h this day would cost 360.00 USD, 58.60 USD less.");
        CliRunner.Run("price", "real-time", "250").Out.Should().NotContain("Note:");
    }

    [Fact]
    public void Cli_CliffsJson_ListsEveryRange()
    {
        var (code, output, _) = CliRunner.Run("cliffs", "real-time", "--json");

        code.Should().Be(0);
        using var json = JsonDocument.Parse(output);
        json.RootElement.EnumerateArray().Select(c => (c.GetProperty("thresholdHours").GetDecimal(), c.GetProperty("feeAtCheaperPoint").GetDecimal()))
            .Should().Equal((300m, 360.00m), (1000m, 1000.00m), (3000m, 2580.00m), (5000m, 3500.00m));
        output.Should().Contain("\"feeAtCheaperPoint\":360.00");
    }

    [Fact]
    public void Cli_CliffsTable_ShowsRanges()
    {
        var (code, output, _) = CliRunner.Run("cliffs", "real-time");

        code.Should().Be(0);
        output.Should().Contain("1 → 2").And.Contain("257.143").And.Contain("360.00");
    }
}
