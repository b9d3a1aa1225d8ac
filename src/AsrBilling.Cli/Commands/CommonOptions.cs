using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
using NodaTime;
using NodaTime.Text;

namespace AsrBilling.Cli.Commands;

/// <summary>Arguments and options that several commands share, with parsers that give clear errors.</summary>
internal static class CommonOptions
{
    public static Argument<AsrService> ServiceArgument(string description) => new("service")
    {
        Description = description,
        CustomParser = ParseService,
    };

    public static Option<bool> Json(string description) => new("--json") { Description = description };

    public static AsrService ParseService(ArgumentResult result)
    {
        var token = result.Tokens.Single().Value;
        if (AsrService.TryParse(token, out var service))
        {
            return service;
        }

        result.AddError($"Unknown service id '{token}'. Valid ids: {string.Join(", ", AsrService.All.Select(s => s.Id))}.");
        return null!;
    }

    public static decimal ParseDecimal(ArgumentResult result, string name)
    {
        var token = result.Tokens.Single().Value;
        if (decimal.TryParse(token, NumberStyles.Float, CultureInfo.InvariantCulture, out var value))
        {
            return value;
        }

        result.AddError($"{name}: '{token}' is not a decimal number such as 315 or 12.5.");
        return 0m;
    }

    public static LocalDate? ParseDate(ArgumentResult result, string name)
    {
        var token = result.Tokens.Single().Value;
        var parsed = LocalDatePattern.Iso.Parse(token);
        if (parsed.Success)
        {
            return parsed.Value;
        }

        result.AddError($"{name}: '{token}' is not a date in the form YYYY-MM-DD.");
        return null;
    }
}
