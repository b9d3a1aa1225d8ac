using System.Runtime.CompilerServices;

namespace AsrBilling;

/// <summary>
/// Prices a <see cref="DailyTotalTable"/> in one pass into a bill's charge columns: each charge's
/// first total, price version and tier, and fee. Each day takes the version in force on it; the days
/// of one calendar month priced by one version of a table with a monthly window are one charge; a free
/// monthly allowance is used up in date order, first, per account, service and month; then prepaid
/// packs (<see cref="PackDeduction"/>).
/// </summary>
/// <remarks>
/// A volume-priced charge with no allowance is priced in integers: the fee in cents is seconds × the
/// price's digits × 100 ÷ (3600 × 10^scale), rounded half away from zero, which is the decimal
/// computation's result (its only inexact step, the division, cannot end in a run of nines that
/// rounding would carry). Every other charge goes through <see cref="PriceCalculator"/>'s decimal
/// pricing. <c>BillPricingBenchmarks</c> measures it.
/// </remarks>
internal sealed class BillPricer
{
    private readonly BillingOptions _options;
    private readonly PriceTable[] _tables;
    private readonly TableFacts[] _facts;
    private readonly Dictionary<PriceTable, int> _tableIndex = new(ReferenceEqualityComparer.Instance);

    // Null without packs: the loop then tests one reference per charge and nothing else.
    private readonly PackDeduction? _packs;

    private BillPricer(BillingOptions options)
    {
        _options = options;
        _packs = options.Packs.Count == 0 ? null : new PackDeduction(options.Packs);
        _tables = [.. options.PriceBook.Tables];
        _facts = new TableFacts[_tables.Length];
        for (var t = 0; t < _tables.Length; t++)
        {
            _tableIndex[_tables[t]] = t;
            _facts[t] = new TableFacts(_tables[t], options);
        }
    }

    /// <summary>The price versions a bill's charges point into, by index.</summary>
    public PriceTable[] Tables => _tables;

    /// <summary>Prices every total of a table.</summary>
    /// <exception cref="PriceNotFoundException">A date is before the earliest version, or a service has no prices.</exception>
    /// <exception cref="UsageOverflowException">A monthly window's seconds exceed <see cref="long.MaxValue"/>.</exception>
    public static BillColumns Price(DailyTotalTable totals, BillingOptions options)
    {
        var pricer = new BillPricer(options);
        return pricer.PriceAll(totals);
    }

    private BillColumns PriceAll(DailyTotalTable totals)
    {
        var n = totals.Count;
        var columns = new Columns(n);
        var versions = Versions(totals);
        int charges;
        var ranges = _packs is null && !_facts.Any(f => f.Monthly) ? AccountRanges(totals) : null;
        if (ranges is null)
        {
            charges = PriceRange(totals, versions, 0, n, 0, columns);
        }
        else
        {
            // One charge per total, and an allowance's state per account: ranges of accounts price apart, in place.
            var failures = new Exception?[ranges.Length - 1];
            Parallel.For(0, ranges.Length - 1, r =>
            {
                try
                {
                    PriceRange(totals, versions, ranges[r], ranges[r + 1], ranges[r], columns);
                }
                catch (Exception e) when (e is PriceNotFoundException or UsageOverflowException)
                {
                    failures[r] = e;
                }
            });

            // The first failure in row order, as one pass in order would have met it.
            if (failures.FirstOrDefault(f => f is not null) is { } failure)
            {
                System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(failure).Throw();
            }

            charges = n;
        }

        var (first, tableTier, fees, allowance) = (columns.First, columns.TableTier, columns.Fees, columns.Allowance);
        first[charges] = n;
        if (charges < n)
        {
            Array.Resize(ref tableTier, charges);
            Array.Resize(ref fees, charges);
            Array.Resize(ref first, charges + 1);
            if (allowance is not null)
            {
                Array.Resize(ref allowance, charges);
            }
        }

        return new BillColumns(_tables, columns.Grouped ? first : null, tableTier, fees, allowance, _packs);
    }

    /// <summary>Bounds of ranges of whole accounts, about one per 64 K totals and at least two, or null when the table is too small to share.</summary>
    private static int[]? AccountRanges(DailyTotalTable totals)
    {
        const int PerRange = 1 << 16;
        var n = totals.Count;
        if (n < 2 * PerRange)
        {
            return null;
        }

        var bounds = new List<int> { 0 };
        for (var at = PerRange; at < n; at += PerRange)
        {
            // Move the bound to the start of its account.
            var bound = at;
            while (bound > bounds[^1] && totals.AccountIndexAt(bound) == totals.AccountIndexAt(bound - 1))
            {
                bound--;
            }

            if (bound > bounds[^1])
            {
                bounds.Add(bound);
            }
        }

        bounds.Add(n);
        return bounds.Count > 2 ? [.. bounds] : null;
    }

    /// <summary>Prices totals [from, to) into charges numbered from <paramref name="charge"/> on; returns the next charge's number.</summary>
    // Fully optimized at its first call: run a few times per bill, its loop would stay in precompiled code.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private int PriceRange(DailyTotalTable totals, (int FirstDay, int Table)[][] versions, int from, int to, int charge, Columns columns)
    {
        var (first, tableTier, fees) = (columns.First, columns.TableTier, columns.Fees);
        var left = (Account: -1, Service: -1, Month: 0, Seconds: 0m);
        for (var i = from; i < to;)
        {
            var service = totals.ServiceIndexAt(i);
            var day = totals.EpochDayAt(i);
            var t = VersionOf(versions[service], day, totals, i);
            var facts = _facts[t];
            var table = _tables[t];
            var end = i + 1;
            long seconds;
            if (facts.Monthly)
            {
                columns.Grouped = true;
                var month = TableFacts.MonthOf(day);
                seconds = totals.SecondsAt(i);
                while (end < to && totals.AccountIndexAt(end) == totals.AccountIndexAt(i) && totals.ServiceIndexAt(end) == service
                    && TableFacts.MonthOf(totals.EpochDayAt(end)) == month && VersionOf(versions[service], totals.EpochDayAt(end), totals, end) == t)
                {
                    seconds = Add(seconds, totals.SecondsAt(end), totals, end);
                    end++;
                }
            }
            else
            {
                seconds = totals.SecondsAt(i);
            }

            var covered = 0m;
            if (facts.FreeSecondsPerMonth > 0)
            {
                var month = TableFacts.MonthOf(day);
                if (left.Account != totals.AccountIndexAt(i) || left.Service != service || left.Month != month)
                {
                    left = (totals.AccountIndexAt(i), service, month, facts.FreeSecondsPerMonth);
                }

                covered = Math.Min(left.Seconds, seconds);
                left.Seconds -= covered;
            }

            var packed = _packs is null ? 0L : _packs.Deduct(totals, i, end, covered, charge);
            first[charge] = i;
            if (covered == 0 && packed == 0 && facts.TryFastFee(seconds, out var tier, out var fee))
            {
                tableTier[charge] = (t << 16) | tier;
                fees[charge] = fee;
            }
            else
            {
                var priced = PriceCalculator.PriceSeconds(table, seconds, covered, packed);
                tableTier[charge] = (t << 16) | (priced.Tier.Number - 1);
                fees[charge] = priced.Fee.Amount;
                if (covered > 0)
                {
                    columns.AllowanceAt(charge) = covered;
                }
            }

            charge++;
            i = end;
        }

        return charge;
    }

    /// <summary>
    /// A bill's charge columns, as long as the totals until the charges are counted. Each charge's place is written
    /// before it is read, so they are not cleared: their pages are first touched by the ranges that price in parallel.
    /// </summary>
    private sealed class Columns(int totals)
    {
        private readonly object _lock = new();

        public int[] First { get; } = HugePages.NewUninitialized<int>(totals + 1);

        public int[] TableTier { get; } = HugePages.NewUninitialized<int>(totals);

        public decimal[] Fees { get; } = HugePages.NewUninitialized<decimal>(totals);

        /// <summary>Seconds covered by a free allowance, per charge; null while none is.</summary>
        public decimal[]? Allowance { get; private set; }

        /// <summary>Whether some charge groups several totals (a monthly window).</summary>
        public bool Grouped { get; set; }

        public ref decimal AllowanceAt(int charge)
        {
            if (Allowance is null)
            {
                lock (_lock)
                {
                    Allowance ??= HugePages.NewArray<decimal>(TableTier.Length);
                }
            }

            return ref Allowance[charge];
        }
    }

    /// <summary>For each of the table's services, its versions as (first epoch day, table index), oldest first.</summary>
    private (int FirstDay, int Table)[][] Versions(DailyTotalTable totals)
    {
        var versions = new (int, int)[totals.ServiceCount][];
        for (var s = 0; s < versions.Length; s++)
        {
            var service = totals.ServiceByIndex(s);
            versions[s] = [.. _tables.Select((table, t) => (Table: table, Index: t)).Where(p => p.Table.Service == service)
                .OrderBy(p => p.Table.EffectiveFrom).Select(p => (DailyTotalTable.EpochDay(p.Table.EffectiveFrom), p.Index))];
        }

        return versions;
    }

    private int VersionOf((int FirstDay, int Table)[] versions, int day, DailyTotalTable totals, int row)
    {
        for (var v = versions.Length - 1; v >= 0; v--)
        {
            if (versions[v].FirstDay <= day)
            {
                return versions[v].Table;
            }
        }

        // Not in force: the book names the service and date in its own words.
        var table = _options.PriceBook.GetTable(totals.ServiceAt(row), totals.DateAt(row));
        return _tableIndex[table];
    }

    private static long Add(long sum, long seconds, DailyTotalTable totals, int row)
    {
        var result = unchecked(sum + seconds);
        return result < sum ? throw new UsageOverflowException(totals.AccountAt(row), totals.ServiceAt(row).Id, totals.DateAt(row)) : result;
    }

    /// <summary>What pricing needs of one table, worked out once.</summary>
    private readonly struct TableFacts
    {
        private const ulong MaxSeconds = 1UL << 40;
        private const uint MaxDigits = 1U << 24;
        private const int MaxScale = 7;

        private readonly ulong[] _firstSecond;
        private readonly ulong[] _digits;
        private readonly ulong[] _divisor;
        private readonly bool _integer;

        public TableFacts(PriceTable table, BillingOptions options)
        {
            Monthly = table.Rules.Window == TierWindow.Month;
            FreeSecondsPerMonth = options.FreeHoursPerMonth(table.Service, table) * 3600m;
            var tiers = table.Tiers;
            _firstSecond = new ulong[tiers.Length];
            _digits = new ulong[tiers.Length];
            _divisor = new ulong[tiers.Length];
            _integer = table.Rules.Mode == TierMode.Volume;
            for (var i = 0; i < tiers.Length; i++)
            {
                _firstSecond[i] = table.TierFirstSecond(i);
                var price = tiers[i].UnitPrice.Amount;
                var scale = price.Scale;
                var bits = decimal.GetBits(price);
                if (bits[2] != 0 || bits[1] != 0 || unchecked((uint)bits[0]) >= MaxDigits || price < 0 || scale > MaxScale)
                {
                    _integer = false;
                    continue;
                }

                _digits[i] = unchecked((uint)bits[0]);

                // Cents = seconds × digits × 100 ÷ (3600 × 10^scale) = seconds × digits ÷ (36 × 10^scale).
                _divisor[i] = 36 * Pow10(scale);
            }
        }

        public bool Monthly { get; }

        public decimal FreeSecondsPerMonth { get; }

        /// <summary>A calendar month's number, for grouping: year × 12 + month.</summary>
        public static int MonthOf(int epochDay)
        {
            var date = DailyTotalTable.DateOf(epochDay);
            return (date.Year * 12) + date.Month;
        }

        /// <summary>The volume tier and fee of whole seconds, in integers; false when the table needs decimal pricing.</summary>
        public bool TryFastFee(long seconds, out int tier, out decimal fee)
        {
            var whole = (ulong)Math.Max(seconds, 0);
            tier = 0;
            for (var i = _firstSecond.Length - 1; i > 0; i--)
            {
                if (whole >= _firstSecond[i])
                {
                    tier = i;
                    break;
                }
            }

            if (!_integer || whole >= MaxSeconds)
            {
                fee = 0;
                return false;
            }

            // Below 2^40 s and 2^24 digits the product fits 64 bits, and the decimal division keeps
            // at least ten decimals, so its rounding never reaches the cents.
            var product = whole * _digits[tier];
            var divisor = _divisor[tier];
            var cents = product / divisor;
            if ((product - (cents * divisor)) * 2 >= divisor)
            {
                cents++; // half away from zero (billing rule 5)
            }

            fee = new decimal(unchecked((int)cents), unchecked((int)(cents >> 32)), 0, false, 2);
            return true;
        }

        private static ulong Pow10(int power)
        {
            ulong value = 1;
            for (var i = 0; i < power; i++)
            {
                value *= 10;
            }

            return value;
        }
    }
}

/// <summary>A bill's charges, column-wise: charge c prices totals [First[c], First[c + 1]) (one each when First is null).</summary>
internal sealed record BillColumns(PriceTable[] Tables, int[]? First, int[] TableTier, decimal[] Fees, decimal[]? Allowance, PackDeduction? Packs)
{
    public int Count => Fees.Length;

    public int FirstTotal(int charge) => First is null ? charge : First[charge];

    public int EndTotal(int charge) => First is null ? charge + 1 : First[charge + 1];

    public PriceTable Table(int charge) => Tables[TableTier[charge] >> 16];

    public PriceTier Tier(int charge) => Table(charge).Tiers[TableTier[charge] & 0xFFFF];

    public decimal AllowanceSeconds(int charge) => Allowance is null ? 0m : Allowance[charge];

    public long PackSeconds(int charge) => Packs is null ? 0L : Packs.SecondsOf(charge);
}
