using System.CommandLine;
using AsrBilling.Cli.Output;

namespace AsrBilling.Cli.Commands;

/// <summary>
/// <c>asr-billing forecast &lt;service&gt;... (--hours-per-day H --month YYYY-MM | --hours H,H,… --from DATE |
/// --so-far H,H,… --from DATE) [--prices NAME|FILE] [--packs FILE] [--json]</c>: what the usage would cost, services side by side.
/// </summary>
internal static class ForecastCommand
{
    public static Command Create()
    {
        var services = new Argument<string[]>("service") { Description = "One or more service ids to price side by side.", Arity = ArgumentArity.OneOrMore };
        var profileOptions = new ProfileOptions();
        var json = CommonOptions.Json("Print JSON with every day's tier and fee.");
        var prices = CommonOptions.Prices();
        var packs = CommonOptions.Packs();
        var command = new Command("forecast", "Forecast what usage would cost, per day and in total, on one or more services.") { services };
        profileOptions.AddTo(command);
        command.Options.Add(json);
        command.Options.Add(prices);
        command.Options.Add(packs);
        command.SetAction(parsed =>
        {
            var book = CommonOptions.LoadPrices(parsed.GetValue(prices));
            var chosen = parsed.GetRequiredValue(services).Select(id => CommonOptions.ResolveService(book, id)).ToList();
            var profile = profileOptions.Read(parsed);
            var forecasts = Forecaster.Compare(profile, chosen, CommonOptions.WithPacks(new BillingOptions(priceBook: book), parsed.GetValue(packs)));
            var output = parsed.InvocationConfiguration.Output;
            var withPacks = parsed.GetValue(packs) is not null;
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
                            if (withPacks)
                            {
                                w.WriteNumber("allowanceSeconds", charge.AllowanceSeconds);
                                PackOutput.WriteCharge(w, charge);
                            }

                            w.WriteEndObject();
                        }

                        w.WriteEndArray();
                        if (withPacks)
                        {
                            PackOutput.WriteReports(w, forecast.Bill);
                        }

                        w.WriteEndObject();
                    }

                    w.WriteEndArray();
                    w.WriteEndObject();
                });
                return CliApp.Success;
            }

            output.WriteLine($"Forecast for {JsonOutput.Iso(profile.Days[0].Date)} to {JsonOutput.Iso(profile.Days[^1].Date)} ({TextValues.Count(profile.Days.Length, "day")}, {TextValues.Hours(profile.Days.Sum(d => d.Hours))} h), cheapest first:");
            output.WriteLine();
            var table = withPacks
                ? new TextTable("service", "total", "vs cheapest", "free h", "pack h", "tiers reached")
                : new TextTable("service", "total", "vs cheapest", "tiers reached");
            var cheapest = forecasts[0].Total;
            foreach (var forecast in forecasts)
            {
                var tiers = string.Join(", ", forecast.Bill.Charges.GroupBy(c => c.Charge.Tier.Number).OrderBy(g => g.Key).Select(g => $"{g.Key} ({TextValues.Count(g.Count(), "window")})"));
                var difference = forecast.Total.Currency == cheapest.Currency ? "+" + (forecast.Total - cheapest) : "-";
                string[] covered = withPacks
                    ? [TextValues.Hours(forecast.Bill.Charges.Sum(c => c.AllowanceSeconds) / 3600m), TextValues.Hours(forecast.Bill.Charges.Sum(c => c.PackSeconds) / 3600m)]
                    : [];
                table.AddRow([forecast.Service.Id, forecast.Total.ToString(), difference, .. covered, tiers]);
            }

            table.WriteTo(output, rightAligned: withPacks ? [1, 2, 3, 4] : [1, 2]);
            return CliApp.Success;
        });
        return command;
    }
}
