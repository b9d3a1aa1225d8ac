using System.Text.Json;

namespace AsrBilling;

/// <summary>The objects of a pack-file text, for <see cref="JsonFields"/> to read into <see cref="ResourcePackDocument"/>s.</summary>
internal static class ResourcePackJsonReader
{
    // The properties of each kind of object in the order Save writes them, each with how to read it.
    // Declared innermost first: static fields are initialized in text order.
    private static readonly JsonLevel<ResourcePackDocument> Pack = new(
        "pack",
        [
            ("id", static (ref Utf8JsonReader r, string path, ResourcePackDocument pack) => pack.Id = JsonFields.ReadString(ref r, path)),
            ("service", static (ref Utf8JsonReader r, string path, ResourcePackDocument pack) => pack.Service = JsonFields.ReadString(ref r, path)),
            ("hours", static (ref Utf8JsonReader r, string path, ResourcePackDocument pack) => pack.Hours = JsonFields.ReadNumber(ref r, path)),
            ("validFrom", static (ref Utf8JsonReader r, string path, ResourcePackDocument pack) => pack.ValidFrom = JsonFields.ReadDate(ref r, path)),
            ("validTo", static (ref Utf8JsonReader r, string path, ResourcePackDocument pack) => pack.ValidTo = JsonFields.ReadDate(ref r, path)),
            ("price", static (ref Utf8JsonReader r, string path, ResourcePackDocument pack) => pack.Price = JsonFields.ReadNumber(ref r, path)),
            ("currency", static (ref Utf8JsonReader r, string path, ResourcePackDocument pack) => pack.Currency = JsonFields.ReadString(ref r, path)),
            ("account", static (ref Utf8JsonReader r, string path, ResourcePackDocument pack) => pack.Account = JsonFields.ReadString(ref r, path)),
        ]);

    public static readonly JsonLevel<PackFileDocument> File = new(
        "pack file",
        [
            // JsonFileFormat has checked the header: a string and the number 1.
            ("format", static (ref Utf8JsonReader _, string _, PackFileDocument _) => { }),
            ("version", static (ref Utf8JsonReader _, string _, PackFileDocument _) => { }),
            ("packs", static (ref Utf8JsonReader r, string path, PackFileDocument file) => file.Packs = JsonFields.ReadList(ref r, path, Pack)),
        ]);
}
