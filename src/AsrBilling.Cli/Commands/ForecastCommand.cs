using System.CommandLine;
using System.Globalization;
using AsrBilling.Cli.Output;
using NodaTime;
using NodaTime.Text;

namespace AsrBilling.Cli.Commands;

/// <summary>
/// <c>asr-billing forecast &lt;service&gt;... (--hours-per-day H --month YYYY-MM | --hours H,H,… --from DATE |
/// --so-far H,H,… --from DATE) [--prices FILE] [--json]</c>: what the usage would cost, services side by side.
/// </summary>
internal static class ForecastCommand
{
    public static Command Create()
    {
        var services = new Argument<string[]>("service") { Description = "One or more service ids to price side by side.", Arity = ArgumentArity.OneOrMore };
        var perDay = new Option<string?>("--hours-per-day") { Description = "The same hours every day of --month." };
        var month = new Option<string?>("--month") { Description = "The month to forecast, YYYY-MM, with --hours-per-day." };
        var hours = new Option<string?>("--hours") { Description = "Hours of each day from --from, comma-separated." };
        var soFar = new Option<string?>("--so-far") { Description = "Hours of each day so far from --from, comma-separated; the rest of the month gets their average." };
        var from = new Option<LocalDate?>("--from")
        {
            Description = "The first day of --hours or --so-far, YYYY-MM-DD.",
            CustomParser = r => CommonOptions.ParseDate(r, "--from"),
        };
        var json = CommonOptions.Json("Print JSON with every day's tier and fee.");
        var prices = CommonOptions.Prices();
        var command = new Command("forecast", "Forecast what usage would cost, per day and in total, on one or more services.")
        {
            services, perDay, month, hours, soFar, from, json, prices,
        };
        command.SetAction(parsed =>
        {
            var book = CommonOptions.LoadPrices(parsed.GetValue(prices));
            var chosen = parsed.GetRequiredValue(services).Select(id => CommonOptions.ResolveService(book, id)).ToList();
            var profile = Profile(parsed.GetValue(perDay), parsed.GetValue(month), parsed.GetValue(hours), parsed.GetValue(soFar), parsed.GetValue(from));
            var forecasts = Forecaster.Compare(profile, chosen, new BillingOptions(priceBook: book));
            var output = parsed.InvocationConfiguration.Output;
            if (parsed.GetValue(json))
            {
                JsonOutput.Write(output, w =>
                {
                    w.WriteStartObject();
                    w.WriteString("from", JsonOutput.Iso(profile.Days[0].Date));
                    w.WriteString("to", JsonOutput.Iso(profile.Days[^1].Date));
                    w.WriteStartArray("services");
                    foreach (var forecast in forecasts)
                    {
                        w.WriteStartObject();
                        w.WriteString("service", forecast.Service.Id);
                        w.WriteString("currency", forecast.Total.Currency);
                        w.WriteNumber("total", forecast.Total.Amount);
                        w.WriteStartArray("days");
                        foreach (var charge in forecast.Bill.Charges)
                        {
                            w.WriteStartObject();
                            w.WriteString("date", charge.Period);
                            w.WriteNumber("billableSeconds", charge.BillableSeconds);
                            w.WriteNumber("tier", charge.Charge.Tier.Number);
                            w.WriteNumber("unitPrice", charge.Charge.UnitPrice.Amount);
                            w.WriteNumber("fee", charge.Fee.Amount);
                            w.WriteEndObject();
                        }

                        w.WriteEndArray();
                        w.WriteEndObject();
                    }

                    w.WriteEndArray();
                    w.WriteEndObject();
                });
                return CliApp.Success;
            }

            output.WriteLine($"Forecast for {JsonOutput.Iso(profile.Days[0].Date)} to {JsonOutput.Iso(profile.Days[^1].Date)} ({profile.Days.Length} days, {JsonOutput.Hours(profile.Days.Sum(d => d.Hours))} h), cheapest first:");
            output.WriteLine();
            var table = new TextTable("service", "total", "vs cheapest", "tiers reached");
            var cheapest = forecasts[0].Total;
            foreach (var forecast in forecasts)
            {
                var tiers = string.Join(", ", forecast.Bill.Charges.GroupBy(c => c.Charge.Tier.Number).OrderBy(g => g.Key).Select(g => $"{g.Key} ({g.Count()} {(g.Count() == 1 ? "window" : "windows")})"));
                var difference = forecast.Total.Currency == cheapest.Currency ? "+" + (forecast.Total - cheapest) : "-";
                table.AddRow(forecast.Service.Id, forecast.Total.ToString(), difference, tiers);
            }

            table.WriteTo(output, rightAligned: [1, 2]);
            return CliApp.Success;
        });
        return command;
    }

    private static UsageProfile Profile(string? perDay, string? month, string? hours, string? soFar, LocalDate? from)
    {
        if (perDay is not null && month is not null)
        {
            var parsedMonth = YearMonthPattern.Iso.Parse(month);
            if (!parsedMonth.Success)
            {
                throw new CliInputException($"--month: '{month}' is not a month in the form YYYY-MM.");
            }

            var ym = parsedMonth.Value;
            return UsageProfile.Constant(Hours(perDay, "--hours-per-day").Single(), new DateInterval(ym.OnDayOfMonth(1), ym.OnDayOfMonth(ym.Calendar.GetDaysInMonth(ym.Year, ym.Month))));
        }

        if (from is { } first && (hours ?? soFar) is { } list)
        {
            return hours is not null
                ? UsageProfile.Daily(first, Hours(list, "--hours"))
                : UsageProfile.MonthSoFar(first, Hours(list, "--so-far"));
        }

        throw new CliInputException("give --hours-per-day with --month, or --hours or --so-far with --from.");
    }

    private static List<decimal> Hours(string list, string option) =>
    [
        .. list.Split(',').Select((text, i) => decimal.TryParse(text.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out var value)
            ? value
            : throw new CliInputException($"{option}: value {i + 1}, '{text}', is not a number of hours.")),
    ];
}
