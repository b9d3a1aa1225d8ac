using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
using NodaTime;

namespace AsrBilling.Cli.Commands;

/// <summary>Arguments and options that several commands share, with parsers that give clear errors.</summary>
internal static class CommonOptions
{
    public static Argument<string> ServiceArgument(string description) => new("service") { Description = description };

    public static Option<bool> Json(string description) => new("--json") { Description = description };

    public static Option<string?> Prices() => new("--prices")
    {
        Description = "A price book in the JSON price-book format. Default: the built-in Tencent Cloud international list.",
    };

    /// <summary>The price book of <c>--prices FILE</c>, or the built-in one.</summary>
    public static PriceBook LoadPrices(string? path)
    {
        if (path is null)
        {
            return PriceBook.TencentCloudInternational;
        }

        try
        {
            using var stream = File.OpenRead(path);
            return PriceBookJson.Load(stream);
        }
        catch (PriceBookFormatException e)
        {
            throw new CliInputException($"--prices {path}: {e.Message}");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            throw new CliInputException($"--prices: cannot read '{path}': {e.Message}");
        }
    }

    /// <summary>A service of the book by id (ASCII case ignored), or an error listing the book's services.</summary>
    public static AsrService ResolveService(PriceBook book, string id) =>
        book.Services.FirstOrDefault(s => s.Id.Equals(id.Trim(), StringComparison.OrdinalIgnoreCase))
        ?? throw new CliInputException($"unknown service id '{id}'; valid ids: {string.Join(", ", book.Services.Select(s => s.Id))}.");

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
        var parsed = IsoDate.Parse(token);
        if (parsed.Success)
        {
            return parsed.Value;
        }

        result.AddError($"{name}: '{token}' is not a date in the form YYYY-MM-DD.");
        return null;
    }
}
