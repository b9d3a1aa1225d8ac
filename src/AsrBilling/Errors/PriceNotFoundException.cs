using NodaTime;

namespace AsrBilling;

/// <summary>
/// No price version is in force for a service on a billing date: the date is before the earliest
/// version, or the price book has no table for the service (billing rule 8).
/// </summary>
public sealed class PriceNotFoundException : AsrBillingException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">The message, naming the service, the date and the earliest version.</param>
    /// <param name="serviceId">The service id that was priced.</param>
    /// <param name="date">The billing date that has no price.</param>
    /// <param name="earliestEffectiveFrom">The earliest version's effective date, or null when the book has no table for the service.</param>
    public PriceNotFoundException(string message, string serviceId, LocalDate date, LocalDate? earliestEffectiveFrom)
        : base(message)
    {
        ServiceId = serviceId;
        Date = date;
        EarliestEffectiveFrom = earliestEffectiveFrom;
    }

    /// <summary>The service id that was priced.</summary>
    public string ServiceId { get; }

    /// <summary>The billing date that has no price.</summary>
    public LocalDate Date { get; }

    /// <summary>The earliest version's effective date, or null when the book has no table for the service.</summary>
    public LocalDate? EarliestEffectiveFrom { get; }
}
