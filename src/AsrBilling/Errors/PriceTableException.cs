namespace AsrBilling;

/// <summary>
/// A price tier, table or book breaks a rule: tiers must start at 0 h with strictly ascending,
/// contiguous thresholds, prices must not be negative, a table has one currency, and a book has
/// one table per service and effective date.
/// </summary>
public sealed class PriceTableException : AsrBillingException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">What rule was broken, and by which value.</param>
    /// <param name="serviceId">The service of the offending table, if known.</param>
    /// <param name="tierNumber">The 1-based number of the offending tier, if the error is about one tier.</param>
    public PriceTableException(string message, string? serviceId = null, int? tierNumber = null)
        : base(message)
    {
        ServiceId = serviceId;
        TierNumber = tierNumber;
    }

    /// <summary>The service id of the offending table, or null when not known.</summary>
    public string? ServiceId { get; }

    /// <summary>The 1-based number of the offending tier, or null when the error is not about one tier.</summary>
    public int? TierNumber { get; }
}
