using System.CommandLine;
using System.Globalization;
using AsrBilling.Cli.Output;

namespace AsrBilling.Cli.Commands;

/// <summary><c>asr-billing cliffs &lt;service&gt; [--json] [--prices NAME|FILE]</c>: where using more costs less.</summary>
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
                        JsonOutput.WriteCliff(w, cliff);
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

            // Under up-to-inclusive a threshold is the dearest total of its tier: the range ends at it, and the cheaper point is past it.
            var inclusive = table.Rules.ThresholdRule == ThresholdRule.UpToInclusive;
            var cheaper = inclusive ? "the first billable total past the threshold" : "the threshold itself";
            output.WriteLine($"{table.Service.Id} (prices of {JsonOutput.Iso(table.EffectiveFrom)}): a {window} with a total in a range below costs more than {cheaper}.");
            output.WriteLine();
            var text = inclusive
                ? new TextTable("tiers", "above h", "up to h", "cheaper point", $"{table.Currency} there")
                : new TextTable("tiers", "from h", "to h", $"{table.Currency} at threshold");
            foreach (var cliff in cliffs)
            {
                var row = new List<string>
                {
                    $"{cliff.Below.Number} → {cliff.Above.Number}",
                    Math.Round(cliff.BreakEvenHours, 3, MidpointRounding.AwayFromZero).ToString("0.000", CultureInfo.InvariantCulture),
                    TextValues.Hours(cliff.ThresholdHours),
                };
                if (inclusive)
                {
                    row.Add(cliff.DescribeCheaperPoint());
                }

                row.Add(cliff.FeeAtCheaperPoint.ToAmountString());
                text.AddRow([.. row]);
            }

            text.WriteTo(output, rightAligned: inclusive ? [1, 2, 3, 4] : [1, 2, 3]);
            return CliApp.Success;
        });
        return command;
    }
}
