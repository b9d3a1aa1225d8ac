namespace AsrBilling;

/// <summary>
/// A price-book JSON text breaks the format: it is not well-formed JSON, names another format or
/// version, misses a field, holds a value of the wrong type, or describes prices that break a rule
/// (thresholds not ascending, a negative price, two tables for one service and date, …).
/// </summary>
/// <remarks>
/// The message starts with the JSON path of the offending value, then states the rule that was
/// broken, for example <c>$.tables[1].tiers[2].from: thresholds must be strictly ascending (300 after 1000)</c>.
/// </remarks>
public sealed class PriceBookFormatException : AsrBillingException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="path">The JSON path of the offending value, such as <c>$.tables[1].tiers[2].from</c>; <c>$</c> for the whole text.</param>
    /// <param name="problem">The rule that was broken, and by which value.</param>
    /// <param name="innerException">The underlying error, if any.</param>
    public PriceBookFormatException(string path, string problem, Exception? innerException = null)
        : base($"{path}: {problem}", innerException)
    {
        Path = path;
    }

    /// <summary>The JSON path of the offending value, such as <c>$.tables[1].tiers[2].from</c>; <c>$</c> for the whole text.</summary>
    public string Path { get; }
}
