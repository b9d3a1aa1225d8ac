using System.CommandLine;
using System.Globalization;
using AsrBilling.Cli.Output;

namespace AsrBilling.Cli.Commands;

/// <summary><c>asr-billing cliffs &lt;service&gt; [--json] [--prices FILE]</c>: where using more costs less.</summary>
internal static class CliffsCommand
{
    public static Command Create()
    {
        var service = CommonOptions.ServiceArgument("The service id, for example real-time.");
        var json = CommonOptions.Json("Print a JSON array instead of the table.");
        var prices = CommonOptions.Prices();
        var command = new Command("cliffs", "Show the usage ranges just below each tier threshold where reaching the threshold would cost less.")
        {
            service, json, prices,
        };
        command.SetAction(parsed =>
        {
            var book = CommonOptions.LoadPrices(parsed.GetValue(prices));
            var table = book.GetLatestTable(CommonOptions.ResolveService(book, parsed.GetRequiredValue(service)));
            var cliffs = TierCliffs.Of(table);
            var output = parsed.InvocationConfiguration.Output;
            if (parsed.GetValue(json))
            {
                JsonOutput.Write(output, w =>
                {
                    w.WriteStartArray();
                    foreach (var cliff in cliffs)
                    {
                        w.WriteStartObject();
                        w.WriteString("service", table.Service.Id);
                        w.WriteNumber("fromTier", cliff.Below.Number);
                        w.WriteNumber("toTier", cliff.Above.Number);
                        w.WriteNumber("breakEvenHours", cliff.BreakEvenHours);
                        w.WriteNumber("thresholdHours", cliff.ThresholdHours);
                        w.WriteNumber("feeAtThreshold", cliff.FeeAtThreshold.Amount);
                        w.WriteString("currency", table.Currency);
                        w.WriteEndObject();
                    }

                    w.WriteEndArray();
                });
                return CliApp.Success;
            }

            var window = table.Rules.Window == TierWindow.Day ? "day" : "month";
            if (cliffs.IsEmpty)
            {
                output.WriteLine($"{table.Service.Id} has no tier cliffs: {(table.Rules.Mode == TierMode.Graduated ? "graduated prices never make more usage cheaper" : "no tier lowers the price")}.");
                return CliApp.Success;
            }

            output.WriteLine($"{table.Service.Id} (prices of {JsonOutput.Iso(table.EffectiveFrom)}): a {window} with a total in a range below costs more than the threshold itself.");
            output.WriteLine();
            var text = new TextTable("tiers", "from h", "to h", $"{table.Currency} at threshold");
            foreach (var cliff in cliffs)
            {
                text.AddRow(
                    $"{cliff.Below.Number} → {cliff.Above.Number}",
                    Math.Round(cliff.BreakEvenHours, 3, MidpointRounding.AwayFromZero).ToString("0.000", CultureInfo.InvariantCulture),
                    TextValues.Hours(cliff.ThresholdHours),
                    cliff.FeeAtThreshold.ToAmountString());
            }

            text.WriteTo(output, rightAligned: [1, 2, 3]);
            return CliApp.Success;
        });
        return command;
    }
}
