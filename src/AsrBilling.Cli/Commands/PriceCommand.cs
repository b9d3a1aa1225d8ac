using System.CommandLine;
using AsrBilling.Cli.Output;

namespace AsrBilling.Cli.Commands;

/// <summary><c>asr-billing price &lt;service&gt; &lt;hours&gt; [--date YYYY-MM-DD] [--json]</c>: one day's charge, explained.</summary>
internal static class PriceCommand
{
    public static Command Create()
    {
        var service = CommonOptions.ServiceArgument("The service id, for example real-time.");
        var hours = new Argument<decimal>("hours")
        {
            Description = "The day's total billable hours, for example 315 or 12.5.",
            CustomParser = r => CommonOptions.ParseHours(r, "hours"),
        };
        var date = new Option<NodaTime.LocalDate?>("--date")
        {
            Description = "The billing date (YYYY-MM-DD); it chooses the price version. Default: the latest prices.",
            CustomParser = r => CommonOptions.ParseDate(r, "--date"),
        };
        var json = CommonOptions.Json("Print one JSON object instead of the explanation.");
        var prices = CommonOptions.Prices();

        var command = new Command("price", "Price one tier window's usage of a service and explain the charge.") { service, hours, date, json, prices };
        command.SetAction(parsed =>
        {
            var book = CommonOptions.LoadPrices(parsed.GetValue(prices));
            var s = CommonOptions.ResolveService(book, parsed.GetRequiredValue(service));
            var h = parsed.GetValue(hours);
            var d = parsed.GetValue(date);
            var charge = d is { } day
                ? PriceCalculator.Compute(book, s, h, day)
                : PriceCalculator.Compute(book.GetLatestTable(s), h);
            var output = parsed.InvocationConfiguration.Output;
            TierCliff? cliff = TierCliffs.TryFind(charge.Table, h, out var found) ? found : null;
            if (parsed.GetValue(json))
            {
                JsonOutput.Write(output, w => JsonOutput.WriteCharge(w, charge, h, d, cliff));
            }
            else
            {
                output.WriteLine(charge.ToString());
                if (cliff is { } c)
                {
                    var saving = charge.Fee - c.FeeAtCheaperPoint;
                    output.WriteLine(
                        $"Note: at {c.DescribeCheaperPoint()} this {(charge.Table.Rules.Window == TierWindow.Day ? "day" : "month")} would cost {c.FeeAtCheaperPoint}, {saving} less.");
                }
            }

            return CliApp.Success;
        });
        return command;
    }
}
