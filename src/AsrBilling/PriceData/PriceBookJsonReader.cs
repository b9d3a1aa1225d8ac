using System.Globalization;
using System.Text;
using System.Text.Json;

namespace AsrBilling;

/// <summary>
/// Reads a price-book text into <see cref="PriceBookDocument"/>s with <see cref="Utf8JsonReader"/>, after
/// <see cref="PriceBookJsonScanner"/> has passed it: well-formed JSON, no repeated property, valid strings,
/// an object at the root. What is left to report is a property the format does not have or a value of the
/// wrong type; the first in text order is thrown, with its JSON path.
/// </summary>
/// <remarks>
/// A hand-written reader rather than System.Text.Json's serializer: building the serializer's metadata
/// and converters for these three small types cost about 300 compiled methods in every run of the tool.
/// </remarks>
internal static class PriceBookJsonReader
{
    private const NumberStyles NumberInString = NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint | NumberStyles.AllowExponent;

    /// <summary>The characters that make System.Text.Json write a property name in a path as <c>['name']</c>.</summary>
    private const string BracketedNameCharacters = ". '/\"[]()\t\n\r\f\b\\\u0085\u2028\u2029";

    // The properties of each kind of object in the order Save writes them, each with how to read it.
    // Declared innermost first: static fields are initialized in text order.
    private static readonly Level<PriceTierDocument> Tier = new(
        "tier",
        [
            ("from", static (ref Utf8JsonReader r, string path, PriceTierDocument tier) => tier.From = ReadNumber(ref r, path)),
            ("unitPrice", static (ref Utf8JsonReader r, string path, PriceTierDocument tier) => tier.UnitPrice = ReadNumber(ref r, path)),
        ]);

    private static readonly Level<PriceTableDocument> Table = new(
        "table",
        [
            ("service", static (ref Utf8JsonReader r, string path, PriceTableDocument table) => table.Service = ReadString(ref r, path)),
            ("displayName", static (ref Utf8JsonReader r, string path, PriceTableDocument table) => table.DisplayName = ReadString(ref r, path)),
            ("currency", static (ref Utf8JsonReader r, string path, PriceTableDocument table) => table.Currency = ReadString(ref r, path)),
            ("tierMode", static (ref Utf8JsonReader r, string path, PriceTableDocument table) => table.TierMode = ReadString(ref r, path)),
            ("thresholdRule", static (ref Utf8JsonReader r, string path, PriceTableDocument table) => table.ThresholdRule = ReadString(ref r, path)),
            ("tierWindow", static (ref Utf8JsonReader r, string path, PriceTableDocument table) => table.TierWindow = ReadString(ref r, path)),
            ("billingIncrementSeconds", static (ref Utf8JsonReader r, string path, PriceTableDocument table) => table.BillingIncrementSeconds = ReadWholeNumber(ref r, path)),
            ("minimumSecondsPerRecord", static (ref Utf8JsonReader r, string path, PriceTableDocument table) => table.MinimumSecondsPerRecord = ReadWholeNumber(ref r, path)),
            ("freeHoursPerMonth", static (ref Utf8JsonReader r, string path, PriceTableDocument table) => table.FreeHoursPerMonth = ReadNumber(ref r, path)),
            ("freeHoursCountTowardTier", static (ref Utf8JsonReader r, string path, PriceTableDocument table) => table.FreeHoursCountTowardTier = ReadBoolean(ref r, path)),
            ("effectiveFrom", static (ref Utf8JsonReader r, string path, PriceTableDocument table) => table.EffectiveFrom = ReadDate(ref r, path)),
            ("source", static (ref Utf8JsonReader r, string path, PriceTableDocument table) => table.Source = ReadString(ref r, path)),
            ("tiers", static (ref Utf8JsonReader r, string path, PriceTableDocument table) => table.Tiers = ReadList(ref r, path, Tier)),
        ]);

    private static readonly Level<PriceBookDocument> Book = new(
        "price book",
        [
            // PriceBookJson has checked the header: a string and the number 1.
            ("format", static (ref Utf8JsonReader _, string _, PriceBookDocument _) => { }),
            ("version", static (ref Utf8JsonReader _, string _, PriceBookDocument _) => { }),
            ("name", static (ref Utf8JsonReader r, string path, PriceBookDocument book) => book.Name = ReadString(ref r, path)),
            ("tables", static (ref Utf8JsonReader r, string path, PriceBookDocument book) => book.Tables = ReadList(ref r, path, Table)),
        ]);

    private delegate void ReadProperty<in T>(ref Utf8JsonReader reader, string path, T document);

    /// <exception cref="PriceBookFormatException">A property is unknown or a value has the wrong type; the path says which.</exception>
    public static PriceBookDocument Read(ReadOnlySpan<byte> utf8)
    {
        var reader = new Utf8JsonReader(utf8);
        reader.Read();
        return ReadObject(ref reader, "$", Book);
    }

    /// <summary>Reads the object that starts at the reader's token, to its end; a property its level does not have is an error.</summary>
    private static T ReadObject<T>(ref Utf8JsonReader reader, string path, Level<T> level)
        where T : new()
    {
        var document = new T();
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var name = reader.GetString()!;
            var read = level.Find(name) ?? throw Unknown(path, name, level);
            reader.Read();
            read(ref reader, $"{path}.{name}", document);
        }

        return document;
    }

    /// <summary>Reads null or an array of objects (or nulls) of one level.</summary>
    private static List<T?>? ReadList<T>(ref Utf8JsonReader reader, string path, Level<T> level)
        where T : class, new()
    {
        if (reader.TokenType == JsonTokenType.Null)
        {
            return null;
        }

        if (reader.TokenType != JsonTokenType.StartArray)
        {
            throw Expected(path, $"an array of {level.Noun} objects");
        }

        var list = new List<T?>();
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            var elementPath = $"{path}[{list.Count}]";
            list.Add(reader.TokenType switch
            {
                JsonTokenType.Null => null,
                JsonTokenType.StartObject => ReadObject(ref reader, elementPath, level),
                _ => throw Expected(elementPath, $"a {level.Noun} object"),
            });
        }

        return list;
    }

    private static string? ReadString(ref Utf8JsonReader reader, string path) => reader.TokenType switch
    {
        JsonTokenType.Null => null,
        JsonTokenType.String => reader.GetString(),
        _ => throw Expected(path, "a string"),
    };

    private static int? ReadWholeNumber(ref Utf8JsonReader reader, string path) => reader.TokenType switch
    {
        JsonTokenType.Null => null,
        JsonTokenType.Number when reader.TryGetInt32(out var number) => number,
        _ => throw Expected(path, "a whole number"),
    };

    private static bool? ReadBoolean(ref Utf8JsonReader reader, string path) => reader.TokenType switch
    {
        JsonTokenType.Null => null,
        JsonTokenType.True => true,
        JsonTokenType.False => false,
        _ => throw Expected(path, "true or false"),
    };

    /// <summary>
    /// Reads a <see cref="decimal"/> straight from the JSON text, never through <see cref="double"/>: a JSON
    /// number, or a string holding one (<c>"1.4"</c>).
    /// </summary>
    private static decimal? ReadNumber(ref Utf8JsonReader reader, string path)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.Null:
                return null;
            case JsonTokenType.Number:
                return reader.TryGetDecimal(out var number)
                    ? number
                    : throw new PriceBookFormatException(path, $"the number {Encoding.UTF8.GetString(reader.ValueSpan)} is outside the range of a decimal (about ±7.9e28)");
            case JsonTokenType.String:
                var text = reader.GetString()!;
                return decimal.TryParse(text, NumberInString, CultureInfo.InvariantCulture, out var parsed)
                    ? parsed
                    : throw new PriceBookFormatException(path, $"expected a number, such as 1.4 or \"1.4\", but the string was '{text}'");
            default:
                throw new PriceBookFormatException(path, $"expected a number, such as 1.4 or \"1.4\", but found {PriceBookJson.Describe(reader.TokenType)}");
        }
    }

    /// <summary>Reads an ISO date (<c>uuuu-MM-dd</c>); the message of a string that is not one says why.</summary>
    private static NodaTime.LocalDate? ReadDate(ref Utf8JsonReader reader, string path)
    {
        const string Date = "an ISO date such as 2025-08-19";
        switch (reader.TokenType)
        {
            case JsonTokenType.Null:
                return null;
            case JsonTokenType.String:
                var parsed = IsoDate.Parse(reader.GetString()!);
                return parsed.Success ? parsed.Value : throw new PriceBookFormatException(path, $"expected {Date} ({parsed.Exception.Message})", parsed.Exception);
            default:
                throw Expected(path, Date);
        }
    }

    private static PriceBookFormatException Expected(string path, string what) => new(path, $"expected {what}");

    /// <summary>An unknown property, at its path as System.Text.Json writes it (which differs from <see cref="PriceBookJson.Child"/> for some odd names).</summary>
    private static PriceBookFormatException Unknown<T>(string objectPath, string name, Level<T> level) => new(
        name.Any(c => BracketedNameCharacters.Contains(c, StringComparison.Ordinal)) ? $"{objectPath}['{name}']" : $"{objectPath}.{name}",
        $"unknown property '{name}'; a {level.Noun} has {string.Join(", ", level.Properties.Select(p => p.Name))}");

    /// <summary>The properties one kind of object has, in the order Save writes them.</summary>
    private sealed class Level<T>(string noun, (string Name, ReadProperty<T> Read)[] properties)
    {
        /// <summary>The kind of object, for messages: "table".</summary>
        public string Noun { get; } = noun;

        public (string Name, ReadProperty<T> Read)[] Properties { get; } = properties;

        public ReadProperty<T>? Find(string name)
        {
            foreach (var (known, read) in Properties)
            {
                if (string.Equals(known, name, StringComparison.Ordinal))
                {
                    return read;
                }
            }

            return null;
        }
    }
}
