using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
using NodaTime;
using NodaTime.Text;

namespace AsrBilling.Cli.Commands;

/// <summary>Arguments and options that several commands share, with parsers that give clear errors.</summary>
internal static class CommonOptions
{
    public static Argument<string> ServiceArgument(string description) => new("service") { Description = description };

    public static Option<bool> Json(string description) => new("--json") { Description = description };

    public static Option<string?> Prices() => new("--prices")
    {
        Description = $"A price book: a built-in one by name ({string.Join(" or ", PriceBook.BuiltInNames)}) or a file in the JSON price-book format. Default: {PriceBook.BuiltInNames[0]}.",
        HelpName = "NAME|FILE",
    };

    /// <summary><c>--zone ID</c>: an IANA zone, or a parse error naming the option.</summary>
    public static Option<DateTimeZone?> Zone() => new("--zone")
    {
        Description = "The IANA zone whose dates are billing days. Default: Asia/Shanghai.",
        CustomParser = r =>
        {
            var id = r.Tokens.Single().Value;
            var found = DateTimeZoneProviders.Tzdb.GetZoneOrNull(id);
            if (found is null)
            {
                r.AddError($"--zone: unknown time zone '{id}'; give an IANA id such as Asia/Shanghai or America/New_York.");
            }

            return found;
        },
    };

    /// <summary>
    /// The price book of <c>--prices</c>: a built-in book by name, else a file; the default book when
    /// the option is absent. A built-in name wins over a file of that name (<c>./NAME</c> reads the file).
    /// </summary>
    public static PriceBook LoadPrices(string? nameOrPath)
    {
        if (nameOrPath is null)
        {
            return PriceBook.TencentCloudInternational;
        }

        if (PriceBook.TryGetBuiltIn(nameOrPath, out var builtIn))
        {
            return builtIn;
        }

        if (!File.Exists(nameOrPath) && !Directory.Exists(nameOrPath))
        {
            throw new CliInputException($"--prices: '{nameOrPath}' is neither a built-in price book ({string.Join(", ", PriceBook.BuiltInNames)}) nor a file.");
        }

        return LoadJsonFile("--prices", nameOrPath, PriceBookJson.Load);
    }

    public static Option<string?> Packs() => new("--packs")
    {
        Description = "A file of prepaid resource packs (asr-billing-packs JSON): after each month's free hours, the packs valid on a date cover its usage before pay-as-you-go.",
        HelpName = "FILE",
    };

    /// <summary>
    /// The options with the packs of <c>--packs FILE</c>, read against their price book; the options as
    /// they are when the option is absent. A bad file, or a pack priced in another currency than the book, is bad input.
    /// </summary>
    public static BillingOptions WithPacks(BillingOptions options, string? path)
    {
        if (path is null)
        {
            return options;
        }

        if (!File.Exists(path))
        {
            throw new CliInputException($"--packs: '{path}' is not a file.");
        }

        var packs = LoadJsonFile("--packs", path, stream => ResourcePackJson.Load(stream, options.PriceBook));
        try
        {
            return options.WithPacks(packs);
        }
        catch (ArgumentException e)
        {
            throw new CliInputException($"--packs {path}: {e.Message.Split(" (Parameter", 2)[0]}");
        }
    }

    /// <summary>Reads a JSON file of the library; a format error is reported with the option and the file, then the library's JSON path.</summary>
    private static T LoadJsonFile<T>(string option, string path, Func<Stream, T> load)
    {
        try
        {
            using var stream = File.OpenRead(path);
            return load(stream);
        }
        catch (Exception e) when (e is PriceBookFormatException or ResourcePackFormatException)
        {
            throw new CliInputException($"{option} {path}: {e.Message}");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            throw new CliInputException($"{option}: cannot read '{path}': {e.Message}");
        }
    }

    /// <summary>A service of the book by id (ASCII case ignored), or an error listing the book's services.</summary>
    public static AsrService ResolveService(PriceBook book, string id) =>
        book.Services.FirstOrDefault(s => s.Id.Equals(id.Trim(), StringComparison.OrdinalIgnoreCase))
        ?? throw new CliInputException($"unknown service id '{id}'; valid ids: {string.Join(", ", book.Services.Select(s => s.Id))}.");

    /// <summary>
    /// Refuses any value but <paramref name="values"/> as a parse error of one line that names the
    /// option (System.CommandLine's own check lists the values on lines of their own).
    /// </summary>
    public static TOption OneOf<TOption>(this TOption option, params string[] values)
        where TOption : Option
    {
        option.HelpName = string.Join("|", values);
        option.Validators.Add(result =>
        {
            if (result.Tokens.Count > 0 && !values.Contains(result.Tokens[^1].Value, StringComparer.Ordinal))
            {
                result.AddError($"{option.Name}: '{result.Tokens[^1].Value}' is not one of {string.Join(", ", values)}.");
            }
        });
        return option;
    }

    /// <summary>Whether the user typed the option, as opposed to its default applying.</summary>
    public static bool IsGiven(this SymbolResult result, Option option) => result.GetResult(option) is { Implicit: false };

    /// <summary>Whether the user typed the option, as opposed to its default applying.</summary>
    public static bool IsGiven(this ParseResult result, Option option) => result.GetResult(option) is { Implicit: false };

    /// <summary>A parse error naming two options that cannot both apply, when both were typed.</summary>
    public static void RefuseTogether(CommandResult result, Option first, Option second, string reason)
    {
        if (result.IsGiven(first) && result.IsGiven(second))
        {
            result.AddError($"{first.Name} and {second.Name} cannot be used together: {reason}.");
        }
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

    /// <summary>A number of hours ≥ 0 (or &gt; 0 when <paramref name="positive"/>), or a parse error naming <paramref name="name"/>.</summary>
    public static decimal ParseHours(ArgumentResult result, string name, bool positive = false)
    {
        var hours = ParseDecimal(result, name);
        if (hours < 0m || (positive && hours == 0m))
        {
            result.AddError($"{name}: '{result.Tokens.Single().Value}' is not a number of hours {(positive ? "above 0" : "≥ 0")}.");
        }

        return hours;
    }

    /// <summary>Comma-separated hours, each ≥ 0, or a parse error naming <paramref name="name"/> and the entry.</summary>
    public static decimal[] ParseHoursList(ArgumentResult result, string name)
    {
        var texts = result.Tokens.Single().Value.Split(',');
        var hours = new decimal[texts.Length];
        for (var i = 0; i < texts.Length; i++)
        {
            if (!decimal.TryParse(texts[i].Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out hours[i]) || hours[i] < 0m)
            {
                result.AddError(string.Create(CultureInfo.InvariantCulture, $"{name}: entry {i + 1}, '{texts[i]}', is not a number of hours ≥ 0."));
                break;
            }
        }

        return hours;
    }

    /// <summary>A whole number from <paramref name="minimum"/> to <paramref name="maximum"/>, or a parse error naming <paramref name="name"/>.</summary>
    public static long ParseCount(ArgumentResult result, string name, long minimum, long maximum = long.MaxValue)
    {
        var token = result.Tokens.Single().Value;
        if (long.TryParse(token, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value) && value >= minimum && value <= maximum)
        {
            return value;
        }

        result.AddError(string.Create(
            CultureInfo.InvariantCulture,
            $"{name}: '{token}' is {(value > maximum ? $"more than {maximum}" : $"not a whole number ≥ {minimum}")}."));
        return minimum;
    }

    /// <summary><see cref="ParseCount"/> for an <see cref="int"/>.</summary>
    public static int ParseInt(ArgumentResult result, string name, int minimum) => (int)ParseCount(result, name, minimum, int.MaxValue);

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

    public static YearMonth? ParseMonth(ArgumentResult result, string name)
    {
        var token = result.Tokens.Single().Value;
        var parsed = YearMonthPattern.Iso.Parse(token);
        if (parsed.Success)
        {
            return parsed.Value;
        }

        result.AddError($"{name}: '{token}' is not a month in the form YYYY-MM.");
        return null;
    }
}
