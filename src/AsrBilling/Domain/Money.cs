using System.Globalization;

namespace AsrBilling;

/// <summary>
/// An exact <see cref="decimal"/> amount of money in one ISO 4217 currency.
/// </summary>
/// <remarks>
/// Two values are equal when their currencies are equal and their amounts are numerically equal
/// (<c>378.00 USD</c> equals <c>378.0 USD</c>). Arithmetic between different currencies throws.
/// The default value is zero in the "no currency" code <c>XXX</c>.
/// </remarks>
public readonly struct Money : IEquatable<Money>, IComparable<Money>
{
    private const string NoCurrency = "XXX";
    private readonly string? _currency;

    /// <summary>Creates an amount in a currency.</summary>
    /// <param name="amount">The amount; any sign.</param>
    /// <param name="currency">A three-letter upper-case ISO 4217 code, for example <c>USD</c>.</param>
    /// <exception cref="ArgumentNullException"><paramref name="currency"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="currency"/> is not three upper-case ASCII letters.</exception>
    public Money(decimal amount, string currency)
    {
        ValidateCurrency(currency, nameof(currency));
        Amount = amount;
        _currency = currency;
    }

    private Money(decimal amount, string currency, bool trusted)
    {
        _ = trusted;
        Amount = amount;
        _currency = currency;
    }

    /// <summary>The exact amount, as given or computed; never rounded implicitly.</summary>
    public decimal Amount { get; }

    /// <summary>The ISO 4217 currency code, for example <c>USD</c>.</summary>
    /// <value>The default is <c>XXX</c> (no currency) for <c>default(Money)</c>.</value>
    public string Currency => _currency ?? NoCurrency;

    /// <summary>Zero in the given currency.</summary>
    /// <param name="currency">A three-letter upper-case ISO 4217 code.</param>
    /// <returns>A zero amount.</returns>
    /// <exception cref="ArgumentException"><paramref name="currency"/> is not a valid code.</exception>
    public static Money Zero(string currency) => new(0m, currency);

    /// <summary>Creates an amount in a currency already validated (a price table's).</summary>
    internal static Money Trusted(decimal amount, string currency) => new(amount, currency, trusted: true);

    /// <summary>
    /// Rounds to a whole number of cents (two decimals), half away from zero, as Tencent rounds a fee
    /// (billing rule 5).
    /// </summary>
    /// <returns>The rounded amount in the same currency.</returns>
    /// <remarks>The result always has exactly two decimals: 378.0 becomes 378.00.</remarks>
    public Money RoundToCents() => new(Math.Round(Amount, 2, MidpointRounding.AwayFromZero) + 0.00m, Currency, trusted: true);

    /// <summary>Adds two amounts of one currency.</summary>
    /// <param name="left">The first amount.</param>
    /// <param name="right">The second amount.</param>
    /// <returns>The exact sum.</returns>
    /// <exception cref="InvalidOperationException">The currencies differ.</exception>
    /// <exception cref="OverflowException">The sum is outside the range of <see cref="decimal"/>.</exception>
    public static Money operator +(Money left, Money right) =>
        new(left.Amount + right.Amount, SameCurrency(left, right, "add"), trusted: true);

    /// <summary>Subtracts two amounts of one currency.</summary>
    /// <param name="left">The amount to subtract from.</param>
    /// <param name="right">The amount to subtract.</param>
    /// <returns>The exact difference.</returns>
    /// <exception cref="InvalidOperationException">The currencies differ.</exception>
    /// <exception cref="OverflowException">The difference is outside the range of <see cref="decimal"/>.</exception>
    public static Money operator -(Money left, Money right) =>
        new(left.Amount - right.Amount, SameCurrency(left, right, "subtract"), trusted: true);

    /// <summary>Adds two amounts of one currency.</summary>
    /// <param name="other">The amount to add.</param>
    /// <returns>The exact sum.</returns>
    /// <exception cref="InvalidOperationException">The currencies differ.</exception>
    public Money Add(Money other) => this + other;

    /// <summary>Subtracts an amount of the same currency.</summary>
    /// <param name="other">The amount to subtract.</param>
    /// <returns>The exact difference.</returns>
    /// <exception cref="InvalidOperationException">The currencies differ.</exception>
    public Money Subtract(Money other) => this - other;

    /// <inheritdoc />
    public bool Equals(Money other) => Amount == other.Amount && string.Equals(Currency, other.Currency, StringComparison.Ordinal);

    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is Money other && Equals(other);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Amount, Currency);

    /// <summary>Compares amounts of one currency.</summary>
    /// <param name="other">An amount in the same currency.</param>
    /// <returns>The sign of this amount minus <paramref name="other"/>.</returns>
    /// <exception cref="InvalidOperationException">The currencies differ.</exception>
    public int CompareTo(Money other)
    {
        _ = SameCurrency(this, other, "compare");
        return Amount.CompareTo(other.Amount);
    }

    /// <summary>
    /// Formats invariantly with at least two decimals and as many more as the exact amount has,
    /// then the currency: <c>378.00 USD</c>, <c>0.105 USD</c>.
    /// </summary>
    /// <returns>The formatted amount.</returns>
    public override string ToString() => FormatAmount(Amount) + " " + Currency;

    /// <summary>Formats the amount alone, invariantly, with at least two decimals: <c>1.20</c>, <c>0.105</c>.</summary>
    /// <returns>The formatted amount, without the currency.</returns>
    public string ToAmountString() => FormatAmount(Amount);

    internal static string FormatAmount(decimal amount) =>
        amount.ToString("0.00##########################", CultureInfo.InvariantCulture);

    /// <summary>Compares two amounts for equality.</summary>
    /// <param name="left">The first amount.</param>
    /// <param name="right">The second amount.</param>
    /// <returns>Whether currency and amount are equal.</returns>
    public static bool operator ==(Money left, Money right) => left.Equals(right);

    /// <summary>Compares two amounts for inequality.</summary>
    /// <param name="left">The first amount.</param>
    /// <param name="right">The second amount.</param>
    /// <returns>Whether currency or amount differ.</returns>
    public static bool operator !=(Money left, Money right) => !left.Equals(right);

    /// <summary>Compares two amounts of one currency.</summary>
    /// <param name="left">The first amount.</param>
    /// <param name="right">The second amount.</param>
    /// <returns>Whether <paramref name="left"/> is smaller.</returns>
    /// <exception cref="InvalidOperationException">The currencies differ.</exception>
    public static bool operator <(Money left, Money right) => left.CompareTo(right) < 0;

    /// <summary>Compares two amounts of one currency.</summary>
    /// <param name="left">The first amount.</param>
    /// <param name="right">The second amount.</param>
    /// <returns>Whether <paramref name="left"/> is larger.</returns>
    /// <exception cref="InvalidOperationException">The currencies differ.</exception>
    public static bool operator >(Money left, Money right) => left.CompareTo(right) > 0;

    /// <summary>Compares two amounts of one currency.</summary>
    /// <param name="left">The first amount.</param>
    /// <param name="right">The second amount.</param>
    /// <returns>Whether <paramref name="left"/> is smaller or equal.</returns>
    /// <exception cref="InvalidOperationException">The currencies differ.</exception>
    public static bool operator <=(Money left, Money right) => left.CompareTo(right) <= 0;

    /// <summary>Compares two amounts of one currency.</summary>
    /// <param name="left">The first amount.</param>
    /// <param name="right">The second amount.</param>
    /// <returns>Whether <paramref name="left"/> is larger or equal.</returns>
    /// <exception cref="InvalidOperationException">The currencies differ.</exception>
    public static bool operator >=(Money left, Money right) => left.CompareTo(right) >= 0;

    internal static void ValidateCurrency(string currency, string paramName)
    {
        ArgumentNullException.ThrowIfNull(currency, paramName);
        if (currency.Length != 3 || !currency.All(char.IsAsciiLetterUpper))
        {
            throw new ArgumentException(
                $"Currency should be a three-letter upper-case ISO 4217 code such as USD, but was '{currency}'.", paramName);
        }
    }

    private static string SameCurrency(Money left, Money right, string operation) =>
        string.Equals(left.Currency, right.Currency, StringComparison.Ordinal)
            ? left.Currency
            : throw new InvalidOperationException(
                $"Cannot {operation} amounts in different currencies: {left} and {right}.");
}
