namespace AsrBilling.Bulk;

/// <summary>
/// Reading an <see cref="AllocationStatement"/> column by column, for writers of large statements: line
/// <c>i</c> of <see cref="AllocationStatement.Lines"/> is element <c>i</c> of each column, and no line
/// object is built. <see cref="SplitCharges"/> splits a range of charges into a block of the caller's
/// instead, so that a writer going through the bill in ranges never holds the whole statement. Kept in
/// its own namespace because only bulk writers need it.
/// </summary>
public static class AllocationStatementColumns
{
    /// <summary>
    /// The keys <see cref="KeyIndexes"/> index: tags or accounts, empty for untagged usage or the default account.
    /// A key need not have a line: an allocation by tag always has the empty key first.
    /// </summary>
    /// <param name="statement">The statement.</param>
    /// <returns>The keys.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="statement"/> is null.</exception>
    public static ReadOnlySpan<string> Keys(this AllocationStatement statement)
    {
        ArgumentNullException.ThrowIfNull(statement);
        return statement.Keys;
    }

    /// <summary>Each line's key, as an index into <see cref="Keys"/>: <see cref="AllocationLine.Key"/>.</summary>
    /// <param name="statement">The statement.</param>
    /// <returns>One index per line.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="statement"/> is null.</exception>
    public static ReadOnlySpan<int> KeyIndexes(this AllocationStatement statement)
    {
        ArgumentNullException.ThrowIfNull(statement);
        return statement.LineKeys;
    }

    /// <summary>Each line's charge, as an index into the bill's <see cref="Bill.Charges"/>: <see cref="AllocationLine.ChargeIndex"/>.</summary>
    /// <param name="statement">The statement.</param>
    /// <returns>One index per line, never decreasing: the lines of a charge follow one another.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="statement"/> is null.</exception>
    public static ReadOnlySpan<int> ChargeIndexes(this AllocationStatement statement)
    {
        ArgumentNullException.ThrowIfNull(statement);
        return statement.LineCharges;
    }

    /// <summary>Each line's billable seconds: <see cref="AllocationLine.BillableSeconds"/>.</summary>
    /// <param name="statement">The statement.</param>
    /// <returns>One count per line.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="statement"/> is null.</exception>
    public static ReadOnlySpan<long> BillableSeconds(this AllocationStatement statement)
    {
        ArgumentNullException.ThrowIfNull(statement);
        return statement.LineSeconds;
    }

    /// <summary>Each line's fee in whole cents (hundredths of its charge's currency): <see cref="AllocationLine.Fee"/> × 100.</summary>
    /// <param name="statement">The statement.</param>
    /// <returns>One amount per line.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="statement"/> is null.</exception>
    public static ReadOnlySpan<long> FeeCents(this AllocationStatement statement)
    {
        ArgumentNullException.ThrowIfNull(statement);
        return statement.LineCents;
    }

    /// <summary>
    /// Splits a range of the bill's charges into <paramref name="block"/>, replacing what it held: the
    /// same lines, in the same order, as <see cref="AllocationStatement.Lines"/> holds for those charges,
    /// and nothing is kept in the statement. A block can be used again for the next range; blocks of
    /// different threads can be filled from one statement at once.
    /// </summary>
    /// <param name="statement">The statement.</param>
    /// <param name="firstCharge">The index of the range's first charge in the bill's <see cref="Bill.Charges"/>.</param>
    /// <param name="chargeCount">How many charges the range has.</param>
    /// <param name="block">Where the range's lines go.</param>
    /// <exception cref="ArgumentNullException"><paramref name="statement"/> or <paramref name="block"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The range is not within the bill's charges.</exception>
    public static void SplitCharges(this AllocationStatement statement, int firstCharge, int chargeCount, AllocationLineBlock block)
    {
        ArgumentNullException.ThrowIfNull(statement);
        ArgumentNullException.ThrowIfNull(block);
        var charges = statement.Bill.Charges.Count;
        ArgumentOutOfRangeException.ThrowIfNegative(firstCharge);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(firstCharge, charges);
        ArgumentOutOfRangeException.ThrowIfNegative(chargeCount);
        if (chargeCount > charges - firstCharge)
        {
            throw new ArgumentOutOfRangeException(nameof(chargeCount), chargeCount, $"The range of {chargeCount} charges from charge {firstCharge} ends past the bill's {charges} charges.");
        }

        CostAllocation.SplitRange(statement, firstCharge, firstCharge + chargeCount, block.Lines);
    }

    /// <summary>
    /// Cuts the bill's charges into ranges of about <paramref name="linesPerRange"/> lines each, for a writer
    /// that splits them with <see cref="SplitCharges"/>: range k is the charges from <c>bounds[k]</c> up to
    /// <c>bounds[k + 1]</c>. A range holds at most <paramref name="linesPerRange"/> lines (counted as an upper
    /// bound: an untagged line per charge and a line per daily total and tag), or a single charge that alone
    /// has more, so that a block and the text made from it stay about the same size whatever the tags per charge.
    /// </summary>
    /// <param name="statement">The statement.</param>
    /// <param name="linesPerRange">The most lines a range may hold; at least 1.</param>
    /// <returns>The bounds: 0 first, the number of charges last, increasing.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="statement"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="linesPerRange"/> is less than 1.</exception>
    public static int[] ChargeRanges(this AllocationStatement statement, int linesPerRange)
    {
        ArgumentNullException.ThrowIfNull(statement);
        ArgumentOutOfRangeException.ThrowIfLessThan(linesPerRange, 1);
        return CostAllocation.ChargeBounds(statement, linesPerRange);
    }
}

/// <summary>
/// The lines of a range of an <see cref="AllocationStatement"/>'s charges, column by column, as
/// <see cref="AllocationStatementColumns.SplitCharges"/> wrote them; line <c>i</c> of the block is element
/// <c>i</c> of each column. The columns are valid until the block is filled again.
/// </summary>
public sealed class AllocationLineBlock
{
    /// <summary>Creates an empty block, which grows to the ranges it is given.</summary>
    public AllocationLineBlock()
    {
    }

    /// <summary>How many lines the block holds.</summary>
    public int Count => Lines.Count;

    /// <summary>Each line's key, as an index into the statement's <see cref="AllocationStatementColumns.Keys"/>.</summary>
    public ReadOnlySpan<int> KeyIndexes => Lines.Key.AsSpan(0, Lines.Count);

    /// <summary>Each line's charge, as an index into the bill's <see cref="Bill.Charges"/>; never decreasing.</summary>
    public ReadOnlySpan<int> ChargeIndexes => Lines.Charge.AsSpan(0, Lines.Count);

    /// <summary>Each line's billable seconds.</summary>
    public ReadOnlySpan<long> BillableSeconds => Lines.Seconds.AsSpan(0, Lines.Count);

    /// <summary>Each line's fee in whole cents (hundredths of its charge's currency).</summary>
    public ReadOnlySpan<long> FeeCents => Lines.Cents.AsSpan(0, Lines.Count);

    internal AllocationColumns Lines { get; } = new(0);
}
