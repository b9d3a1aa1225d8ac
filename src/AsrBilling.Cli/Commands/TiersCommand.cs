using System.CommandLine;
using System.Globalization;
using AsrBilling.Cli.Output;

namespace AsrBilling.Cli.Commands;

/// <summary><c>asr-billing tiers [&lt;service&gt;] [--json]</c>: the price list.</summary>
internal static class TiersCommand
{
    public static Command Create()
    {
        var service = CommonOptions.ServiceArgument("Show only this service.");
        service.Arity = ArgumentArity.ZeroOrOne;
        var json = CommonOptions.Json("Print the price book as JSON.");

        var command = new Command("tiers", "Print the price list: each service's tiers of hours per day and unit prices.") { service, json };
        command.SetAction(parsed =>
        {
            var book = PriceBook.TencentCloudInternational;
            var only = parsed.GetValue(service);
            var tables = book.Tables.Where(t => only is null || t.Service == only).ToList();
            var output = parsed.InvocationConfiguration.Output;
            if (parsed.GetValue(json))
            {
                JsonOutput.Write(output, w => JsonOutput.WriteBook(w, book, tables));
                return CliApp.Success;
            }

            var currency = tables.Select(t => t.Currency).Distinct().Count() == 1 ? tables[0].Currency : "price";
            output.WriteLine($"{book.Name}: {currency} per hour; tiers count billable hours per day, and all of a day's hours are billed at the tier reached.");
            output.WriteLine();
            var table = new TextTable("service", "tier", "hours per day", $"{currency}/h", "prices of");
            foreach (var t in tables.OrderBy(t => book.Services.IndexOf(t.Service)).ThenBy(t => t.EffectiveFrom))
            {
                foreach (var tier in t.Tiers)
                {
                    table.AddRow(
                        tier.Number == 1 ? t.Service.Id : string.Empty,
                        tier.Number.ToString(CultureInfo.InvariantCulture),
                        tier.DescribeRange(),
                        tier.UnitPrice.ToAmountString(),
                        tier.Number == 1 ? t.EffectiveFrom.ToString("uuuu-MM-dd", CultureInfo.InvariantCulture) : string.Empty);
                }
            }

            table.WriteTo(output, rightAligned: [1, 3]);
            return CliApp.Success;
        });
        return command;
    }
}
