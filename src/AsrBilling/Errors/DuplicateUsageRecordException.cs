namespace AsrBilling;

/// <summary>
/// Two usage records carry the same id (billing rule 10). The message names the id and both
/// occurrences, as record positions or input lines.
/// </summary>
public sealed class DuplicateUsageRecordException : AsrBillingException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="id">The repeated id.</param>
    /// <param name="firstPosition">Where the id first occurred (1-based).</param>
    /// <param name="secondPosition">Where it occurred again (1-based).</param>
    /// <param name="positionName">What a position counts, for the message: "record" or "line".</param>
    public DuplicateUsageRecordException(string id, long firstPosition, long secondPosition, string positionName = "record")
        : base($"Duplicate record id '{id}': {positionName} {secondPosition} repeats {positionName} {firstPosition}. Remove it, or ignore duplicates to keep the first.")
    {
        Id = id;
        FirstPosition = firstPosition;
        SecondPosition = secondPosition;
    }

    /// <summary>The repeated id.</summary>
    public string Id { get; }

    /// <summary>Where the id first occurred (1-based record position or line number).</summary>
    public long FirstPosition { get; }

    /// <summary>Where it occurred again (1-based record position or line number).</summary>
    public long SecondPosition { get; }
}
