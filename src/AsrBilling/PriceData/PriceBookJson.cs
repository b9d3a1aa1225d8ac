using System.Globalization;
using System.Text;
using System.Text.Json;
using NodaTime;

namespace AsrBilling;

/// <summary>
/// Reads and writes a <see cref="PriceBook"/> as versioned JSON: the built-in book's own format,
/// for price lists of other regions, dates or vendors.
/// </summary>
/// <remarks>
/// <para>The format, version 1 (UTF-8 JSON, RFC 8259: no comments, no trailing commas):</para>
/// <code>
/// {
///   "format": "asr-billing-price-book",          // required, exactly this
///   "version": 1,                                // required, exactly 1
///   "name": "Tencent Cloud international, 2025-08-19",   // required, not blank
///   "tables": [                                  // required, at least one
///     {
///       "service": "real-time",                  // required: lower-case letters, digits, single dashes
///       "displayName": "Real-time speech recognition",  // optional; ignored for the four well-known ids,
///                                                // the id by default for others; one name per service
///       "currency": "USD",                       // required: three upper-case letters (ISO 4217)
///       "tierMode": "volume",                    // optional: "volume" (default) | "graduated"
///       "thresholdRule": "reach-moves-up",       // optional: "reach-moves-up" (default) | "up-to-inclusive"
///       "tierWindow": "day",                     // optional: "day" (default) | "month"
///       "billingIncrementSeconds": 1,            // optional whole number ≥ 1; default 1
///       "minimumSecondsPerRecord": 0,            // optional whole number ≥ 0; default 0
///       "freeHoursPerMonth": 0,                  // optional number ≥ 0; default 0
///       "freeHoursCountTowardTier": true,        // optional true | false; default true
///       "packHoursCountTowardTier": true,        // optional true | false; default true
///       "effectiveFrom": "2025-08-19",           // required ISO date (uuuu-MM-dd)
///       "source": "Tencent Cloud ASR international Billing Overview, …",  // optional string
///       "tiers": [                               // required, at least one
///         { "from": 0, "unitPrice": 1.4 },       // "from": hours per tier window; the first is 0
///         { "from": 300, "unitPrice": 1.2 }      // strictly ascending; "unitPrice" per hour, ≥ 0
///       ]
///     }
///   ]
/// }
/// </code>
/// <para>
/// Each tier runs from its <c>from</c> up to the next tier's <c>from</c>; the last is open-ended.
/// Numbers (<c>from</c>, <c>unitPrice</c>, <c>freeHoursPerMonth</c>) are read as <see cref="decimal"/>
/// straight from the JSON text, never through <see cref="double"/>: <c>0.86</c> is exactly 0.86. They may
/// also be strings holding a number (<c>"1.4"</c>). Digits beyond the 28–29 significant digits a
/// decimal holds are rounded to the nearest, as <see cref="decimal.Parse(string, IFormatProvider)"/> does.
/// Property names are case-sensitive; an unknown or repeated property, or <c>null</c> for a required
/// field, is an error; <c>null</c> for an optional field means its default. A UTF-8 byte order mark is
/// skipped. Tables may come in any order; a service has at most one table per effective date.
/// </para>
/// <para>
/// <see cref="Save(PriceBook)"/> writes every field, <c>null</c> included, indented by two spaces, with
/// <c>\n</c> line ends and a final <c>\n</c>, tables in the order of <see cref="PriceBook.Tables"/>,
/// and non-ASCII text as it is. Loading what it wrote gives an equal book, and saving that book again
/// gives the same text.
/// </para>
/// </remarks>
public static class PriceBookJson
{
    /// <summary>The format's name, <c>asr-billing-price-book</c>, and its one version, 1.</summary>
    private static readonly JsonFileFormat Format = new(
        "asr-billing-price-book", 1, "price book", static (path, problem, inner) => new PriceBookFormatException(path, problem, inner));

    private static readonly (string Name, TierMode Value)[] Modes = [("volume", TierMode.Volume), ("graduated", TierMode.Graduated)];

    private static readonly (string Name, ThresholdRule Value)[] ThresholdRules =
        [("reach-moves-up", ThresholdRule.ReachMovesUp), ("up-to-inclusive", ThresholdRule.UpToInclusive)];

    private static readonly (string Name, TierWindow Value)[] Windows = [("day", TierWindow.Day), ("month", TierWindow.Month)];

    /// <summary>Reads a price book from JSON text.</summary>
    /// <param name="json">The JSON text, in the format described on <see cref="PriceBookJson"/>.</param>
    /// <returns>The validated book.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="json"/> is null.</exception>
    /// <exception cref="PriceBookFormatException">The text breaks the format or a price rule; the message starts with the JSON path.</exception>
    public static PriceBook Load(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        return ToBook(Format.Read(json, PriceBookJsonReader.Book));
    }

    /// <summary>Reads a price book from a stream of UTF-8 JSON, to its end.</summary>
    /// <param name="utf8Json">The stream; it is read to the end and not closed.</param>
    /// <returns>The validated book.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="utf8Json"/> is null.</exception>
    /// <exception cref="PriceBookFormatException">The text breaks the format or a price rule; the message starts with the JSON path.</exception>
    /// <exception cref="IOException">Reading the stream failed; this is not about the content, so it is not wrapped.</exception>
    /// <exception cref="NotSupportedException">The stream cannot be read.</exception>
    public static PriceBook Load(Stream utf8Json)
    {
        ArgumentNullException.ThrowIfNull(utf8Json);
        return ToBook(Format.Read(utf8Json, PriceBookJsonReader.Book));
    }

    /// <summary>Writes a price book as JSON text.</summary>
    /// <param name="book">The book.</param>
    /// <returns>Indented JSON with every field, tables in the order of <see cref="PriceBook.Tables"/>, ending in a line feed.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="book"/> is null.</exception>
    public static string Save(PriceBook book)
    {
        ArgumentNullException.ThrowIfNull(book);
        return Format.Write(book, WriteBody);
    }

    /// <summary>Writes a price book as UTF-8 JSON to a stream: the bytes of <see cref="Save(PriceBook)"/>, without a byte order mark.</summary>
    /// <param name="book">The book.</param>
    /// <param name="utf8Json">The stream to write to; it is not closed.</param>
    /// <exception cref="ArgumentNullException"><paramref name="book"/> or <paramref name="utf8Json"/> is null.</exception>
    /// <exception cref="IOException">Writing to the stream failed.</exception>
    /// <exception cref="NotSupportedException">The stream cannot be written to.</exception>
    public static void Save(PriceBook book, Stream utf8Json)
    {
        ArgumentNullException.ThrowIfNull(book);
        ArgumentNullException.ThrowIfNull(utf8Json);
        utf8Json.Write(Encoding.UTF8.GetBytes(Save(book)));
    }

    private static PriceBook ToBook(PriceBookDocument document)
    {
        var name = document.Name ?? throw new PriceBookFormatException("$.name", "missing; a price book needs a name");
        if (string.IsNullOrWhiteSpace(name))
        {
            throw new PriceBookFormatException("$.name", "blank; a price book needs a name");
        }

        var tables = document.Tables ?? throw new PriceBookFormatException("$.tables", "missing; a price book needs at least one table");
        if (tables.Count == 0)
        {
            throw new PriceBookFormatException("$.tables", "empty; a price book needs at least one table");
        }

        var context = new BookContext();
        var built = new PriceTable[tables.Count];
        for (var i = 0; i < tables.Count; i++)
        {
            built[i] = ToTable(tables[i], i, context);
        }

        try
        {
            return new PriceBook(name, built);
        }
        catch (PriceTableException e)
        {
            throw new PriceBookFormatException("$.tables", e.Message, e);
        }
    }

    private static PriceTable ToTable(PriceTableDocument? table, int index, BookContext context)
    {
        var path = $"$.tables[{index}]";
        if (table is null)
        {
            throw new PriceBookFormatException(path, "null; expected a table object");
        }

        var service = ToService(table, index, context);
        var currency = table.Currency ?? throw new PriceBookFormatException($"{path}.currency", "missing; give an ISO 4217 code such as USD");
        try
        {
            Money.ValidateCurrency(currency, nameof(currency));
        }
        catch (ArgumentException e)
        {
            throw new PriceBookFormatException($"{path}.currency", JsonFields.ArgumentProblem(e), e);
        }

        var rules = ToRules(table, path);
        var date = table.EffectiveFrom
            ?? throw new PriceBookFormatException($"{path}.effectiveFrom", "missing; give the first billing date of these prices, such as 2025-08-19");
        if (!context.Versions.TryAdd((service.Id, date), index))
        {
            throw new PriceBookFormatException(
                $"{path}.effectiveFrom",
                $"a second table for {service.Id} effective from {IsoDate.Format(date)} (the first is $.tables[{context.Versions[(service.Id, date)]}]); a service has one table per effective date");
        }

        var tiers = ToTiers(table.Tiers, $"{path}.tiers");
        try
        {
            return PriceTable.FromThresholds(service, date, currency, tiers, rules, table.Source);
        }
        catch (PriceTableException e)
        {
            // Not reached for the rules checked above; kept so that any other domain rule still gets a path.
            var where = e.TierNumber is { } n && n >= 1 && n <= tiers.Length ? $"{path}.tiers[{n - 1}]" : path;
            throw new PriceBookFormatException(where, e.Message, e);
        }
    }

    private static AsrService ToService(PriceTableDocument table, int index, BookContext context)
    {
        var path = $"$.tables[{index}]";
        var id = table.Service ?? throw new PriceBookFormatException($"{path}.service", "missing; give the service id, such as real-time");
        AsrService service;
        try
        {
            service = AsrService.Create(id, table.DisplayName ?? id);
        }
        catch (ArgumentException e)
        {
            throw new PriceBookFormatException($"{path}.service", JsonFields.ArgumentProblem(e), e);
        }

        if (service.Ordinal >= 0)
        {
            // A well-known service keeps its own display name (AsrService.Create ignores the given one).
            return service;
        }

        if (!context.Services.TryGetValue(service.Id, out var first))
        {
            context.Services.Add(service.Id, (service, index));
            return service;
        }

        if (!string.Equals(first.Service.DisplayName, service.DisplayName, StringComparison.Ordinal))
        {
            throw new PriceBookFormatException(
                $"{path}.displayName",
                $"'{service.DisplayName}' differs from '{first.Service.DisplayName}', the display name of {service.Id} at $.tables[{first.Index}]; a service has one display name");
        }

        return first.Service;
    }

    private static PriceRules ToRules(PriceTableDocument table, string path)
    {
        var defaults = PriceRules.Tencent;
        var mode = ParseName(table.TierMode, Modes, $"{path}.tierMode", "mode") ?? defaults.Mode;
        var thresholdRule = ParseName(table.ThresholdRule, ThresholdRules, $"{path}.thresholdRule", "threshold rule") ?? defaults.ThresholdRule;
        var window = ParseName(table.TierWindow, Windows, $"{path}.tierWindow", "window") ?? defaults.Window;
        var increment = table.BillingIncrementSeconds ?? defaults.IncrementSeconds;
        var minimum = table.MinimumSecondsPerRecord ?? defaults.MinimumSeconds;
        var free = table.FreeHoursPerMonth ?? defaults.FreeHoursPerMonth;
        try
        {
            return new PriceRules(mode, thresholdRule, window, increment, minimum, free, table.FreeHoursCountTowardTier ?? defaults.FreeHoursCountTowardTier,
                table.PackHoursCountTowardTier ?? defaults.PackHoursCountTowardTier);
        }
        catch (ArgumentOutOfRangeException e)
        {
            // PriceRules owns the ranges; here they only get the JSON name and the value as written.
            var (field, problem) = e.ParamName switch
            {
                "incrementSeconds" => ("billingIncrementSeconds", $"must be at least 1 second (was {increment.ToString(CultureInfo.InvariantCulture)})"),
                "minimumSeconds" => ("minimumSecondsPerRecord", $"must not be negative (was {minimum.ToString(CultureInfo.InvariantCulture)})"),
                "freeHoursPerMonth" => ("freeHoursPerMonth", $"must not be negative (was {free.ToString(CultureInfo.InvariantCulture)})"),
                _ => (null, JsonFields.ArgumentProblem(e)),
            };
            throw new PriceBookFormatException(field is null ? path : $"{path}.{field}", problem, e);
        }
    }

    private static (decimal FromHours, decimal UnitPrice)[] ToTiers(List<PriceTierDocument?>? tiers, string path)
    {
        if (tiers is null)
        {
            throw new PriceBookFormatException(path, "missing; a table needs at least one tier, the first from 0");
        }

        if (tiers.Count == 0)
        {
            throw new PriceBookFormatException(path, "empty; a table needs at least one tier, the first from 0");
        }

        var result = new (decimal FromHours, decimal UnitPrice)[tiers.Count];
        for (var i = 0; i < tiers.Count; i++)
        {
            var tierPath = $"{path}[{i}]";
            var tier = tiers[i] ?? throw new PriceBookFormatException(tierPath, "null; expected a tier object");
            var from = tier.From ?? throw new PriceBookFormatException($"{tierPath}.from", "missing; give the tier's threshold in hours");
            var price = tier.UnitPrice ?? throw new PriceBookFormatException($"{tierPath}.unitPrice", "missing; give the tier's price per hour");

            // The paths need the field, which PriceTable's own checks do not name: billing rule 3's
            // half-open tiers need a first tier at 0 and strictly ascending thresholds.
            if (i == 0 && from != 0)
            {
                throw new PriceBookFormatException($"{tierPath}.from", $"the first tier must start at 0 (was {PriceTier.FormatHours(from)})");
            }

            if (i > 0 && from <= result[i - 1].FromHours)
            {
                throw new PriceBookFormatException(
                    $"{tierPath}.from",
                    $"thresholds must be strictly ascending ({PriceTier.FormatHours(from)} after {PriceTier.FormatHours(result[i - 1].FromHours)})");
            }

            if (price < 0)
            {
                throw new PriceBookFormatException($"{tierPath}.unitPrice", $"prices must not be negative (was {price.ToString(CultureInfo.InvariantCulture)})");
            }

            result[i] = (from, price);
        }

        return result;
    }

    private static T? ParseName<T>(string? text, (string Name, T Value)[] names, string path, string what)
        where T : struct
    {
        if (text is null)
        {
            return null;
        }

        foreach (var (name, value) in names)
        {
            if (string.Equals(name, text, StringComparison.Ordinal))
            {
                return value;
            }
        }

        throw new PriceBookFormatException(path, $"unknown {what} '{text}'; use {string.Join(" or ", names.Select(n => n.Name))}");
    }

    private static string NameOf<T>(T value, (string Name, T Value)[] names)
        where T : struct => names.First(n => EqualityComparer<T>.Default.Equals(n.Value, value)).Name;

    /// <summary>Writes every field after the header, <c>null</c> included, in the order of the format's description.</summary>
    private static void WriteBody(Utf8JsonWriter writer, PriceBook book)
    {
        writer.WriteString("name", book.Name);
        writer.WriteStartArray("tables");
        foreach (var table in book.Tables)
        {
            writer.WriteStartObject();
            writer.WriteString("service", table.Service.Id);
            writer.WriteString("displayName", table.Service.DisplayName);
            writer.WriteString("currency", table.Currency);
            writer.WriteString("tierMode", NameOf(table.Rules.Mode, Modes));
            writer.WriteString("thresholdRule", NameOf(table.Rules.ThresholdRule, ThresholdRules));
            writer.WriteString("tierWindow", NameOf(table.Rules.Window, Windows));
            writer.WriteNumber("billingIncrementSeconds", table.Rules.IncrementSeconds);
            writer.WriteNumber("minimumSecondsPerRecord", table.Rules.MinimumSeconds);
            writer.WriteNumber("freeHoursPerMonth", table.Rules.FreeHoursPerMonth);
            writer.WriteBoolean("freeHoursCountTowardTier", table.Rules.FreeHoursCountTowardTier);
            writer.WriteBoolean("packHoursCountTowardTier", table.Rules.PackHoursCountTowardTier);
            writer.WriteString("effectiveFrom", IsoDate.Format(table.EffectiveFrom));
            writer.WriteString("source", table.Source);
            writer.WriteStartArray("tiers");
            foreach (var tier in table.Tiers)
            {
                writer.WriteStartObject();
                writer.WriteNumber("from", tier.FromHours);
                writer.WriteNumber("unitPrice", tier.UnitPrice.Amount);
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
    }

    /// <summary>What the tables of one book have declared so far: custom services, and (service, date) versions.</summary>
    private sealed class BookContext
    {
        public Dictionary<string, (AsrService Service, int Index)> Services { get; } = new(StringComparer.Ordinal);

        public Dictionary<(string ServiceId, LocalDate Date), int> Versions { get; } = [];
    }
}
