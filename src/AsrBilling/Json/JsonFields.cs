using System.Globalization;
using System.Text;
using System.Text.Json;

namespace AsrBilling;

/// <summary>Reads a property's value into a document object: the reader is at the value's first token.</summary>
internal delegate void JsonPropertyReader<in T>(ref Utf8JsonReader reader, string path, T document);

/// <summary>
/// Reads the values of a JSON file of this library (a price book, a pack file) into plain document objects
/// with <see cref="Utf8JsonReader"/>, after <see cref="JsonFileScanner"/> has passed the text: well-formed
/// JSON, no repeated property, valid strings, an object at the root. What is left to report is a property
/// the format does not have or a value of the wrong type; the first in text order is thrown, with its JSON path.
/// </summary>
/// <remarks>
/// A hand-written reader rather than System.Text.Json's serializer: building the serializer's metadata
/// and converters for the small document types cost about 300 compiled methods in every run of the tool.
/// </remarks>
internal static class JsonFields
{
    private const NumberStyles NumberInString = NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint | NumberStyles.AllowExponent;

    /// <summary>The characters that make System.Text.Json write a property name in a path as <c>['name']</c>.</summary>
    private const string BracketedNameCharacters = ". '/\"[]()\t\n\r\f\b\\\u0085\u2028\u2029";

    /// <summary>Reads the root object of a text that <see cref="JsonFileScanner"/> has passed.</summary>
    /// <exception cref="JsonPathException">A property is unknown or a value has the wrong type; the path says which.</exception>
    public static T ReadRoot<T>(ReadOnlySpan<byte> utf8, JsonLevel<T> level)
        where T : new()
    {
        var reader = new Utf8JsonReader(utf8);
        reader.Read();
        return ReadObject(ref reader, "$", level);
    }

    /// <summary>Reads the object that starts at the reader's token, to its end; a property its level does not have is an error.</summary>
    public static T ReadObject<T>(ref Utf8JsonReader reader, string path, JsonLevel<T> level)
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
    public static List<T?>? ReadList<T>(ref Utf8JsonReader reader, string path, JsonLevel<T> level)
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

    public static string? ReadString(ref Utf8JsonReader reader, string path) => reader.TokenType switch
    {
        JsonTokenType.Null => null,
        JsonTokenType.String => reader.GetString(),
        _ => throw Expected(path, "a string"),
    };

    public static int? ReadWholeNumber(ref Utf8JsonReader reader, string path) => reader.TokenType switch
    {
        JsonTokenType.Null => null,
        JsonTokenType.Number when reader.TryGetInt32(out var number) => number,
        _ => throw Expected(path, "a whole number"),
    };

    public static bool? ReadBoolean(ref Utf8JsonReader reader, string path) => reader.TokenType switch
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
    public static decimal? ReadNumber(ref Utf8JsonReader reader, string path)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.Null:
                return null;
            case JsonTokenType.Number:
                return reader.TryGetDecimal(out var number)
                    ? number
                    : throw new JsonPathException(path, $"the number {Encoding.UTF8.GetString(reader.ValueSpan)} is outside the range of a decimal (about ±7.9e28)");
            case JsonTokenType.String:
                var text = reader.GetString()!;
                return decimal.TryParse(text, NumberInString, CultureInfo.InvariantCulture, out var parsed)
                    ? parsed
                    : throw new JsonPathException(path, $"expected a number, such as 1.4 or \"1.4\", but the string was '{text}'");
            default:
                throw new JsonPathException(path, $"expected a number, such as 1.4 or \"1.4\", but found {Describe(reader.TokenType)}");
        }
    }

    /// <summary>Reads an ISO date (<c>uuuu-MM-dd</c>); the message of a string that is not one says why.</summary>
    public static NodaTime.LocalDate? ReadDate(ref Utf8JsonReader reader, string path)
    {
        const string Date = "an ISO date such as 2025-08-19";
        switch (reader.TokenType)
        {
            case JsonTokenType.Null:
                return null;
            case JsonTokenType.String:
                var parsed = IsoDate.Parse(reader.GetString()!);
                return parsed.Success ? parsed.Value : throw new JsonPathException(path, $"expected {Date} ({parsed.Exception.Message})", parsed.Exception);
            default:
                throw Expected(path, Date);
        }
    }

    private static JsonPathException Expected(string path, string what) => new(path, $"expected {what}");

    /// <summary>An unknown property, at its path as System.Text.Json writes it (which differs from <see cref="Child"/> for some odd names).</summary>
    private static JsonPathException Unknown<T>(string objectPath, string name, JsonLevel<T> level) => new(
        name.Any(c => BracketedNameCharacters.Contains(c, StringComparison.Ordinal)) ? $"{objectPath}['{name}']" : $"{objectPath}.{name}",
        $"unknown property '{name}'; a {level.Noun} has {string.Join(", ", level.Properties.Select(p => p.Name))}");

    /// <summary>A JSON token for a message: "an object", "a string", "null", ….</summary>
    internal static string Describe(JsonTokenType type) => type switch
    {
        JsonTokenType.StartObject => "an object",
        JsonTokenType.StartArray => "an array",
        JsonTokenType.String => "a string",
        JsonTokenType.Number => "a number",
        JsonTokenType.True => "true",
        JsonTokenType.False => "false",
        JsonTokenType.Null => "null",
        _ => type.ToString(),
    };

    /// <summary>The path of a property, in the notation System.Text.Json uses: <c>$.name</c>, or <c>$['odd name']</c>.</summary>
    internal static string Child(string path, string name) =>
        name.Length > 0 && name.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-')
            ? $"{path}.{name}"
            : $"{path}['{name.Replace("'", "\\'", StringComparison.Ordinal)}']";

    /// <summary>An argument error's message without the " (Parameter '…')" suffix: the JSON path replaces it.</summary>
    public static string ArgumentProblem(ArgumentException e)
    {
        var suffix = $" (Parameter '{e.ParamName}')";
        var message = e is ArgumentOutOfRangeException ? e.Message.Split('\n')[0].TrimEnd('\r') : e.Message;
        return e.ParamName is not null && message.EndsWith(suffix, StringComparison.Ordinal) ? message[..^suffix.Length] : message;
    }
}
