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
        var json = CommonOptions.Json("Print the price book in the JSON price-book format (the format --prices reads).");
        var prices = CommonOptions.Prices();

        var command = new Command("tiers", "Print the price list: each service's tiers and unit prices.") { service, json, prices };
        command.SetAction(parsed =>
        {
            var book = CommonOptions.LoadPrices(parsed.GetValue(prices));
            var only = parsed.GetValue(service) is { } id ? CommonOptions.ResolveService(book, id) : null;
            var tables = book.Tables.Where(t => only is null || t.Service == only).ToList();
            var output = parsed.InvocationConfiguration.Output;
            if (parsed.GetValue(json))
            {
                output.Write(PriceBookJson.Save(only is null ? book : new PriceBook(book.Name, tables)));
                return CliApp.Success;
            }

            var currency = tables.Select(t => t.Currency).Distinct().Count() == 1 ? tables[0].Currency : "price";
            output.WriteLine($"{book.Name}: {currency} per hour of recognised audio.");
            output.WriteLine();
            var table = new TextTable("service", "tier", "hours per window", $"{currency}/h", "prices of", "rules");
            foreach (var t in tables.OrderBy(t => book.Services.IndexOf(t.Service)).ThenBy(t => t.EffectiveFrom))
            {
                foreach (var tier in t.Tiers)
                {
                    table.AddRow(
                        tier.Number == 1 ? t.Service.Id : string.Empty,
                        tier.Number.ToString(CultureInfo.InvariantCulture),
                        tier.DescribeRange(t.Rules.ThresholdRule),
                        tier.UnitPrice.ToAmountString(),
                        tier.Number == 1 ? IsoDate.Format(t.EffectiveFrom) : string.Empty,
                        tier.Number == 1 ? t.Rules.ToString() : string.Empty);
                }
            }

            table.WriteTo(output, rightAligned: [1, 3]);
            return CliApp.Success;
        });
        return command;
    }
}
