using System.Globalization;

namespace AsrBilling;

/// <summary>What a bill's charges are split by.</summary>
public enum AllocationKey
{
    /// <summary>The tags of the usage: each charge is split among its tags by their billable seconds; untagged seconds form a part with an empty key.</summary>
    Tag = 0,

    /// <summary>The billing accounts: each charge goes whole to its account.</summary>
    Account = 1,
}

/// <summary>One part of one charge: what one tag (or account) owes of it. Built when it is read from <see cref="AllocationStatement.Lines"/>.</summary>
public sealed class AllocationLine : IEquatable<AllocationLine>
{
    private readonly AllocationStatement _statement;
    private readonly int _index;

    internal AllocationLine(AllocationStatement statement, int index)
    {
        _statement = statement;
        _index = index;
    }

    /// <summary>The tag or account; empty for untagged usage (or the default account).</summary>
    public string Key => _statement.KeyAt(_index);

    /// <summary>The charge the part comes from.</summary>
    public BillCharge Charge => _statement.Bill.Charges[ChargeIndex];

    /// <summary>
    /// Where <see cref="Charge"/> is in the bill's <see cref="Bill.Charges"/>: the lines of one charge
    /// share it, so a caller can group them without building and comparing charges.
    /// </summary>
    public int ChargeIndex => _statement.ChargeAt(_index);

    /// <summary>The part's billable seconds.</summary>
    public long BillableSeconds => _statement.SecondsAt(_index);

    /// <summary>The part's share of the charge's seconds, from 0 to 1 (exact to 28 digits); 1 for a charge of no seconds.</summary>
    public decimal Share
    {
        get
        {
            var chargeSeconds = _statement.Bill.SecondsOf(ChargeIndex);
            return chargeSeconds == 0 ? 1m : (decimal)BillableSeconds / chargeSeconds;
        }
    }

    /// <summary>The part's fee, in whole cents; the parts of a charge add up to its fee exactly.</summary>
    public Money Fee => _statement.FeeAt(_index);

    /// <summary>The key as people read it: <c>(none)</c> for no tag, <c>(default account)</c> for the default account.</summary>
    internal string KeyText => Key.Length > 0 ? Key : EmptyKeyLabel(_statement.By);

    /// <summary>
    /// Formats invariantly: <c>support: 2025-09-02 acme real-time 1800 s of 3600 s = 0.70 USD</c>; no tag
    /// shows as <c>(none)</c>, the default account as <c>(default account)</c>.
    /// </summary>
    /// <returns>The part as text.</returns>
    public override string ToString()
    {
        var charge = Charge;
        return string.Create(
            CultureInfo.InvariantCulture,
            $"{KeyText}: {charge.Period} {(charge.Account.Length == 0 ? Subtotal.DefaultAccount : charge.Account)} {charge.Service.Id} {BillableSeconds} s of {charge.BillableSeconds} s = {Fee}");
    }

    /// <summary>How an empty key prints under an allocation by tags or by accounts.</summary>
    internal static string EmptyKeyLabel(AllocationKey by) => by == AllocationKey.Tag ? Subtotal.NoTag : Subtotal.DefaultAccount;

    /// <summary>Whether both are the same part of the same statement.</summary>
    /// <param name="other">Another line.</param>
    /// <returns>True when both read the same part.</returns>
    public bool Equals(AllocationLine? other) => other is not null && ReferenceEquals(_statement, other._statement) && _index == other._index;

    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as AllocationLine);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(_statement, _index);
}

/// <summary>A statement's parts, in order: each <see cref="AllocationLine"/> is built when it is read.</summary>
public sealed class AllocationLineList : ColumnarList<AllocationLine>
{
    private readonly AllocationStatement _statement;

    internal AllocationLineList(AllocationStatement statement) => _statement = statement;

    /// <summary>How many parts there are.</summary>
    public override int Count => _statement.LineCount;

    private protected override AllocationLine At(int index) => new(_statement, index);
}
