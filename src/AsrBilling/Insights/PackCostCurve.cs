namespace AsrBilling;

/// <summary>
/// One service's pay-as-you-go bill as a function of the pack seconds that cover it: the bill's tier
/// windows in date order, each with the seconds the free allowance leaves (its coverable seconds).
/// </summary>
/// <remarks>
/// Pack seconds are used in date order after the free allowance (billing rule 11): they cover the
/// first windows whole, part of one window, and none of the rest. So the cost of <c>c</c> covered
/// seconds is the fees of the covered windows, of the one partly covered window, and of the
/// uncovered windows, each priced as a charge whose allowance is the free seconds plus the pack
/// seconds (<see cref="PriceCalculator.PriceSeconds(PriceTable, long, decimal, long)"/>): pack hours count
/// toward the tier exactly as free hours do. Sums of whole windows are kept as prefix sums, so a cost
/// takes a binary search and one charge.
/// </remarks>
internal sealed class PackCostCurve
{
    private readonly PriceTable[] _tables;
    private readonly long[] _seconds;
    private readonly decimal[] _free;

    // _before[w] = coverable seconds of windows before w; _coveredBefore[w] = their fees when covered whole;
    // _uncoveredFrom[w] = the fees of windows w and later without packs.
    private readonly decimal[] _before;
    private readonly decimal[] _coveredBefore;
    private readonly decimal[] _uncoveredFrom;

    /// <summary>Reads the windows of a bill of one account and one service.</summary>
    public PackCostCurve(Bill bill)
    {
        var charges = bill.Charges;
        var n = charges.Count;
        _tables = new PriceTable[n];
        _seconds = new long[n];
        _free = new decimal[n];
        _before = new decimal[n + 1];
        _coveredBefore = new decimal[n + 1];
        _uncoveredFrom = new decimal[n + 1];
        var uncovered = new decimal[n];
        for (var w = 0; w < n; w++)
        {
            var charge = charges[w];
            _tables[w] = charge.Table;
            _seconds[w] = charge.BillableSeconds;
            _free[w] = charge.AllowanceSeconds;
            uncovered[w] = Fee(w, 0m);
            _before[w + 1] = _before[w] + Coverable(w);
            _coveredBefore[w + 1] = _coveredBefore[w] + Fee(w, Coverable(w));
        }

        for (var w = n - 1; w >= 0; w--)
        {
            _uncoveredFrom[w] = _uncoveredFrom[w + 1] + uncovered[w];
        }

        Currency = n > 0 ? _tables[0].Currency : string.Empty;
    }

    /// <summary>The currency of the first window's prices.</summary>
    public string Currency { get; }

    /// <summary>The seconds packs could cover: every window's billable seconds beyond its free allowance.</summary>
    public decimal CoverableSeconds => _before[^1];

    /// <summary>The sum of the windows' fees, each rounded to cents, when packs cover <paramref name="covered"/> seconds in date order.</summary>
    public decimal Cost(decimal covered)
    {
        var n = _seconds.Length;
        if (covered >= CoverableSeconds)
        {
            return _coveredBefore[n];
        }

        // The last window whose coverable seconds start at or before `covered`: the one packs run out in.
        int lo = 0, hi = n;
        while (lo < hi)
        {
            var mid = (lo + hi + 1) / 2;
            if (_before[mid] <= covered)
            {
                lo = mid;
            }
            else
            {
                hi = mid - 1;
            }
        }

        return _coveredBefore[lo] + Fee(lo, covered - _before[lo]) + _uncoveredFrom[lo + 1];
    }

    /// <summary>
    /// The pay-as-you-go value of the coverable seconds in money × seconds per hour: for a volume table whose
    /// covered hours count toward the tier, each window's coverable seconds × its tier's price, exactly; else
    /// 3600 × (the window's exact fee without packs − with every coverable second covered).
    /// </summary>
    public decimal ValueTimes3600()
    {
        var sum = 0m;
        for (var w = 0; w < _seconds.Length; w++)
        {
            var table = _tables[w];
            var none = PriceCalculator.PriceSeconds(table, _seconds[w], _free[w]);
            sum += table.Rules.Mode == TierMode.Volume && table.Rules.FreeHoursCountTowardTier
                ? Coverable(w) * none.Tier.UnitPrice.Amount
                : (none.ExactFee.Amount - PriceCalculator.PriceSeconds(table, _seconds[w], _seconds[w]).ExactFee.Amount) * 3600m;
        }

        return sum;
    }

    /// <summary>The unit price of the first window's tier without packs.</summary>
    public decimal FirstUnitPrice() => PriceCalculator.PriceSeconds(_tables[0], _seconds[0], _free[0]).Tier.UnitPrice.Amount;

    private decimal Coverable(int w) => _seconds[w] - _free[w];

    private decimal Fee(int w, decimal packSeconds) => PriceCalculator.PriceSeconds(_tables[w], _seconds[w], _free[w] + packSeconds).Fee.Amount;
}
