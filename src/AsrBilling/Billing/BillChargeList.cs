namespace AsrBilling;

/// <summary>A bill's charges, in order: each <see cref="BillCharge"/> is built when it is read.</summary>
public sealed class BillChargeList : ColumnarList<BillCharge>
{
    private readonly Bill _bill;

    internal BillChargeList(Bill bill) => _bill = bill;

    /// <summary>How many charges the bill has.</summary>
    public override int Count => _bill.Columns.Count;

    private protected override BillCharge At(int index) => new(_bill, index);
}
