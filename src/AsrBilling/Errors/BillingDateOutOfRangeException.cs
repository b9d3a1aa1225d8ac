using NodaTime;
using NodaTime.Text;

namespace AsrBilling;

/// <summary>
/// Usage starts at an instant whose billing date in the billing zone is outside the calendar
/// (-9998-01-01 to 9999-12-31): 9999-12-31T23:59:59Z is already 10000-01-01 in Asia/Shanghai.
/// </summary>
public sealed class BillingDateOutOfRangeException : AsrBillingException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="start">When the usage started.</param>
    /// <param name="zoneId">The billing zone's id.</param>
    public BillingDateOutOfRangeException(Instant start, string zoneId)
        : base(Describe(start, zoneId))
    {
        Start = start;
        ZoneId = zoneId;
    }

    /// <summary>When the usage started.</summary>
    public Instant Start { get; }

    /// <summary>The billing zone's id.</summary>
    public string ZoneId { get; }

    /// <summary>Why a start cannot be dated: which end of the calendar it falls past, in which zone.</summary>
    private static string Describe(Instant start, string zoneId)
    {
        var late = start > Instant.FromUtc(2000, 1, 1, 0, 0);
        var (side, date, end) = late ? ("after", "9999-12-31", "last") : ("before", "-9998-01-01", "first");
        return $"The usage starting at {InstantPattern.ExtendedIso.Format(start)} falls {side} {date} in {zoneId}, the {end} billing date the calendar holds.";
    }
}
