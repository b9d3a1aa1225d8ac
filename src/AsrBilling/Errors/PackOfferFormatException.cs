namespace AsrBilling;

/// <summary>
/// A pack-offer JSON text breaks the format: it is not well-formed JSON, names another format or
/// version, misses a field, holds a value of the wrong type, or describes an offer that breaks a rule
/// (hours not positive, a negative price, a currency other than the price book's, an unknown service, a
/// repeated name, …).
/// </summary>
/// <remarks>
/// The message starts with the JSON path of the offending value, then states the rule that was
/// broken, for example <c>$.offers[1].currency: USD, but the price book '…' prices real-time in CNY; …</c>.
/// </remarks>
public sealed class PackOfferFormatException : AsrBillingException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="path">The JSON path of the offending value, such as <c>$.offers[1].hours</c>; <c>$</c> for the whole text.</param>
    /// <param name="problem">The rule that was broken, and by which value.</param>
    /// <param name="innerException">The underlying error, if any.</param>
    public PackOfferFormatException(string path, string problem, Exception? innerException = null)
        : base($"{path}: {problem}", innerException)
    {
        Path = path;
    }

    /// <summary>The JSON path of the offending value, such as <c>$.offers[1].hours</c>; <c>$</c> for the whole text.</summary>
    public string Path { get; }
}
