using System.Text.Json;

namespace AsrBilling.Tests.Cli;

public class PriceCommandTests
{
    [Fact]
    public void Price_WorkedExample_PrintsExplanation()
    {
        var (code, output, error) = CliRunner.Run("price", "real-time", "315");

        code.Should().Be(0);
        error.Should().BeEmpty();
        output.TrimEnd().Should().Be("378.00 USD = 315 h × 1.20 USD/h (real-time, tier 2 of 5: 300 h to 1000 h; prices of 2025-08-19)");
    }

    [Fact]
    public void Price_Json_HasMoneyAsNumbersWithTwoDecimalFee()
    {
        var (code, output, _) = CliRunner.Run("price", "real-time", "315", "--json");

        code.Should().Be(0);
        output.Should().Contain("\"fee\":378.00").And.Contain("\"exactFee\":378.0").And.Contain("\"unitPrice\":1.2");
        using var json = JsonDocument.Parse(output);
        var root = json.RootElement;
        root.GetProperty("service").GetString().Should().Be("real-time");
        root.GetProperty("hours").GetDecimal().Should().Be(315m);
        root.GetProperty("tier").GetInt32().Should().Be(2);
        root.GetProperty("currency").GetString().Should().Be("USD");
        root.GetProperty("fee").GetDecimal().Should().Be(378.00m);
    }

    [Fact]
    public void Price_WithDate_UsesVersionInForce()
    {
        var (code, output, _) = CliRunner.Run("price", "recording-file", "1000", "--date", "2025-09-01", "--json");

        code.Should().Be(0);
        using var json = JsonDocument.Parse(output);
        // 1000 h reaches tier 3 of recording-file: 1000 × 0.9 = 900.00.
        json.RootElement.GetProperty("fee").GetDecimal().Should().Be(900.00m);
        json.RootElement.GetProperty("date").GetString().Should().Be("2025-09-01");
    }

    [Theory]
    [InlineData(new[] { "price", "realtime", "5" }, 1, "valid ids: real-time, real-time-large-model, recording-file, recording-file-large-model")]
    [InlineData(new[] { "price", "real-time", "abc" }, 2, "hours: 'abc' is not a decimal number")]
    [InlineData(new[] { "price", "real-time", "5", "--date", "2025-13-01" }, 2, "--date: '2025-13-01' is not a date")]
    [InlineData(new[] { "price", "real-time", "5", "--date", "2025-08-18" }, 1, "earliest version in 'Tencent Cloud international, 2025-08-19' takes effect on 2025-08-19")]
    [InlineData(new[] { "price", "real-time", "--", "-5" }, 2, "hours: '-5' is not a number of hours ≥ 0")]
    public void Price_BadInput_FailsWithReasonOnStderrAndNothingOnStdout(string[] args, int expectedCode, string reason)
    {
        var (code, output, error) = CliRunner.Run(args);

        code.Should().Be(expectedCode);
        output.Should().BeEmpty();
        error.Should().Contain(reason);
        error.Split('\n', StringSplitOptions.RemoveEmptyEntries).First().Should().StartWith("asr-billing: ");
    }
}
