using System.Text;
using System.Text.Json;

namespace AsrBilling;

/// <summary>
/// Reads and writes a <see cref="ResourcePackList"/> as versioned JSON: the pack file, the prepaid packs an
/// account holds (billing rule 11).
/// </summary>
/// <remarks>
/// <para>The format, version 1 (UTF-8 JSON, RFC 8259: no comments, no trailing commas):</para>
/// <code>
/// {
///   "format": "asr-billing-packs",       // required, exactly this
///   "version": 1,                        // required, exactly 1
///   "packs": [                           // required; may be empty; kept in this order
///     {
///       "id": "rt-1000",                 // required, not blank, unique in the file (case-sensitive)
///       "service": "real-time",          // required: a service of the price book (ASCII case ignored)
///       "hours": 1000,                   // required: more than 0, a whole number of seconds
///       "validFrom": "2026-01-01",       // required ISO date: the first billing date it can be used
///       "validTo": "2026-12-31",         // required ISO date, inclusive: the last billing date it can be used
///       "price": 1800,                   // optional number ≥ 0: what the pack cost; needs "currency"
///       "currency": "CNY",               // optional: three upper-case letters (ISO 4217); needs "price"
///       "account": "acme"                // optional: the account it covers; the default account without it
///     }
///   ]
/// }
/// </code>
/// <para>
/// The file follows the price book's rules (<see cref="PriceBookJson"/>): numbers are read as
/// <see cref="decimal"/> straight from the text, never through <see cref="double"/>, and may be strings holding
/// a number; property names are case-sensitive; an unknown or repeated property, or <c>null</c> for a required
/// field, is an error; <c>null</c> for an optional field means it is absent; a UTF-8 byte order mark is skipped.
/// Every error is a <see cref="ResourcePackFormatException"/> whose message starts with the JSON path.
/// </para>
/// <para>
/// <see cref="Save(ResourcePackList)"/> writes every field, <c>null</c> for an absent price, currency or
/// account (the default account), indented by two spaces with <c>\n</c> line ends and a final <c>\n</c>,
/// packs in list order. Loading what it wrote with the same book gives an equal list.
/// </para>
/// </remarks>
public static class ResourcePackJson
{
    /// <summary>The format's name, <c>asr-billing-packs</c>, and its one version, 1.</summary>
    private static readonly JsonFileFormat Format = new(
        "asr-billing-packs", 1, "pack file", static (path, problem, inner) => new ResourcePackFormatException(path, problem, inner));

    /// <summary>Reads a pack file from JSON text, resolving service ids against <see cref="PriceBook.TencentCloudInternational"/>.</summary>
    /// <param name="json">The JSON text, in the format described on <see cref="ResourcePackJson"/>.</param>
    /// <returns>The packs, in file order.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="json"/> is null.</exception>
    /// <exception cref="ResourcePackFormatException">The text breaks the format or a pack rule; the message starts with the JSON path.</exception>
    public static ResourcePackList Load(string json) => Load(json, PriceBook.TencentCloudInternational);

    /// <summary>Reads a pack file from JSON text.</summary>
    /// <param name="json">The JSON text, in the format described on <see cref="ResourcePackJson"/>.</param>
    /// <param name="book">The price book whose services the packs name, such as <see cref="PriceBook.TencentCloudChina"/>.</param>
    /// <returns>The packs, in file order.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="json"/> or <paramref name="book"/> is null.</exception>
    /// <exception cref="ResourcePackFormatException">The text breaks the format or a pack rule; the message starts with the JSON path.</exception>
    public static ResourcePackList Load(string json, PriceBook book)
    {
        ArgumentNullException.ThrowIfNull(json);
        ArgumentNullException.ThrowIfNull(book);
        return ToList(Format.Read(json, ResourcePackJsonReader.File), book);
    }

    /// <summary>Reads a pack file from a stream of UTF-8 JSON, to its end, resolving service ids against <see cref="PriceBook.TencentCloudInternational"/>.</summary>
    /// <param name="utf8Json">The stream; it is read to the end and not closed.</param>
    /// <returns>The packs, in file order.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="utf8Json"/> is null.</exception>
    /// <exception cref="ResourcePackFormatException">The text breaks the format or a pack rule; the message starts with the JSON path.</exception>
    /// <exception cref="IOException">Reading the stream failed; this is not about the content, so it is not wrapped.</exception>
    /// <exception cref="NotSupportedException">The stream cannot be read.</exception>
    public static ResourcePackList Load(Stream utf8Json) => Load(utf8Json, PriceBook.TencentCloudInternational);

    /// <summary>Reads a pack file from a stream of UTF-8 JSON, to its end.</summary>
    /// <param name="utf8Json">The stream; it is read to the end and not closed.</param>
    /// <param name="book">The price book whose services the packs name, such as <see cref="PriceBook.TencentCloudChina"/>.</param>
    /// <returns>The packs, in file order.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="utf8Json"/> or <paramref name="book"/> is null.</exception>
    /// <exception cref="ResourcePackFormatException">The text breaks the format or a pack rule; the message starts with the JSON path.</exception>
    /// <exception cref="IOException">Reading the stream failed; this is not about the content, so it is not wrapped.</exception>
    /// <exception cref="NotSupportedException">The stream cannot be read.</exception>
    public static ResourcePackList Load(Stream utf8Json, PriceBook book)
    {
        ArgumentNullException.ThrowIfNull(utf8Json);
        ArgumentNullException.ThrowIfNull(book);
        return ToList(Format.Read(utf8Json, ResourcePackJsonReader.File), book);
    }

    /// <summary>Writes packs as JSON text.</summary>
    /// <param name="packs">The packs.</param>
    /// <returns>Indented JSON with every field, packs in list order, ending in a line feed.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="packs"/> is null.</exception>
    public static string Save(ResourcePackList packs)
    {
        ArgumentNullException.ThrowIfNull(packs);
        return Format.Write(packs, WriteBody);
    }

    /// <summary>Writes packs as UTF-8 JSON to a stream: the bytes of <see cref="Save(ResourcePackList)"/>, without a byte order mark.</summary>
    /// <param name="packs">The packs.</param>
    /// <param name="utf8Json">The stream to write to; it is not closed.</param>
    /// <exception cref="ArgumentNullException"><paramref name="packs"/> or <paramref name="utf8Json"/> is null.</exception>
    /// <exception cref="IOException">Writing to the stream failed.</exception>
    /// <exception cref="NotSupportedException">The stream cannot be written to.</exception>
    public static void Save(ResourcePackList packs, Stream utf8Json)
    {
        ArgumentNullException.ThrowIfNull(packs);
        ArgumentNullException.ThrowIfNull(utf8Json);
        utf8Json.Write(Encoding.UTF8.GetBytes(Save(packs)));
    }

    private static ResourcePackList ToList(PackFileDocument document, PriceBook book)
    {
        var packs = document.Packs ?? throw new ResourcePackFormatException("$.packs", "missing; a pack file lists its packs, [] for none");
        var built = new ResourcePack[packs.Count];
        var firstIndexOfId = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < packs.Count; i++)
        {
            var path = $"$.packs[{i}]";
            built[i] = ToPack(packs[i] ?? throw new ResourcePackFormatException(path, "null; expected a pack object"), path, book);
            if (!firstIndexOfId.TryAdd(built[i].Id, i))
            {
                throw new ResourcePackFormatException(
                    $"{path}.id",
                    $"'{built[i].Id}' is also the id of $.packs[{firstIndexOfId[built[i].Id]}]; pack ids are unique (case-sensitive)");
            }
        }

        return new ResourcePackList(built);
    }

    private static ResourcePack ToPack(ResourcePackDocument pack, string path, PriceBook book)
    {
        var id = pack.Id ?? throw new ResourcePackFormatException($"{path}.id", "missing; give the pack an id, such as rt-1000");
        var serviceId = pack.Service ?? throw new ResourcePackFormatException($"{path}.service", "missing; give the service id, such as real-time");
        if (!book.TryGetService(serviceId, out var service))
        {
            throw new ResourcePackFormatException(
                $"{path}.service",
                $"unknown service '{serviceId}'; the price book '{book.Name}' prices {string.Join(", ", book.Services.Select(s => s.Id))}");
        }

        var hours = pack.Hours ?? throw new ResourcePackFormatException($"{path}.hours", "missing; give the pack's hours, such as 1000");
        var validFrom = pack.ValidFrom
            ?? throw new ResourcePackFormatException($"{path}.validFrom", "missing; give the first billing date the pack can be used, such as 2026-01-01");
        var validTo = pack.ValidTo
            ?? throw new ResourcePackFormatException($"{path}.validTo", "missing; give the last billing date the pack can be used (inclusive), such as 2026-12-31");
        var price = ToPrice(pack, path);
        try
        {
            return new ResourcePack(id, service, hours, validFrom, validTo, price, pack.Account);
        }
        catch (ArgumentException e)
        {
            // ResourcePack owns the rules; here they only get the JSON path of the field they name.
            var field = e.ParamName is "id" or "hours" or "validFrom" or "validTo" or "price" ? $"{path}.{e.ParamName}" : path;
            throw new ResourcePackFormatException(field, JsonFields.ArgumentProblem(e), e);
        }
    }

    private static Money? ToPrice(ResourcePackDocument pack, string path)
    {
        switch (pack.Price, pack.Currency)
        {
            case (null, null):
                return null;
            case (null, { } currency):
                throw new ResourcePackFormatException($"{path}.price", $"missing; the currency {currency} needs a price, or leave both out");
            case ({ } amount, null):
                throw new ResourcePackFormatException(
                    $"{path}.currency", $"missing; the price {amount.ToString(System.Globalization.CultureInfo.InvariantCulture)} needs a currency, such as CNY");
            case ({ } amount, { } currency):
                try
                {
                    return new Money(amount, currency);
                }
                catch (ArgumentException e)
                {
                    throw new ResourcePackFormatException($"{path}.currency", JsonFields.ArgumentProblem(e), e);
                }
        }
    }

    /// <summary>Writes every field after the header, <c>null</c> included, in the order of the format's description.</summary>
    private static void WriteBody(Utf8JsonWriter writer, ResourcePackList packs)
    {
        writer.WriteStartArray("packs");
        foreach (var pack in packs)
        {
            writer.WriteStartObject();
            writer.WriteString("id", pack.Id);
            writer.WriteString("service", pack.Service.Id);
            writer.WriteNumber("hours", pack.Hours);
            writer.WriteString("validFrom", IsoDate.Format(pack.ValidFrom));
            writer.WriteString("validTo", IsoDate.Format(pack.ValidTo));
            if (pack.Price is { } price)
            {
                writer.WriteNumber("price", price.Amount);
                writer.WriteString("currency", price.Currency);
            }
            else
            {
                writer.WriteNull("price");
                writer.WriteNull("currency");
            }

            writer.WriteString("account", pack.Account.Length == 0 ? null : pack.Account);
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
    }
}
