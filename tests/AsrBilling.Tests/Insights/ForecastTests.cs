using System.Text.Json;
using AsrBilling.Tests.Cli;

namespace AsrBilling.Tests.Insights;

public class ForecastTests
{
    private static readonly DateInterval September = new(new LocalDate(2025, 9, 1), new LocalDate(2025, 9, 30));

    [Fact]
    public void Constant280HoursADay_For30Days()
    {
        // 280 h stays in tier 1 every day: 280 × 1.4 = 392.00 a day, × 30 = 11,760.00.
        var forecast = Forecaster.Price(UsageProfile.Constant(280m, September), AsrService.RealTime);

        forecast.Bill.Charges.Should().HaveCount(30).And.OnlyContain(c => c.Charge.Tier.Number == 1 && c.Fee.Amount == 392.00m);
        forecast.Total.Should().Be(new Money(11_760.00m, "USD"));
    }

    [Fact]
    public void Compare_PutsTheCheapestFirst()
    {
        // 280 h a day for 30 days: recording file 280 × 1 × 30 = 8,400.00; real-time 11,760.00;
        // recording-file large model 280 × 1.8 × 30 = 15,120.00; real-time large model 280 × 2 × 30 = 16,800.00.
        var forecasts = Forecaster.Compare(UsageProfile.Constant(280m, September), AsrService.All);

        forecasts.Select(f => (f.Service.Id, f.Total.Amount)).Should().Equal(
            ("recording-file", 8_400.00m), ("real-time", 11_760.00m), ("recording-file-large-model", 15_120.00m), ("real-time-large-model", 16_800.00m));
    }

    [Fact]
    public void Daily_PricesEachDayAtItsOwnTier()
    {
        // 299 h → 418.60 (tier 1); 300 h → 360.00 (tier 2).
        var forecast = Forecaster.Price(UsageProfile.Daily(new LocalDate(2025, 9, 1), [299m, 300m]), AsrService.RealTime);

        forecast.Bill.Charges.Select(c => (c.Charge.Tier.Number, c.Fee.Amount)).Should().Equal((1, 418.60m), (2, 360.00m));
        forecast.Total.Amount.Should().Be(778.60m);
    }

    [Fact]
    public void MonthSoFar_ExtendsByItsOwnAverage()
    {
        // 10, 20 and 30 h on 1–3 September average 20 h; 4–30 September is 27 days at 20 h.
        // (10 + 20 + 30 + 27 × 20) h × 1.4 = 600 h × 1.4 = 840.00.
        var profile = UsageProfile.MonthSoFar(new LocalDate(2025, 9, 1), [10m, 20m, 30m]);

        profile.Days.Should().HaveCount(30);
        profile.Days[^1].Should().Be((new LocalDate(2025, 9, 30), 20m));
        Forecaster.Price(profile, AsrService.RealTime).Total.Amount.Should().Be(840.00m);
    }

    [Fact]
    public void BadProfiles_AreClearErrors()
    {
        FluentActions.Invoking(() => UsageProfile.Daily(new LocalDate(2025, 9, 1), [])).Should().Throw<ArgumentException>().WithMessage("*at least one day*");
        FluentActions.Invoking(() => UsageProfile.Daily(new LocalDate(2025, 9, 1), [1m, -2m])).Should().Throw<ArgumentException>().WithMessage("Day 2 of the profile has negative hours (-2)*");
        FluentActions.Invoking(() => UsageProfile.Constant(-1m, September)).Should().Throw<ArgumentOutOfRangeException>();
        FluentActions.Invoking(() => UsageProfile.MonthSoFar(new LocalDate(2025, 9, 29), [1m, 1m, 1m])).Should().Throw<ArgumentException>().WithMessage("*past the month's end*");
        FluentActions.Invoking(() => Forecaster.Compare(UsageProfile.Constant(1m, September), [])).Should().Throw<ArgumentException>().WithMessage("*at least one service*");
    }

    [Fact]
    public void Cli_Forecast_ComparesServicesSideBySide()
    {
        var (code, output, error) = CliRunner.Run("forecast", "real-time", "recording-file", "--hours-per-day", "280", "--month", "2025-09", "--json");

        code.Should().Be(0, error);
        using var json = JsonDocument.Parse(output);
        var services = json.RootElement.GetProperty("services").EnumerateArray().ToList();
        services.Select(s => (s.GetProperty("service").GetString(), s.GetProperty("total").GetDecimal())).Should().Equal(("recording-file", 8_400.00m), ("real-time", 11_760.00m));
        services[1].GetProperty("days").EnumerateArray().Should().HaveCount(30).And.OnlyContain(d => d.GetProperty("tier").GetInt32() == 1);
    }

    [Fact]
    public void Cli_Forecast_Table()
    {
        var (code, output, _) = CliRunner.Run("forecast", "real-time", "--hours", "299,300", "--from", "2025-09-01");

        code.Should().Be(0);
        output.Should().Contain("real-time").And.Contain("778.60 USD");
    }

    [Theory]
    [InlineData(new[] { "forecast", "real-time", "--hours", "1,-2", "--from", "2025-09-01" }, 2, "--hours: entry 2, '-2', is not a number of hours ≥ 0")]
    [InlineData(new[] { "forecast", "real-time" }, 2, "give --hours-per-day with --month")]
    [InlineData(new[] { "forecast", "speech", "--hours-per-day", "1", "--month", "2025-09" }, 1, "unknown service id 'speech'")]
    public void Cli_Forecast_BadInput(string[] args, int expectedCode, string reason)
    {
        var (code, output, error) = CliRunner.Run(args);

        code.Should().Be(expectedCode);
        output.Should().BeEmpty();
        error.Should().Contain(reason);
    }
}
