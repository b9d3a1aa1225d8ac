using System.Text.Json;
using NodaTime;
using NodaTime.Text;

namespace AsrBilling;

/// <summary>
/// Reads and writes a <see cref="PackOfferList"/> as versioned JSON: the resource packs on sale, for
/// <see cref="PackAdvisor"/>.
/// </summary>
/// <remarks>
/// <para>The format, version 1 (UTF-8 JSON, RFC 8259: no comments, no trailing commas):</para>
/// <code>
/// {
///   "format": "asr-billing-pack-offers", // required, exactly this
///   "version": 1,                        // required, exactly 1
///   "name": "China site packs",          // optional: the list's name; "pack offers" without it
///   "source": "…",                       // optional: where the offers come from
///   "offers": [                          // required; may be empty; kept in this order
///     {
///       "name": "rt-1000",               // optional, unique in the file (case-sensitive); "{service} {hours} h" without it
///       "service": "real-time",          // required: a service of the price book (ASCII case ignored)
///       "hours": 1000,                   // required: more than 0, a whole number of seconds
///       "price": 1800,                   // required number ≥ 0: what one pack costs
///       "currency": "CNY",               // required: the currency the price book prices the service in
///       "validity": "P1Y"                // optional ISO-8601 period of days, weeks, months or years; P1Y without it
///     }
///   ]
/// }
/// </code>
/// <para>
/// The file follows the price book's and the pack file's rules (<see cref="ResourcePackJson"/>): numbers are
/// read as <see cref="decimal"/> straight from the text and may be strings holding a number; property names
/// are case-sensitive; an unknown or repeated property, or <c>null</c> for a required field, is an error;
/// <c>null</c> for an optional field means it is absent. Every error is a <see cref="PackOfferFormatException"/>
/// whose message starts with the JSON path. <see cref="Save"/> writes every field, and loading what it wrote
/// with the same book gives an equal list.
/// </para>
/// </remarks>
public static class PackOfferJson
{
    private const string DefaultName = "pack offers";

    private static readonly JsonFileFormat Format = new(
        "asr-billing-pack-offers", 1, "pack-offer file", static (path, problem, inner) => new PackOfferFormatException(path, problem, inner));

    /// <summary>Reads a pack-offer file from JSON text.</summary>
    /// <param name="json">The JSON text, in the format described on <see cref="PackOfferJson"/>.</param>
    /// <param name="book">The price book whose services the offers name and whose currencies they use, such as <see cref="PriceBook.TencentCloudChina"/>.</param>
    /// <returns>The offers, in file order.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="json"/> or <paramref name="book"/> is null.</exception>
    /// <exception cref="PackOfferFormatException">The text breaks the format or an offer rule; the message starts with the JSON path.</exception>
    public static PackOfferList Load(string json, PriceBook book)
    {
        ArgumentNullException.ThrowIfNull(json);
        ArgumentNullException.ThrowIfNull(book);
        return ToList(Format.Read(json, PackOfferJsonReader.File), book);
    }

    /// <summary>Reads a pack-offer file from a stream of UTF-8 JSON, to its end.</summary>
    /// <param name="utf8Json">The stream; it is read to the end and not closed.</param>
    /// <param name="book">The price book whose services the offers name and whose currencies they use.</param>
    /// <returns>The offers, in file order.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="utf8Json"/> or <paramref name="book"/> is null.</exception>
    /// <exception cref="PackOfferFormatException">The text breaks the format or an offer rule; the message starts with the JSON path.</exception>
    /// <exception cref="IOException">Reading the stream failed; this is not about the content, so it is not wrapped.</exception>
    /// <exception cref="NotSupportedException">The stream cannot be read.</exception>
    public static PackOfferList Load(Stream utf8Json, PriceBook book)
    {
        ArgumentNullException.ThrowIfNull(utf8Json);
        ArgumentNullException.ThrowIfNull(book);
        return ToList(Format.Read(utf8Json, PackOfferJsonReader.File), book);
    }

    /// <summary>Writes offers as JSON text.</summary>
    /// <param name="offers">The offers.</param>
    /// <returns>Indented JSON with every field, offers in list order, ending in a line feed.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="offers"/> is null.</exception>
    public static string Save(PackOfferList offers)
    {
        ArgumentNullException.ThrowIfNull(offers);
        return Format.Write(offers, WriteBody);
    }

    private static PackOfferList ToList(PackOfferFileDocument document, PriceBook book)
    {
        var offers = document.Offers ?? throw new PackOfferFormatException("$.offers", "missing; a pack-offer file lists its offers, [] for none");
        var built = new PackOffer[offers.Count];
        var firstIndexOfName = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < offers.Count; i++)
        {
            var path = $"$.offers[{i}]";
            built[i] = ToOffer(offers[i] ?? throw new PackOfferFormatException(path, "null; expected an offer object"), path, book);
            if (!firstIndexOfName.TryAdd(built[i].Name, i))
            {
                throw new PackOfferFormatException(
                    $"{path}.name",
                    $"'{built[i].Name}' is also the name of $.offers[{firstIndexOfName[built[i].Name]}]; offer names are unique (case-sensitive)");
            }
        }

        return new PackOfferList(document.Name ?? DefaultName, built, document.Source);
    }

    private static PackOffer ToOffer(PackOfferDocument offer, string path, PriceBook book)
    {
        var serviceId = offer.Service ?? throw new PackOfferFormatException($"{path}.service", "missing; give the service id, such as real-time");
        if (!book.TryGetService(serviceId, out var service))
        {
            throw new PackOfferFormatException(
                $"{path}.service",
                $"unknown service '{serviceId}'; the price book '{book.Name}' prices {string.Join(", ", book.Services.Select(s => s.Id))}");
        }

        var hours = offer.Hours ?? throw new PackOfferFormatException($"{path}.hours", "missing; give the hours of one pack, such as 1000");
        var amount = offer.Price ?? throw new PackOfferFormatException($"{path}.price", "missing; give the price of one pack, such as 1800");
        var currency = offer.Currency ?? throw new PackOfferFormatException($"{path}.currency", "missing; give the price's currency, such as CNY");
        if (PackAdvisor.BookCurrencyProblem(book, service, currency) is { } problem)
        {
            throw new PackOfferFormatException($"{path}.currency", problem);
        }

        var validity = ToValidity(offer.Validity, $"{path}.validity");
        try
        {
            return new PackOffer(service, hours, new Money(amount, currency), validity, offer.Name);
        }
        catch (ArgumentException e)
        {
            // PackOffer owns the rules; here they only get the JSON path of the field they name.
            var field = e.ParamName is "hours" or "price" or "validity" ? $"{path}.{e.ParamName}" : path;
            throw new PackOfferFormatException(field, JsonFields.ArgumentProblem(e), e);
        }
    }

    private static Period? ToValidity(string? text, string path)
    {
        if (text is null)
        {
            return null;
        }

        var parsed = PeriodPattern.Roundtrip.Parse(text);
        return parsed.Success
            ? parsed.Value
            : throw new PackOfferFormatException(path, $"'{text}' is not an ISO-8601 period such as P1Y or P6M", parsed.Exception);
    }

    /// <summary>Writes every field after the header, in the order of the format's description.</summary>
    private static void WriteBody(Utf8JsonWriter writer, PackOfferList offers)
    {
        writer.WriteString("name", offers.Name);
        writer.WriteString("source", offers.Source);
        writer.WriteStartArray("offers");
        foreach (var offer in offers)
        {
            writer.WriteStartObject();
            writer.WriteString("name", offer.Name);
            writer.WriteString("service", offer.Service.Id);
            writer.WriteNumber("hours", offer.Hours);
            writer.WriteNumber("price", offer.Price.Amount);
            writer.WriteString("currency", offer.Price.Currency);
            writer.WriteString("validity", PeriodPattern.Roundtrip.Format(offer.Validity));
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
    }
}
