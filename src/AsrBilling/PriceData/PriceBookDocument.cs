using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using NodaTime;

namespace AsrBilling;

// The price-book JSON as plain data, read and written by System.Text.Json's source generator.
// Every member is nullable so that a missing field reads as null and PriceBookJson reports it with
// its path; the declaration order is the order Save writes.

/// <summary>The root object of a price-book JSON text.</summary>
internal sealed class PriceBookDocument
{
    [JsonPropertyName("format")]
    public string? Format { get; set; }

    [JsonPropertyName("version")]
    public int? Version { get; set; }

    [JsonPropertyName("name")]
    public string? Name { get; set; }

    [JsonPropertyName("tables")]
    public List<PriceTableDocument?>? Tables { get; set; }
}

/// <summary>One price table: a service's tiers and rules from an effective date.</summary>
internal sealed class PriceTableDocument
{
    [JsonPropertyName("service")]
    public string? Service { get; set; }

    [JsonPropertyName("displayName")]
    public string? DisplayName { get; set; }

    [JsonPropertyName("currency")]
    public string? Currency { get; set; }

    [JsonPropertyName("tierMode")]
    public string? TierMode { get; set; }

    [JsonPropertyName("thresholdRule")]
    public string? ThresholdRule { get; set; }

    [JsonPropertyName("tierWindow")]
    public string? TierWindow { get; set; }

    [JsonPropertyName("billingIncrementSeconds")]
    public int? BillingIncrementSeconds { get; set; }

    [JsonPropertyName("minimumSecondsPerRecord")]
    public int? MinimumSecondsPerRecord { get; set; }

    [JsonPropertyName("freeHoursPerMonth")]
    public decimal? FreeHoursPerMonth { get; set; }

    [JsonPropertyName("freeHoursCountTowardTier")]
    public bool? FreeHoursCountTowardTier { get; set; }

    [JsonPropertyName("effectiveFrom")]
    public LocalDate? EffectiveFrom { get; set; }

    [JsonPropertyName("source")]
    public string? Source { get; set; }

    [JsonPropertyName("tiers")]
    public List<PriceTierDocument?>? Tiers { get; set; }
}

/// <summary>One tier: its threshold in hours and its price per hour.</summary>
internal sealed class PriceTierDocument
{
    [JsonPropertyName("from")]
    public decimal? From { get; set; }

    [JsonPropertyName("unitPrice")]
    public decimal? UnitPrice { get; set; }
}

/// <summary>
/// Source-generated metadata for the price-book documents. Unknown properties are errors: a
/// misspelt rule (<c>"tierMod"</c>) must not silently fall back to a default.
/// </summary>
[JsonSourceGenerationOptions(WriteIndented = true, UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow)]
[JsonSerializable(typeof(PriceBookDocument))]
internal sealed partial class PriceBookJsonContext : JsonSerializerContext;

/// <summary>
/// Reads a <see cref="decimal"/> straight from the JSON text, never through <see cref="double"/>:
/// a JSON number, or a string holding one (<c>"1.4"</c>). Writes a JSON number from the decimal,
/// so 1.4 stays 1.4 and 0.86 stays 0.86.
/// </summary>
internal sealed class ExactDecimalJsonConverter : JsonConverter<decimal>
{
    private const NumberStyles Styles = NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint | NumberStyles.AllowExponent;

    public override decimal Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.Number:
                return reader.TryGetDecimal(out var number)
                    ? number
                    : throw new PriceBookValueException($"the number {System.Text.Encoding.UTF8.GetString(reader.ValueSpan)} is outside the range of a decimal (about ±7.9e28)");
            case JsonTokenType.String:
                var text = reader.GetString()!;
                return decimal.TryParse(text, Styles, CultureInfo.InvariantCulture, out var parsed)
                    ? parsed
                    : throw new PriceBookValueException($"expected a number, such as 1.4 or \"1.4\", but the string was '{text}'");
            default:
                throw new PriceBookValueException($"expected a number, such as 1.4 or \"1.4\", but found {PriceBookJson.Describe(reader.TokenType)}");
        }
    }

    public override void Write(Utf8JsonWriter writer, decimal value, JsonSerializerOptions options) => writer.WriteNumberValue(value);
}

/// <summary>A value that a converter of ours rejected; its message is already the rule, and System.Text.Json adds the path.</summary>
internal sealed class PriceBookValueException(string message) : JsonException(message);
