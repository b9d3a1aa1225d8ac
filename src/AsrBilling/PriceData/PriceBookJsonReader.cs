using System.Text.Json;

namespace AsrBilling;

/// <summary>The objects of a price-book text, for <see cref="JsonFields"/> to read into <see cref="PriceBookDocument"/>s.</summary>
internal static class PriceBookJsonReader
{
    // The properties of each kind of object in the order Save writes them, each with how to read it.
    // Declared innermost first: static fields are initialized in text order.
    private static readonly JsonLevel<PriceTierDocument> Tier = new(
        "tier",
        [
            ("from", static (ref Utf8JsonReader r, string path, PriceTierDocument tier) => tier.From = JsonFields.ReadNumber(ref r, path)),
            ("unitPrice", static (ref Utf8JsonReader r, string path, PriceTierDocument tier) => tier.UnitPrice = JsonFields.ReadNumber(ref r, path)),
        ]);

    private static readonly JsonLevel<PriceTableDocument> Table = new(
        "table",
        [
            ("service", static (ref Utf8JsonReader r, string path, PriceTableDocument table) => table.Service = JsonFields.ReadString(ref r, path)),
            ("displayName", static (ref Utf8JsonReader r, string path, PriceTableDocument table) => table.DisplayName = JsonFields.ReadString(ref r, path)),
            ("currency", static (ref Utf8JsonReader r, string path, PriceTableDocument table) => table.Currency = JsonFields.ReadString(ref r, path)),
            ("tierMode", static (ref Utf8JsonReader r, string path, PriceTableDocument table) => table.TierMode = JsonFields.ReadString(ref r, path)),
            ("thresholdRule", static (ref Utf8JsonReader r, string path, PriceTableDocument table) => table.ThresholdRule = JsonFields.ReadString(ref r, path)),
            ("tierWindow", static (ref Utf8JsonReader r, string path, PriceTableDocument table) => table.TierWindow = JsonFields.ReadString(ref r, path)),
            ("billingIncrementSeconds", static (ref Utf8JsonReader r, string path, PriceTableDocument table) => table.BillingIncrementSeconds = JsonFields.ReadWholeNumber(ref r, path)),
            ("minimumSecondsPerRecord", static (ref Utf8JsonReader r, string path, PriceTableDocument table) => table.MinimumSecondsPerRecord = JsonFields.ReadWholeNumber(ref r, path)),
            ("freeHoursPerMonth", static (ref Utf8JsonReader r, string path, PriceTableDocument table) => table.FreeHoursPerMonth = JsonFields.ReadNumber(ref r, path)),
            ("freeHoursCountTowardTier", static (ref Utf8JsonReader r, string path, PriceTableDocument table) => table.FreeHoursCountTowardTier = JsonFields.ReadBoolean(ref r, path)),
            ("packHoursCountTowardTier", static (ref Utf8JsonReader r, string path, PriceTableDocument table) => table.PackHoursCountTowardTier = JsonFields.ReadBoolean(ref r, path)),
            ("effectiveFrom", static (ref Utf8JsonReader r, string path, PriceTableDocument table) => table.EffectiveFrom = JsonFields.ReadDate(ref r, path)),
            ("source", static (ref Utf8JsonReader r, string path, PriceTableDocument table) => table.Source = JsonFields.ReadString(ref r, path)),
            ("tiers", static (ref Utf8JsonReader r, string path, PriceTableDocument table) => table.Tiers = JsonFields.ReadList(ref r, path, Tier)),
        ]);

    public static readonly JsonLevel<PriceBookDocument> Book = new(
        "price book",
        [
            // PriceBookJson has checked the header: a string and the number 1.
            ("format", static (ref Utf8JsonReader _, string _, PriceBookDocument _) => { }),
            ("version", static (ref Utf8JsonReader _, string _, PriceBookDocument _) => { }),
            ("name", static (ref Utf8JsonReader r, string path, PriceBookDocument book) => book.Name = JsonFields.ReadString(ref r, path)),
            ("tables", static (ref Utf8JsonReader r, string path, PriceBookDocument book) => book.Tables = JsonFields.ReadList(ref r, path, Table)),
        ]);
}
