using NodaTime;

namespace AsrBilling;

// The pack-file JSON as plain data, as ResourcePackJsonReader declares it for JsonFields (the header,
// format and version, is checked before). Every member is nullable so that a missing field reads as
// null and ResourcePackJson reports it with its path.

/// <summary>The root object of a pack-file JSON text.</summary>
internal sealed class PackFileDocument
{
    public List<ResourcePackDocument?>? Packs { get; set; }
}

/// <summary>One pack, as written in the file.</summary>
internal sealed class ResourcePackDocument
{
    public string? Id { get; set; }

    public string? Service { get; set; }

    public decimal? Hours { get; set; }

    public LocalDate? ValidFrom { get; set; }

    public LocalDate? ValidTo { get; set; }

    public decimal? Price { get; set; }

    public string? Currency { get; set; }

    public string? Account { get; set; }
}
