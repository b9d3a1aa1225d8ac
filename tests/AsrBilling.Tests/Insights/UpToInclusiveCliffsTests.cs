using System.Text.Json;
using AsrBilling.Tests.Cli;

namespace AsrBilling.Tests.Insights;

/// <summary>
/// Tier cliffs and tier ranges under <see cref="ThresholdRule.UpToInclusive"/>: a table with tiers
/// 0 h at 1.44 and 500 h at 0.90, where 500 h is still tier 1.
/// </summary>
/// <remarks>
/// Worked out by hand: 500 h cost 500 × 1.44 = 720.00; 450 h cost 450 × 1.44 = 648.00. The next tier
/// starts just past 500 h: 1,800,001 s × 0.90 ÷ 3600 = 450.00025 → 450.00. The break-even point is
/// 500 × 0.90 ÷ 1.44 = 312.5 h (312.5 × 1.44 = 450.00, not more than 450.00025), so the range is (312.5 h, 500 h].
/// </remarks>
public sealed class UpToInclusiveCliffsTests : IDisposable
{
    private static readonly AsrService MyAsr = AsrService.Create("my-asr", "My ASR");

    private readonly string _dir = Directory.CreateTempSubdirectory("asr-billing-inclusive-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static PriceTable Table(int incrementSeconds = 1) => PriceTable.FromThresholds(
        MyAsr, new LocalDate(2026, 1, 1), "USD", [(0m, 1.44m), (500m, 0.90m)], new PriceRules(thresholdRule: ThresholdRule.UpToInclusive, incrementSeconds: incrementSeconds));

    [Fact]
    public void Cliff_EndsAtTheThreshold_AndIsCheaperOneSecondPastIt()
    {
        var cliff = TierCliffs.Of(Table()).Should().ContainSingle().Subject;

        cliff.ThresholdHours.Should().Be(500m);
        cliff.BreakEvenHours.Should().Be(312.5m);
        cliff.CheaperPointSeconds.Should().Be(1_800_001);
        cliff.FeeAtCheaperPoint.Should().Be(new Money(450.00m, "USD"));
        cliff.DescribeCheaperPoint().Should().Be("500 h + 1 s");
        cliff.ToString().Should().Be("my-asr tier 1 → 2: above 312.5 h to 500 h inclusive, 500 h + 1 s cost 450.00 USD");
    }

    [Theory]
    [InlineData("312.5", false)]
    [InlineData("312.51", true)]
    [InlineData("450", true)]
    [InlineData("500", true)]
    [InlineData("500.0001", false)]
    public void TryFind_RangeIsAboveBreakEvenUpToAndIncludingTheThreshold(string hours, bool inside) =>
        TierCliffs.TryFind(Table(), decimal.Parse(hours, System.Globalization.CultureInfo.InvariantCulture), out _).Should().Be(inside);

    [Fact]
    public void CheaperPoint_IsTheFirstBillingIncrementPastTheThreshold()
    {
        // Billed in whole minutes: 1,800,060 s × 0.90 ÷ 3600 = 450.015 → 450.02 (half away from zero).
        var cliff = TierCliffs.Of(Table(incrementSeconds: 60)).Single();

        cliff.CheaperPointSeconds.Should().Be(1_800_060);
        cliff.FeeAtCheaperPoint.Should().Be(new Money(450.02m, "USD"));
        cliff.DescribeCheaperPoint().Should().Be("500 h + 60 s");
    }

    [Fact]
    public void Tiers_DescribeTheirRangesUnderTheRule()
    {
        var table = Table();

        table.ToString().Should().Be("my-asr (prices of 2026-01-01): tier 1 [0 h, 500 h] at 1.44 USD/h; tier 2 (500 h, ∞) at 0.90 USD/h");
        table.Tiers.Select(t => t.DescribeRange(ThresholdRule.UpToInclusive)).Should().Equal("0 h to 500 h inclusive", "above 500 h");
        PriceCalculator.Compute(table, 450m).ToString().Should().Be("648.00 USD = 450 h × 1.44 USD/h (my-asr, tier 1 of 2: 0 h to 500 h inclusive; prices of 2026-01-01)");
    }

    [Fact]
    public void Cli_Price_AtTheThreshold_NotesTheCheaperPointPastIt()
    {
        var prices = WriteBook();

        var (code, output, error) = CliRunner.Run("price", "my-asr", "500", "--prices", prices);

        code.Should().Be(0, error);
        output.Should().StartWith("720.00 USD = 500 h × 1.44 USD/h");
        output.Should().Contain("Note: at 500 h + 1 s this day would cost 450.00 USD, 270.00 USD less.");
        CliRunner.Run("price", "my-asr", "450", "--prices", prices).Out.Should().Contain("Note: at 500 h + 1 s this day would cost 450.00 USD, 198.00 USD less.");
        CliRunner.Run("price", "my-asr", "312.5", "--prices", prices).Out.Should().NotContain("Note:");
    }

    [Fact]
    public void Cli_Price_Json_GivesTheCheaperPoint()
    {
        var (code, output, error) = CliRunner.Run("price", "my-asr", "500", "--prices", WriteBook(), "--json");

        code.Should().Be(0, error);
        var cliff = JsonDocument.Parse(output).RootElement.GetProperty("cliff");
        cliff.GetProperty("thresholdHours").GetDecimal().Should().Be(500m);
        cliff.GetProperty("cheaperPointSeconds").GetInt64().Should().Be(1_800_001);
        cliff.GetProperty("feeAtCheaperPoint").GetDecimal().Should().Be(450.00m);
        cliff.GetProperty("saving").GetDecimal().Should().Be(270.00m);
    }

    [Fact]
    public void Cli_CliffsAndTiers_HonourTheRule()
    {
        var prices = WriteBook();

        var (code, cliffs, error) = CliRunner.Run("cliffs", "my-asr", "--prices", prices);
        var tiers = CliRunner.Run("tiers", "my-asr", "--prices", prices).Out;

        code.Should().Be(0, error);
        cliffs.Should().Contain("costs more than the first billable total past the threshold");
        cliffs.Should().MatchRegex(@"1 → 2\s+312\.500\s+500\s+500 h \+ 1 s\s+450\.00");
        tiers.Should().Contain("0 h to 500 h inclusive").And.Contain("above 500 h").And.NotContain("and above");
    }

    private string WriteBook()
    {
        var path = Path.Combine(_dir, "my-asr.json");
        File.WriteAllText(path, PriceBookJson.Save(new PriceBook("my price list", [Table()])));
        return path;
    }
}
