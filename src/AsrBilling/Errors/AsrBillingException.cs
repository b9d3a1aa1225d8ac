namespace AsrBilling;

/// <summary>
/// The base of every domain error the library throws: bad price data, a missing price version,
/// duplicate usage, or a total out of range. Argument errors use the BCL's own types.
/// </summary>
public abstract class AsrBillingException : Exception
{
    /// <summary>Creates the exception with a message that names the problem and where it is.</summary>
    /// <param name="message">The message.</param>
    /// <param name="innerException">The underlying error, if any.</param>
    protected AsrBillingException(string message, Exception? innerException = null)
        : base(message, innerException)
    {
    }
}
