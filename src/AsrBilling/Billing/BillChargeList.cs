using System.Collections;

namespace AsrBilling;

/// <summary>A bill's charges, in order: each <see cref="BillCharge"/> is built when it is read.</summary>
public sealed class BillChargeList : IReadOnlyList<BillCharge>
{
    private readonly Bill _bill;

    internal BillChargeList(Bill bill) => _bill = bill;

    /// <summary>How many charges the bill has.</summary>
    public int Count => _bill.Columns.Count;

    /// <summary>How many charges the bill has (the same as <see cref="Count"/>).</summary>
    public int Length => Count;

    /// <summary>Whether the bill has no charges.</summary>
    public bool IsEmpty => Count == 0;

    /// <summary>The charge at an index.</summary>
    /// <param name="index">From 0 to <see cref="Count"/> − 1.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="index"/> is out of range.</exception>
    public BillCharge this[int index]
    {
        get
        {
            ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(unchecked((uint)index), (uint)Count, nameof(index));
            return new BillCharge(_bill, index);
        }
    }

    /// <summary>Enumerates the charges in order.</summary>
    /// <returns>An enumerator.</returns>
    public IEnumerator<BillCharge> GetEnumerator()
    {
        for (var i = 0; i < Count; i++)
        {
            yield return new BillCharge(_bill, i);
        }
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
