using System.Text.Json;

namespace AsrBilling;

/// <summary>The objects of a pack-offer text, for <see cref="JsonFields"/> to read into <see cref="PackOfferDocument"/>s.</summary>
internal static class PackOfferJsonReader
{
    // The properties of each kind of object in the order Save writes them, each with how to read it.
    // Declared innermost first: static fields are initialized in text order.
    private static readonly JsonLevel<PackOfferDocument> Offer = new(
        "pack offer",
        [
            ("name", static (ref Utf8JsonReader r, string path, PackOfferDocument offer) => offer.Name = JsonFields.ReadString(ref r, path)),
            ("service", static (ref Utf8JsonReader r, string path, PackOfferDocument offer) => offer.Service = JsonFields.ReadString(ref r, path)),
            ("hours", static (ref Utf8JsonReader r, string path, PackOfferDocument offer) => offer.Hours = JsonFields.ReadNumber(ref r, path)),
            ("price", static (ref Utf8JsonReader r, string path, PackOfferDocument offer) => offer.Price = JsonFields.ReadNumber(ref r, path)),
            ("currency", static (ref Utf8JsonReader r, string path, PackOfferDocument offer) => offer.Currency = JsonFields.ReadString(ref r, path)),
            ("validity", static (ref Utf8JsonReader r, string path, PackOfferDocument offer) => offer.Validity = JsonFields.ReadString(ref r, path)),
        ]);

    public static readonly JsonLevel<PackOfferFileDocument> File = new(
        "pack-offer file",
        [
            // JsonFileFormat has checked the header: a string and the number 1.
            ("format", static (ref Utf8JsonReader _, string _, PackOfferFileDocument _) => { }),
            ("version", static (ref Utf8JsonReader _, string _, PackOfferFileDocument _) => { }),
            ("name", static (ref Utf8JsonReader r, string path, PackOfferFileDocument file) => file.Name = JsonFields.ReadString(ref r, path)),
            ("source", static (ref Utf8JsonReader r, string path, PackOfferFileDocument file) => file.Source = JsonFields.ReadString(ref r, path)),
            ("offers", static (ref Utf8JsonReader r, string path, PackOfferFileDocument file) => file.Offers = JsonFields.ReadList(ref r, path, Offer)),
        ]);
}
