using System.Collections.Immutable;
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

/// <summary>One part of one charge: what one tag (or account) owes of it.</summary>
public sealed class AllocationLine
{
    internal AllocationLine(string key, BillCharge charge, long seconds, Money fee, AllocationKey by)
    {
        Key = key;
        By = by;
        Charge = charge;
        BillableSeconds = seconds;
        Fee = fee;
    }

    /// <summary>The tag or account; empty for untagged usage (or the default account).</summary>
    public string Key { get; }

    /// <summary>Whether <see cref="Key"/> is a tag or an account.</summary>
    internal AllocationKey By { get; }

    /// <summary>The key as people read it: <c>(none)</c> for no tag, <c>(default account)</c> for the default account.</summary>
    internal string KeyText => Key.Length > 0 ? Key : EmptyKeyLabel(By);

    /// <summary>How an empty key prints under an allocation by tags or by accounts.</summary>
    internal static string EmptyKeyLabel(AllocationKey by) => by == AllocationKey.Tag ? Subtotal.NoTag : Subtotal.DefaultAccount;

    /// <summary>The charge the part comes from.</summary>
    public BillCharge Charge { get; }

    /// <summary>The part's billable seconds.</summary>
    public long BillableSeconds { get; }

    /// <summary>The part's share of the charge's seconds, from 0 to 1 (exact to 28 digits); 1 for a charge of no seconds.</summary>
    public decimal Share => Charge.BillableSeconds == 0 ? 1m : (decimal)BillableSeconds / Charge.BillableSeconds;

    /// <summary>The part's fee, in whole cents; the parts of a charge add up to its fee exactly.</summary>
    public Money Fee { get; }

    /// <summary>
    /// Formats invariantly: <c>support: 2025-09-02 acme real-time 1800 s of 3600 s = 0.70 USD</c>; no tag
    /// shows as <c>(none)</c>, the default account as <c>(default account)</c>.
    /// </summary>
    /// <returns>The part as text.</returns>
    public override string ToString() => string.Create(
        CultureInfo.InvariantCulture,
        $"{KeyText}: {Charge.Period} {(Charge.Account.Length == 0 ? Subtotal.DefaultAccount : Charge.Account)} {Charge.Service.Id} {BillableSeconds} s of {Charge.BillableSeconds} s = {Fee}");
}

/// <summary>
/// A bill split among tags or accounts (chargeback): one line per charge and key, with subtotals per
/// key that add up to the bill's total to the cent.
/// </summary>
public sealed class AllocationStatement
{
    internal AllocationStatement(Bill bill, AllocationKey by, ImmutableArray<AllocationLine> lines)
    {
        Bill = bill;
        By = by;
        Lines = lines;
        ByKey = [.. lines
            .GroupBy(l => (l.Key, l.Fee.Currency))
            .OrderBy(g => g.Key.Key, StringComparer.Ordinal).ThenBy(g => g.Key.Currency, StringComparer.Ordinal)
            .Select(g => new Subtotal(g.Key.Key, Money.Trusted(g.Sum(l => l.Fee.Amount), g.Key.Currency), g.Sum(l => l.BillableSeconds), g.Count(), AllocationLine.EmptyKeyLabel(by)))];
    }

    /// <summary>The bill that was split.</summary>
    public Bill Bill { get; }

    /// <summary>What the charges were split by.</summary>
    public AllocationKey By { get; }

    /// <summary>The parts, in the bill's charge order, then by key (ordinal).</summary>
    public ImmutableArray<AllocationLine> Lines { get; }

    /// <summary>The sum per key (and currency), ordered by key; the untagged part of an allocation by tag prints as <c>(none)</c>.</summary>
    public ImmutableArray<Subtotal> ByKey { get; }
}

/// <summary>Splits a bill's charges among tags or accounts in exact cents.</summary>
public static class CostAllocation
{
    /// <summary>
    /// Splits each charge among the keys that used it, in proportion to their billable seconds, in
    /// whole cents by the largest-remainder method: every part gets the cents its exact share
    /// floors to, and the cents left go one each to the parts with the largest remainders (ties: the
    /// smaller key, ordinal). The parts of a charge always add up to its fee.
    /// </summary>
    /// <param name="bill">The bill.</param>
    /// <param name="by">Tags (the default) or accounts.</param>
    /// <returns>The statement.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="bill"/> is null.</exception>
    /// <exception cref="ArgumentException">The bill has no charges: there is nothing to allocate.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="by"/> is not a defined value.</exception>
    public static AllocationStatement Allocate(Bill bill, AllocationKey by = AllocationKey.Tag)
    {
        ArgumentNullException.ThrowIfNull(bill);
        if (!Enum.IsDefined(by))
        {
            throw new ArgumentOutOfRangeException(nameof(by), by, "Use AllocationKey.Tag or AllocationKey.Account.");
        }

        if (bill.Charges.IsEmpty)
        {
            throw new ArgumentException("The bill has no charges: there is nothing to allocate.", nameof(bill));
        }

        var lines = ImmutableArray.CreateBuilder<AllocationLine>();
        foreach (var charge in bill.Charges)
        {
            if (by == AllocationKey.Account)
            {
                lines.Add(new AllocationLine(charge.Account, charge, charge.BillableSeconds, charge.Fee, by));
                continue;
            }

            var parts = charge.TagSeconds.Select(p => (p.Key, p.Value)).ToList();
            if (charge.UntaggedSeconds > 0 || parts.Count == 0)
            {
                parts.Insert(0, (string.Empty, charge.UntaggedSeconds));
            }

            var cents = Split(ToCents(charge.Fee.Amount), charge.BillableSeconds, [.. parts.Select(p => p.Value)]);
            for (var i = 0; i < parts.Count; i++)
            {
                lines.Add(new AllocationLine(parts[i].Key, charge, parts[i].Value, Money.Trusted(cents[i] / 100m + 0.00m, charge.Fee.Currency), by));
            }
        }

        return new AllocationStatement(bill, by, lines.ToImmutable());
    }

    /// <summary>The largest-remainder split of whole cents by weights; keys are already in ordinal order, so ties go to the first.</summary>
    internal static long[] Split(long cents, long total, long[] weights)
    {
        var parts = new long[weights.Length];
        if (total == 0)
        {
            parts[0] = cents;
            return parts;
        }

        var remainders = new Int128[weights.Length];
        long given = 0;
        for (var i = 0; i < weights.Length; i++)
        {
            var product = (Int128)cents * weights[i];
            parts[i] = (long)(product / total);
            remainders[i] = product % total;
            given += parts[i];
        }

        var order = Enumerable.Range(0, weights.Length).OrderByDescending(i => remainders[i]).ThenBy(i => i).ToArray();
        for (var k = 0; k < cents - given; k++)
        {
            parts[order[k]]++;
        }

        return parts;
    }

    private static long ToCents(decimal fee) => (long)(fee * 100m);
}
