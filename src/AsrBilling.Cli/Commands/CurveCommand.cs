using System.CommandLine;
using AsrBilling.Cli.Output;

namespace AsrBilling.Cli.Commands;

/// <summary><c>asr-billing curve &lt;service&gt;... [--to HOURS] [--output FILE.svg] [--prices NAME|FILE]</c>: the fee curve as SVG.</summary>
internal static class CurveCommand
{
    public static Command Create()
    {
        var services = new Argument<string[]>("service") { Description = "One or more service ids to draw.", Arity = ArgumentArity.OneOrMore };
        var to = new Option<decimal>("--to")
        {
            Description = "The last hour drawn.",
            DefaultValueFactory = _ => 6000m,
            CustomParser = r => CommonOptions.ParseHours(r, "--to", positive: true),
        };
        var output = new Option<string?>("--output") { Description = "The SVG file to write. Default: standard output." };
        var prices = CommonOptions.Prices();
        var command = new Command("curve", "Draw the fee of a day against its hours, with the tier cliffs, as an SVG picture.") { services, to, output, prices };
        command.SetAction(parsed =>
        {
            var book = CommonOptions.LoadPrices(parsed.GetValue(prices));
            var tables = parsed.GetRequiredValue(services).Select(id => book.GetLatestTable(CommonOptions.ResolveService(book, id))).ToList();
            var toHours = parsed.GetValue(to);
            if (tables.Select(t => t.Currency).Distinct().Count() > 1)
            {
                throw new CliInputException("the services are priced in different currencies: draw them one currency at a time.");
            }

            var svg = CostCurve.Svg(CostCurve.Model(tables, toHours));
            if (parsed.GetValue(output) is { } path)
            {
                try
                {
                    File.WriteAllText(path, svg);
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    throw new CliInputException($"--output: cannot write '{path}': {e.Message}");
                }
            }
            else
            {
                parsed.InvocationConfiguration.Output.Write(svg);
            }

            return CliApp.Success;
        });
        return command;
    }
}
