namespace AsrBilling.Bulk;

/// <summary>
/// Reading an <see cref="AllocationStatement"/> column by column, as it is held, for writers of large
/// statements: line <c>i</c> of <see cref="AllocationStatement.Lines"/> is element <c>i</c> of each
/// column, and no line object is built. Kept in its own namespace because only bulk writers need it.
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
}
