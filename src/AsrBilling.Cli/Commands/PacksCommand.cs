using System.CommandLine;
using System.Text.Json;
using AsrBilling.Cli.Output;

namespace AsrBilling.Cli.Commands;

/// <summary>
/// <c>asr-billing packs advise &lt;service&gt;... (profile options as forecast takes them, or --hours-per-day H --year YYYY)
/// --offers NAME|FILE [--prices NAME|FILE] [--format text|json]</c>: which resource packs to buy.
/// </summary>
internal static class PacksCommand
{
    public static Command Create() => new("packs", "Resource packs: which to buy for a usage profile.") { Advise() };

    private static Command Advise()
    {
        var services = new Argument<string[]>("service") { Description = "One or more service ids, each advised on its own.", Arity = ArgumentArity.OneOrMore };
        var profileOptions = new ProfileOptions(year: true);
        var offers = new Option<string>("--offers")
        {
            Description = $"The packs on sale: a built-in list by name ({string.Join(", ", PackOfferList.BuiltInNames)}) or a file in the JSON pack-offer format.",
            HelpName = "NAME|FILE",
            Required = true,
        };
        var prices = CommonOptions.Prices();
        var format = new Option<string>("--format") { Description = "Text for people or JSON.", DefaultValueFactory = _ => "text" }.OneOf("text", "json");
        var command = new Command(
            "advise",
            "Advise which packs, if any, make the usage cheapest against pay-as-you-go, bought on its first day; and each offer's break-even usage.")
        {
            services,
        };
        profileOptions.AddTo(command);
        command.Options.Add(offers);
        command.Options.Add(prices);
        command.Options.Add(format);
        command.SetAction(parsed =>
        {
            var book = CommonOptions.LoadPrices(parsed.GetValue(prices));
            var list = LoadOffers(parsed.GetRequiredValue(offers), book);
            var profile = profileOptions.Read(parsed);
            var options = new BillingOptions(priceBook: book);
            var advice = parsed.GetRequiredValue(services).Select(id => CommonOptions.ResolveService(book, id)).Distinct()
                .Select(service => PackAdvisor.Advise(profile, service, list, options)).ToList();
            var output = parsed.InvocationConfiguration.Output;
            if (parsed.GetValue(format) == "json")
            {
                JsonOutput.Write(output, w => WriteJson(w, list, profile, advice));
            }
            else
            {
                WriteText(output, list, profile, advice);
            }

            return CliApp.Success;
        });
        return command;
    }

    /// <summary>
    /// The offers of <c>--offers</c>: a built-in list by name, else a file read against the book. A built-in name wins
    /// over a file of that name (<c>./NAME</c> reads the file).
    /// </summary>
    private static PackOfferList LoadOffers(string nameOrPath, PriceBook book)
    {
        if (PackOfferList.TryGetBuiltIn(nameOrPath, out var builtIn))
        {
            return builtIn;
        }

        if (!File.Exists(nameOrPath))
        {
            throw new CliInputException($"--offers: '{nameOrPath}' is neither a built-in offer list ({string.Join(", ", PackOfferList.BuiltInNames)}) nor a file.");
        }

        try
        {
            using var stream = File.OpenRead(nameOrPath);
            return PackOfferJson.Load(stream, book);
        }
        catch (PackOfferFormatException e)
        {
            throw new CliInputException($"--offers {nameOrPath}: {e.Message}");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or NotSupportedException)
        {
            throw new CliInputException($"--offers: cannot read '{nameOrPath}': {e.Message}");
        }
    }

    private static void WriteText(TextWriter output, PackOfferList list, UsageProfile profile, List<PackAdvice> advice)
    {
        var (first, last) = (JsonOutput.Iso(profile.Days[0].Date), JsonOutput.Iso(profile.Days[^1].Date));
        output.WriteLine($"Usage {first} to {last} ({TextValues.Count(profile.Days.Length, "day")}, {TextValues.Hours(profile.Days.Sum(d => d.Hours))} h) of each service; packs bought on {first}.");
        output.WriteLine($"Offers: {list.Name}.");
        foreach (var a in advice)
        {
            var currency = a.PayAsYouGo.Currency;
            output.WriteLine();
            output.WriteLine($"{a.Service.Id}: {TextValues.Hours(a.CoverableHours)} h past the free hours, at {Amount(a.PricePerHour.Amount)} {currency}/h on average.");
            if (a.Offers.IsEmpty)
            {
                output.WriteLine($"  No offer is for {a.Service.Id}: pay as you go, {a.PayAsYouGo}.");
                continue;
            }

            output.WriteLine(a.BuysPacks
                ? $"  Buy {string.Join(", ", a.Purchases)}, usable to {JsonOutput.Iso(a.LastValidDate!.Value)}."
                : "  Buy no pack: none makes the usage cheaper.");
            var totals = new TextTable(string.Empty, currency);
            totals.AddRow("pay as you go", a.PayAsYouGo.ToAmountString());
            totals.AddRow("packs", a.PackCost.ToAmountString());
            totals.AddRow("left to pay as you go", a.RemainingPayAsYouGo.ToAmountString());
            totals.AddRow("with packs", a.WithPacks.ToAmountString());
            totals.AddRow("saving", a.Saving.ToAmountString());
            output.WriteLine();
            totals.WriteTo(output, rightAligned: [1]);
            output.WriteLine();
            var offers = new TextTable("offer", "hours", currency, "break-even h", $"one pack saves {currency}");
            foreach (var b in a.BreakEvens)
            {
                offers.AddRow(
                    b.Offer.Name,
                    TextValues.Hours(b.Offer.Hours),
                    b.Offer.Price.ToAmountString(),
                    (b.BreakEvenHours, b.PaysOff) switch
                    {
                        ({ } hours, true) => TextValues.Hours(hours),
                        ({ } hours, false) => $"never ({TextValues.Hours(hours)})",
                        _ => "never",
                    },
                    b.SavingWithOne.ToAmountString());
            }

            offers.WriteTo(output, rightAligned: [1, 2, 3, 4]);
        }

        output.WriteLine();
        output.WriteLine("Break-even h: the hours past the free hours, within a pack's validity, at which one pack costs what they");
        output.WriteLine("would as you go at the average price; never when that is more than the pack holds.");
    }

    private static void WriteJson(Utf8JsonWriter w, PackOfferList list, UsageProfile profile, List<PackAdvice> advice)
    {
        w.WriteStartObject();
        w.WriteString("offers", list.Name);
        w.WriteString("from", JsonOutput.Iso(profile.Days[0].Date));
        w.WriteString("to", JsonOutput.Iso(profile.Days[^1].Date));
        w.WriteStartArray("services");
        foreach (var a in advice)
        {
            w.WriteStartObject();
            w.WriteString("service", a.Service.Id);
            w.WriteString("currency", a.PayAsYouGo.Currency);
            w.WriteString("purchaseDate", JsonOutput.Iso(a.PurchaseDate));
            w.WriteString("lastValidDate", a.LastValidDate is { } lastValid ? JsonOutput.Iso(lastValid) : null);
            w.WriteNumber("coverableSeconds", a.CoverableSeconds);
            w.WriteNumber("coveredSeconds", a.CoveredSeconds);
            w.WriteNumber("pricePerHour", a.PricePerHour.Amount);
            w.WriteNumber("payAsYouGo", a.PayAsYouGo.Amount);
            w.WriteNumber("packCost", a.PackCost.Amount);
            w.WriteNumber("remainingPayAsYouGo", a.RemainingPayAsYouGo.Amount);
            w.WriteNumber("withPacks", a.WithPacks.Amount);
            w.WriteNumber("saving", a.Saving.Amount);
            w.WriteStartArray("buy");
            foreach (var p in a.Purchases)
            {
                w.WriteStartObject();
                w.WriteString("offer", p.Offer.Name);
                w.WriteNumber("count", p.Count);
                w.WriteNumber("hours", p.Hours);
                w.WriteNumber("cost", p.Cost.Amount);
                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteStartArray("breakEvens");
            foreach (var b in a.BreakEvens)
            {
                w.WriteStartObject();
                w.WriteString("offer", b.Offer.Name);
                w.WriteNumber("hours", b.Offer.Hours);
                w.WriteNumber("price", b.Offer.Price.Amount);
                w.WriteString("validity", b.Offer.DescribeValidity());
                if (b.BreakEvenHours is { } hours)
                {
                    w.WriteNumber("breakEvenHours", hours);
                }
                else
                {
                    w.WriteNull("breakEvenHours");
                }

                w.WriteBoolean("paysOff", b.PaysOff);
                w.WriteNumber("costWithOne", b.CostWithOne.Amount);
                w.WriteNumber("savingWithOne", b.SavingWithOne.Amount);
                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteEndObject();
        }

        w.WriteEndArray();
        w.WriteEndObject();
    }

    /// <summary>A price per hour to 2 decimals, half away from zero, with <c>≈</c> when rounding changed it.</summary>
    private static string Amount(decimal amount)
    {
        var rounded = Math.Round(amount, 2, MidpointRounding.AwayFromZero);
        return (rounded == amount ? string.Empty : "≈") + rounded.ToString("0.00", System.Globalization.CultureInfo.InvariantCulture);
    }
}
