namespace AsrBilling;

/// <summary>
/// A pack-file JSON text breaks the format: it is not well-formed JSON, names another format or
/// version, misses a field, holds a value of the wrong type, or describes a pack that breaks a rule
/// (hours not positive, dates in the wrong order, an unknown service, a repeated id, …).
/// </summary>
/// <remarks>
/// The message starts with the JSON path of the offending value, then states the rule that was
/// broken, for example <c>$.packs[2].validTo: 2026-01-01 is before validFrom 2026-12-31; …</c>.
/// </remarks>
public sealed class ResourcePackFormatException : AsrBillingException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="path">The JSON path of the offending value, such as <c>$.packs[2].validTo</c>; <c>$</c> for the whole text.</param>
    /// <param name="problem">The rule that was broken, and by which value.</param>
    /// <param name="innerException">The underlying error, if any.</param>
    public ResourcePackFormatException(string path, string problem, Exception? innerException = null)
        : base($"{path}: {problem}", innerException)
    {
        Path = path;
    }

    /// <summary>The JSON path of the offending value, such as <c>$.packs[2].validTo</c>; <c>$</c> for the whole text.</summary>
    public string Path { get; }
}
