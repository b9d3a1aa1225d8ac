namespace AsrBilling;

// The pack-offer JSON as plain data, as PackOfferJsonReader declares it for JsonFields (the header,
// format and version, is checked before). Every member is nullable so that a missing field reads as
// null and PackOfferJson reports it with its path.

/// <summary>The root object of a pack-offer JSON text.</summary>
internal sealed class PackOfferFileDocument
{
    public string? Name { get; set; }

    public string? Source { get; set; }

    public List<PackOfferDocument?>? Offers { get; set; }
}

/// <summary>One offer, as written in the file.</summary>
internal sealed class PackOfferDocument
{
    public string? Name { get; set; }

    public string? Service { get; set; }

    public decimal? Hours { get; set; }

    public decimal? Price { get; set; }

    public string? Currency { get; set; }

    public string? Validity { get; set; }
}
