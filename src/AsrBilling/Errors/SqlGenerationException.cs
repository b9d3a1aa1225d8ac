namespace AsrBilling;

/// <summary>
/// A price book, zone or table that a SQL dialect cannot express exactly, so no query is written:
/// the generated SQL never approximates a rule of the library.
/// </summary>
public sealed class SqlGenerationException : AsrBillingException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">What cannot be expressed, and why.</param>
    /// <param name="dialect">The dialect asked for, as its name.</param>
    public SqlGenerationException(string message, string dialect)
        : base(message)
    {
        Dialect = dialect;
    }

    /// <summary>The dialect asked for, as its name (<c>ClickHouse</c> or <c>DuckDb</c>).</summary>
    public string Dialect { get; }
}
