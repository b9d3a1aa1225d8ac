using NodaTime;

namespace AsrBilling.Bulk;

/// <summary>
/// Reading a <see cref="Bill"/>'s charges column by column, for writers of large bills: a range of charges
/// goes into a block of the caller's (<see cref="ReadCharges"/>), with no <see cref="BillCharge"/> built per
/// charge. Kept in its own namespace because only bulk writers need it.
/// </summary>
public static class BillChargeColumns
{
    /// <summary>
    /// Reads a range of the bill's charges into <paramref name="block"/>, replacing what it held: element
    /// <c>i</c> of each of its columns is what charge <c>firstCharge + i</c> of <see cref="Bill.Charges"/> says.
    /// A block can be used again for the next range; blocks of different threads can be filled from one bill at once.
    /// </summary>
    /// <param name="bill">The bill.</param>
    /// <param name="firstCharge">The index of the range's first charge in <see cref="Bill.Charges"/>.</param>
    /// <param name="chargeCount">How many charges the range has.</param>
    /// <param name="block">Where the range's charges go.</param>
    /// <exception cref="ArgumentNullException"><paramref name="bill"/> or <paramref name="block"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The range is not within the bill's charges.</exception>
    public static void ReadCharges(this Bill bill, int firstCharge, int chargeCount, BillChargeBlock block)
    {
        ArgumentNullException.ThrowIfNull(bill);
        ArgumentNullException.ThrowIfNull(block);
        var charges = bill.Charges.Count;
        ArgumentOutOfRangeException.ThrowIfNegative(firstCharge);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(firstCharge, charges);
        ArgumentOutOfRangeException.ThrowIfNegative(chargeCount);
        if (chargeCount > charges - firstCharge)
        {
            throw new ArgumentOutOfRangeException(nameof(chargeCount), chargeCount, $"The range of {chargeCount} charges from charge {firstCharge} ends past the bill's {charges} charges.");
        }

        block.Fill(bill, firstCharge, chargeCount);
    }
}

/// <summary>
/// A range of a <see cref="Bill"/>'s charges, column by column, as <see cref="BillChargeColumns.ReadCharges"/>
/// wrote them: charge <c>i</c> of the block is element <c>i</c> of each column, with the values of the
/// same-named <see cref="BillCharge"/> properties. The columns are valid until the block is filled again.
/// </summary>
public sealed class BillChargeBlock
{
    // The (epoch day, date) of recent days, direct-mapped by day: a bill's charges run over few dates, and PlusDays costs a calendar computation.
    private const int DateCacheSize = 64;
    private readonly (int Day, LocalDate Date)[] _dates = new (int, LocalDate)[DateCacheSize];

    private int[] _accounts = [];
    private AsrService[] _services = [];
    private LocalDate[] _dateColumn = [];
    private long[] _seconds = [];
    private PriceTable[] _tables = [];
    private PriceTier[] _tiers = [];
    private decimal[] _fees = [];
    private decimal[] _allowance = [];
    private long[] _packSeconds = [];

    /// <summary>Creates an empty block, which grows to the ranges it is given.</summary>
    public BillChargeBlock()
    {
        for (var k = 0; k < DateCacheSize; k++)
        {
            _dates[k] = (int.MinValue, default);
        }
    }

    /// <summary>How many charges the block holds.</summary>
    public int Count { get; private set; }

    /// <summary>Each charge's account, as an index into the bill's <see cref="DailyTotalTable.Accounts"/> (<see cref="BillCharge.Account"/>).</summary>
    public ReadOnlySpan<int> AccountIndexes => _accounts.AsSpan(0, Count);

    /// <summary>Each charge's service (<see cref="BillCharge.Service"/>).</summary>
    public ReadOnlySpan<AsrService> Services => _services.AsSpan(0, Count);

    /// <summary>Each charge's first billing date: its day, or its month's first day with usage (<see cref="BillCharge.Date"/>).</summary>
    public ReadOnlySpan<LocalDate> Dates => _dateColumn.AsSpan(0, Count);

    /// <summary>Each charge's billable whole seconds (<see cref="BillCharge.BillableSeconds"/>).</summary>
    public ReadOnlySpan<long> BillableSeconds => _seconds.AsSpan(0, Count);

    /// <summary>The price version that priced each charge (<see cref="BillCharge.Table"/>); its window says whether the charge is a day or a month.</summary>
    public ReadOnlySpan<PriceTable> Tables => _tables.AsSpan(0, Count);

    /// <summary>The tier each charge reached (<see cref="BillCharge.Tier"/>).</summary>
    public ReadOnlySpan<PriceTier> Tiers => _tiers.AsSpan(0, Count);

    /// <summary>Each charge's fee, rounded to cents, in its table's currency (<see cref="BillCharge.Fee"/>).</summary>
    public ReadOnlySpan<decimal> Fees => _fees.AsSpan(0, Count);

    /// <summary>The seconds a free monthly allowance covered in each charge (<see cref="BillCharge.AllowanceSeconds"/>).</summary>
    public ReadOnlySpan<decimal> AllowanceSeconds => _allowance.AsSpan(0, Count);

    /// <summary>The whole seconds prepaid packs covered in each charge (<see cref="BillCharge.PackSeconds"/>).</summary>
    public ReadOnlySpan<long> PackSeconds => _packSeconds.AsSpan(0, Count);

    /// <summary>Writes charges [first, first + count) of a bill, whose range the caller checked.</summary>
    internal void Fill(Bill bill, int first, int count)
    {
        if (_fees.Length < count)
        {
            var size = Math.Max(count, 2 * _fees.Length);
            (_accounts, _services, _dateColumn, _seconds) = (new int[size], new AsrService[size], new LocalDate[size], new long[size]);
            (_tables, _tiers, _fees, _allowance, _packSeconds) = (new PriceTable[size], new PriceTier[size], new decimal[size], new decimal[size], new long[size]);
        }

        var columns = bill.Columns;
        var totals = bill.DailyTotals;
        for (var i = 0; i < count; i++)
        {
            var charge = first + i;
            var total = columns.FirstTotal(charge);
            var table = columns.Table(charge);
            _accounts[i] = totals.AccountIndexAt(total);
            _services[i] = totals.ServiceAt(total);
            _dateColumn[i] = DateOf(totals.EpochDayAt(total));
            _seconds[i] = columns.First is null ? totals.SecondsAt(total) : bill.SecondsOf(charge);
            _tables[i] = table;
            _tiers[i] = columns.Tier(charge);
            _fees[i] = columns.Fees[charge];
            _allowance[i] = columns.AllowanceSeconds(charge);
            _packSeconds[i] = columns.PackSeconds(charge);
        }

        // Nothing of the previous range is kept past the new one's end: the references would hold its objects.
        if (count < Count)
        {
            Array.Clear(_services, count, Count - count);
            Array.Clear(_tables, count, Count - count);
            Array.Clear(_tiers, count, Count - count);
        }

        Count = count;
    }

    private LocalDate DateOf(int epochDay)
    {
        ref var cached = ref _dates[epochDay & (DateCacheSize - 1)];
        if (cached.Day != epochDay)
        {
            cached = (epochDay, DailyTotalTable.DateOf(epochDay));
        }

        return cached.Date;
    }
}
