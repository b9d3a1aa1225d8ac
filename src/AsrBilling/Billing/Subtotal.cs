using System.Globalization;

namespace AsrBilling;

/// <summary>
/// A sum of a bill's rounded charges that share a key: an account, a service id, or a calendar
/// month (<c>2025-09</c>), or, in a cost allocation, a tag. Fees of different currencies are never
/// added: each currency has its own subtotal.
/// </summary>
/// <remarks>
/// An empty key is the default account, or, in an allocation by tag, the untagged usage; it prints as
/// <c>(default account)</c> or <c>(none)</c>. Equality compares the key, fee, seconds and charge count.
/// </remarks>
public readonly struct Subtotal : IEquatable<Subtotal>
{
    /// <summary>Creates a subtotal.</summary>
    /// <param name="key">The account, service id or month the charges share.</param>
    /// <param name="fee">The sum of the rounded fees.</param>
    /// <param name="billableSeconds">The sum of the billable seconds.</param>
    /// <param name="charges">How many charges were added.</param>
    public Subtotal(string key, Money fee, long billableSeconds, int charges)
        : this(key, fee, billableSeconds, charges, DefaultAccount)
    {
    }

    /// <summary>Creates a subtotal whose empty key prints as <paramref name="emptyKeyLabel"/>.</summary>
    internal Subtotal(string key, Money fee, long billableSeconds, int charges, string emptyKeyLabel)
    {
        _key = key;
        Fee = fee;
        BillableSeconds = billableSeconds;
        Charges = charges;
        _emptyKeyLabel = emptyKeyLabel;
    }

    /// <summary>How an empty account key prints.</summary>
    internal const string DefaultAccount = "(default account)";

    /// <summary>How an empty tag key prints: no tag.</summary>
    internal const string NoTag = "(none)";

    private readonly string? _key;
    private readonly string? _emptyKeyLabel;

    /// <summary>The account, service id, month or tag the charges share; empty for the default account or untagged usage.</summary>
    public string Key => _key ?? string.Empty;

    /// <summary>The sum of the rounded fees.</summary>
    public Money Fee { get; }

    /// <summary>The sum of the billable seconds.</summary>
    public long BillableSeconds { get; }

    /// <summary>How many charges were added.</summary>
    public int Charges { get; }

    /// <inheritdoc />
    public bool Equals(Subtotal other) =>
        string.Equals(Key, other.Key, StringComparison.Ordinal) && Fee == other.Fee && BillableSeconds == other.BillableSeconds && Charges == other.Charges;

    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is Subtotal other && Equals(other);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Key, Fee, BillableSeconds, Charges);

    /// <summary>
    /// Formats invariantly: <c>acme: 12.30 USD (3 charges, 36000 s)</c>; an empty key shows as
    /// <c>(default account)</c>, or as <c>(none)</c> for the untagged part of an allocation by tag.
    /// </summary>
    /// <returns>The subtotal as text.</returns>
    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"{(Key.Length == 0 ? _emptyKeyLabel ?? DefaultAccount : Key)}: {Fee} ({TextCount.Of(Charges, "charge")}, {BillableSeconds} s)");

    /// <summary>Compares two subtotals.</summary>
    /// <param name="left">The first subtotal.</param>
    /// <param name="right">The second subtotal.</param>
    /// <returns>Whether they are equal.</returns>
    public static bool operator ==(Subtotal left, Subtotal right) => left.Equals(right);

    /// <summary>Compares two subtotals.</summary>
    /// <param name="left">The first subtotal.</param>
    /// <param name="right">The second subtotal.</param>
    /// <returns>Whether they differ.</returns>
    public static bool operator !=(Subtotal left, Subtotal right) => !left.Equals(right);
}
