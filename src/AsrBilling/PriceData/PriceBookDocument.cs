using NodaTime;

namespace AsrBilling;

// The price-book JSON as plain data, as PriceBookJsonReader declares it for JsonFields (the header, format and
// version, is checked before). Every member is nullable so
// that a missing field reads as null and PriceBookJson reports it with its path.

/// <summary>The root object of a price-book JSON text.</summary>
internal sealed class PriceBookDocument
{
    public string? Name { get; set; }

    public List<PriceTableDocument?>? Tables { get; set; }
}

/// <summary>One price table: a service's tiers and rules from an effective date.</summary>
internal sealed class PriceTableDocument
{
    public string? Service { get; set; }

    public string? DisplayName { get; set; }

    public string? Currency { get; set; }

    public string? TierMode { get; set; }

    public string? ThresholdRule { get; set; }

    public string? TierWindow { get; set; }

    public int? BillingIncrementSeconds { get; set; }

    public int? MinimumSecondsPerRecord { get; set; }

    public decimal? FreeHoursPerMonth { get; set; }

    public bool? FreeHoursCountTowardTier { get; set; }

    public bool? PackHoursCountTowardTier { get; set; }

    public LocalDate? EffectiveFrom { get; set; }

    public string? Source { get; set; }

    public List<PriceTierDocument?>? Tiers { get; set; }
}

/// <summary>One tier: its threshold in hours and its price per hour.</summary>
internal sealed class PriceTierDocument
{
    public decimal? From { get; set; }

    public decimal? UnitPrice { get; set; }
}
