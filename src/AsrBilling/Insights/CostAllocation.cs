using System.Collections.Immutable;
using System.Globalization;
using System.Runtime.CompilerServices;

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

/// <summary>
/// A bill split among tags or accounts (chargeback): one line per charge and key, with subtotals per
/// key that add up to the bill's total to the cent. Held column-wise: a line is built when it is read.
/// </summary>
/// <remarks>
/// The charges are split when <see cref="Lines"/> or <see cref="ByKey"/> is first read, once, on all
/// cores; a writer that splits ranges of charges itself (<see cref="Bulk.AllocationStatementColumns.SplitCharges"/>)
/// never holds the whole statement. Reading it from several threads at once is safe.
/// </remarks>
public sealed class AllocationStatement
{
    private readonly string[] _keys;
    private readonly DailyTotalTable.TagColumns? _tags;
    private readonly Lazy<AllocationColumns> _lines;
    private readonly Lazy<ImmutableArray<Subtotal>> _byKey;

    internal AllocationStatement(Bill bill, AllocationKey by, string[] keys, DailyTotalTable.TagColumns? tags, int ranges)
    {
        Bill = bill;
        By = by;
        _keys = keys;
        _tags = tags;
        _lines = new(() => CostAllocation.SplitAll(this, ranges));
        Lines = new AllocationLineList(this);
        _byKey = new(() => SumByKey(bill, keys, Columns, AllocationLine.EmptyKeyLabel(by)));
    }

    /// <summary>The bill that was split.</summary>
    public Bill Bill { get; }

    /// <summary>What the charges were split by.</summary>
    public AllocationKey By { get; }

    /// <summary>The parts, in the bill's charge order, then by key (ordinal).</summary>
    public AllocationLineList Lines { get; }

    /// <summary>The sum per key (and currency), ordered by key; the untagged part of an allocation by tag prints as <c>(none)</c>.</summary>
    public ImmutableArray<Subtotal> ByKey => _byKey.Value;

    internal int LineCount => Columns.Count;

    /// <summary>The keys <see cref="LineKeys"/> index (a key need not have a line).</summary>
    internal ReadOnlySpan<string> Keys => _keys;

    /// <summary>Each line's key, as an index into <see cref="Keys"/>.</summary>
    internal ReadOnlySpan<int> LineKeys => Columns.Key.AsSpan(0, Columns.Count);

    /// <summary>Each line's charge, as an index into the bill's charges.</summary>
    internal ReadOnlySpan<int> LineCharges => Columns.Charge.AsSpan(0, Columns.Count);

    /// <summary>Each line's billable seconds.</summary>
    internal ReadOnlySpan<long> LineSeconds => Columns.Seconds.AsSpan(0, Columns.Count);

    /// <summary>Each line's fee in whole cents.</summary>
    internal ReadOnlySpan<long> LineCents => Columns.Cents.AsSpan(0, Columns.Count);

    /// <summary>The per-tag seconds of the bill's daily totals when split by tag, else null.</summary>
    internal DailyTotalTable.TagColumns? Tags => _tags;

    /// <summary>Every line, split on first need.</summary>
    private AllocationColumns Columns => _lines.Value;

    internal string KeyAt(int line) => _keys[Columns.Key[line]];

    internal int ChargeAt(int line) => Columns.Charge[line];

    internal long SecondsAt(int line) => Columns.Seconds[line];

    internal Money FeeAt(int line) => Money.Trusted(CostAllocation.FromCents(Columns.Cents[line]), Bill.Columns.Table(Columns.Charge[line]).Currency);

    /// <summary>Sums the lines per (key, currency); keys are sorted already, so a key's sums are one per currency.</summary>
    // Fully optimized at its first call: run a few times per bill, its loop would stay in precompiled code.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static ImmutableArray<Subtotal> SumByKey(Bill bill, string[] keys, AllocationColumns lines, string emptyKeyLabel)
    {
        var currencies = bill.Columns.Tables.Select(t => t.Currency).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();
        var currencyOfTable = bill.Columns.Tables.Select(t => Array.IndexOf(currencies, t.Currency)).ToArray();
        var (cents, seconds, counts) = (new long[keys.Length * currencies.Length], new long[keys.Length * currencies.Length], new int[keys.Length * currencies.Length]);
        for (var i = 0; i < lines.Count; i++)
        {
            var at = (lines.Key[i] * currencies.Length) + currencyOfTable[bill.Columns.TableTier[lines.Charge[i]] >> 16];
            cents[at] += lines.Cents[i];
            seconds[at] += lines.Seconds[i];
            counts[at]++;
        }

        var subtotals = ImmutableArray.CreateBuilder<Subtotal>();
        for (var at = 0; at < counts.Length; at++)
        {
            if (counts[at] > 0)
            {
                subtotals.Add(new Subtotal(keys[at / currencies.Length], Money.Trusted(CostAllocation.FromCents(cents[at]), currencies[at % currencies.Length]), seconds[at], counts[at], emptyKeyLabel));
            }
        }

        return subtotals.ToImmutable();
    }
}

/// <summary>A statement's lines, column-wise: the charge, the key's index, the seconds and the cents of each; lines are written before they are read, so the columns are not cleared.</summary>
internal sealed class AllocationColumns
{
    public int[] Charge;
    public int[] Key;
    public long[] Seconds;
    public long[] Cents;

    /// <summary>Creates empty columns.</summary>
    /// <param name="capacity">The lines expected: columns sized once are never copied as they grow.</param>
    public AllocationColumns(int capacity)
    {
        capacity = Math.Max(capacity, 16);
        (Charge, Key, Seconds, Cents) = (HugePages.NewUninitialized<int>(capacity), HugePages.NewUninitialized<int>(capacity), HugePages.NewUninitialized<long>(capacity), HugePages.NewUninitialized<long>(capacity));
    }

    public int Count { get; set; }

    /// <summary>Empties the columns and makes room for <paramref name="capacity"/> lines: a block of lines is written anew each time.</summary>
    public void Reset(int capacity)
    {
        if (Charge.Length < capacity)
        {
            var grown = new AllocationColumns(Math.Max(capacity, 2 * Charge.Length));
            (Charge, Key, Seconds, Cents) = (grown.Charge, grown.Key, grown.Seconds, grown.Cents);
        }

        Count = 0;
    }

    /// <summary>Writes line <paramref name="at"/>, which is within the capacity.</summary>
    public void Set(int at, int charge, int key, long seconds, long cents) =>
        (Charge[at], Key[at], Seconds[at], Cents[at]) = (charge, key, seconds, cents);

    /// <summary>Moves runs of lines, written from ascending starts, down to follow one another; returns how many lines there are.</summary>
    public int Compact(int[] starts, int[] counts)
    {
        var end = 0;
        for (var r = 0; r < starts.Length; r++)
        {
            Array.Copy(Charge, starts[r], Charge, end, counts[r]);
            Array.Copy(Key, starts[r], Key, end, counts[r]);
            Array.Copy(Seconds, starts[r], Seconds, end, counts[r]);
            Array.Copy(Cents, starts[r], Cents, end, counts[r]);
            end += counts[r];
        }

        return end;
    }
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
    public static AllocationStatement Allocate(Bill bill, AllocationKey by = AllocationKey.Tag) =>
        Allocate(bill, by, bill is not null && bill.Charges.Count >= ParallelCharges ? 4 * Environment.ProcessorCount : 1);

    /// <summary>Bills with fewer charges are split on one thread: a task costs more than their split.</summary>
    private const int ParallelCharges = 1 << 14;

    /// <summary>As <see cref="Allocate(Bill, AllocationKey)"/>, its lines split in <paramref name="ranges"/> ranges of charges at once when first read.</summary>
    internal static AllocationStatement Allocate(Bill bill, AllocationKey by, int ranges)
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

        var totals = bill.DailyTotals;
        if (by == AllocationKey.Account)
        {
            return new AllocationStatement(bill, by, [.. totals.Accounts], null, ranges);
        }

        // Key 0 is the untagged part (the empty key, first in ordinal order); tag t is key t + 1.
        var tags = totals.Tags;
        return new AllocationStatement(bill, by, [string.Empty, .. tags?.Names ?? []], tags, ranges);
    }

    /// <summary>
    /// The lines of charges [<paramref name="from"/>, <paramref name="to"/>) of a statement, written into
    /// <paramref name="lines"/> from its start, which is made large enough.
    /// </summary>
    internal static void SplitRange(AllocationStatement statement, int from, int to, AllocationColumns lines)
    {
        var bound = 0;
        for (var c = from; c < to; c++)
        {
            bound += LinesAtMost(statement, c);
        }

        lines.Reset(bound);
        lines.Count = Split(statement, from, to, lines, 0);
    }

    /// <summary>
    /// Bounds that cut the statement's charges into ranges of at most <paramref name="lines"/> lines each
    /// (counted as their upper bound), or of one charge that alone has more: range k is [bounds[k], bounds[k + 1]).
    /// </summary>
    internal static int[] ChargeBounds(AllocationStatement statement, int lines)
    {
        var count = statement.Bill.Columns.Count;
        var bounds = new List<int> { 0 };
        var inRange = 0;
        for (var c = 0; c < count; c++)
        {
            var add = LinesAtMost(statement, c);
            if (inRange > 0 && (long)inRange + add > lines)
            {
                bounds.Add(c);
                inRange = 0;
            }

            inRange += add;
        }

        if (count > 0)
        {
            bounds.Add(count);
        }

        return [.. bounds];
    }

    /// <summary>At most how many lines a charge has: an untagged one and one per (daily total, tag).</summary>
    private static int LinesAtMost(AllocationStatement statement, int charge)
    {
        var (columns, tags) = (statement.Bill.Columns, statement.Tags);
        return 1 + (tags is null ? 0 : tags.Start[columns.EndTotal(charge)] - tags.Start[columns.FirstTotal(charge)]);
    }

    /// <summary>Every line of a statement: ranges of charges of about as many lines each, split on all cores, then moved down together.</summary>
    internal static AllocationColumns SplitAll(AllocationStatement statement, int ranges)
    {
        var count = statement.Bill.Columns.Count;
        var linesBefore = LinesBefore(statement, 0, count);
        var lines = new AllocationColumns(linesBefore[^1]);
        ranges = Math.Clamp(ranges, 1, Math.Max(1, count));
        if (ranges == 1 || statement.Tags is null)
        {
            lines.Count = Split(statement, 0, count, lines, 0);
            return lines;
        }

        // A busy account's charges have many tags: ranges are cut by lines, not by charges.
        var bounds = new int[ranges + 1];
        for (var r = 1; r <= ranges; r++)
        {
            var at = Array.BinarySearch(linesBefore, (int)((long)linesBefore[^1] * r / ranges));
            bounds[r] = Math.Max(bounds[r - 1], r == ranges ? count : at < 0 ? ~at : at);
        }

        var (starts, counts) = (new int[ranges], new int[ranges]);
        for (var r = 0; r < ranges; r++)
        {
            starts[r] = linesBefore[bounds[r]];
        }

        Parallel.For(0, ranges, r => counts[r] = Split(statement, bounds[r], bounds[r + 1], lines, starts[r]));
        lines.Count = lines.Compact(starts, counts);
        return lines;
    }

    /// <summary>
    /// At most how many lines come before each charge of [<paramref name="from"/>, <paramref name="to"/>), counted
    /// from <paramref name="from"/>, and (last) in the whole range: an untagged line per charge and a line per (daily total, tag).
    /// Within the statement's capacity, an int.
    /// </summary>
    private static int[] LinesBefore(AllocationStatement statement, int from, int to)
    {
        var linesBefore = new int[to - from + 1];
        for (var c = from; c < to; c++)
        {
            linesBefore[c - from + 1] = linesBefore[c - from] + LinesAtMost(statement, c);
        }

        return linesBefore;
    }

    /// <summary>Splits charges [from, to) of a statement, writing their lines from <paramref name="at"/>; returns how many it wrote.</summary>
    private static int Split(AllocationStatement statement, int from, int to, AllocationColumns lines, int at)
    {
        if (statement.By == AllocationKey.Tag)
        {
            return SplitByTag(statement.Bill, statement.Tags, from, to, lines, at);
        }

        var (bill, columns, totals) = (statement.Bill, statement.Bill.Columns, statement.Bill.DailyTotals);
        for (var c = from; c < to; c++)
        {
            lines.Set(at + c - from, c, totals.AccountIndexAt(columns.FirstTotal(c)), bill.SecondsOf(c), ToCents(columns.Fees[c]));
        }

        return to - from;
    }

    /// <summary>Splits charges [from, to) among their tags, writing their lines from <paramref name="at"/>; returns how many it wrote.</summary>
    // Fully optimized at its first call: run a few times per bill, its loop would stay in precompiled code.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static int SplitByTag(Bill bill, DailyTotalTable.TagColumns? tags, int from, int to, AllocationColumns lines, int at)
    {
        var columns = bill.Columns;
        var written = 0;
        var parts = new Part[16];
        for (var c = from; c < to; c++)
        {
            var chargeSeconds = bill.SecondsOf(c);
            var count = 0;
            long tagged = 0;
            if (tags is not null)
            {
                var (first, end) = (tags.Start[columns.FirstTotal(c)], tags.Start[columns.EndTotal(c)]);
                if (end - first + 1 > parts.Length)
                {
                    parts = new Part[Math.Max(end - first + 1, parts.Length * 2)];
                }

                count = 1;
                for (var k = first; k < end; k++)
                {
                    parts[count++] = new Part(tags.Tag[k] + 1, tags.Seconds[k]);
                    tagged += tags.Seconds[k];
                }

                if (columns.EndTotal(c) - columns.FirstTotal(c) > 1)
                {
                    count = 1 + SumByTag(parts.AsSpan(1, count - 1));
                }
            }

            // The untagged part comes first when it has seconds, or alone when nothing is tagged.
            var untagged = chargeSeconds - tagged;
            var firstPart = untagged > 0 || count <= 1 ? 0 : 1;
            parts[0] = new Part(0, untagged);
            count = Math.Max(count, 1);
            Split(ToCents(columns.Fees[c]), chargeSeconds, parts.AsSpan(firstPart, count - firstPart));
            for (var p = firstPart; p < count; p++)
            {
                lines.Set(at + written++, c, parts[p].Key, parts[p].Seconds, parts[p].Cents);
            }
        }

        return written;
    }

    /// <summary>Sorts a window's parts by key and adds those with the same key; returns how many are left.</summary>
    private static int SumByTag(Span<Part> parts)
    {
        parts.Sort(static (x, y) => x.Key.CompareTo(y.Key));
        var n = 0;
        for (var k = 0; k < parts.Length; k++)
        {
            if (n > 0 && parts[n - 1].Key == parts[k].Key)
            {
                parts[n - 1].Seconds += parts[k].Seconds;
            }
            else
            {
                parts[n++] = parts[k];
            }
        }

        return n;
    }

    /// <summary>
    /// The largest-remainder split of whole cents by the parts' seconds, into their <see cref="Part.Cents"/>;
    /// the parts are in key order, so ties go to the first.
    /// </summary>
    private static void Split(long cents, long total, Span<Part> parts)
    {
        if (total == 0)
        {
            parts[0].Cents = cents;
            for (var i = 1; i < parts.Length; i++)
            {
                parts[i].Cents = 0;
            }

            return;
        }

        long given = 0;
        for (var i = 0; i < parts.Length; i++)
        {
            // 128-bit division only when the product needs it: it costs several times a 64-bit one.
            var high = Math.BigMul(cents, parts[i].Seconds, out long low);
            if (high == 0 && low >= 0)
            {
                (parts[i].Cents, parts[i].Remainder) = Math.DivRem(low, total);
            }
            else
            {
                var product = (Int128)cents * parts[i].Seconds;
                parts[i].Cents = (long)(product / total);
                parts[i].Remainder = (long)(product % total);
            }
            given += parts[i].Cents;
        }

        // Each cent left goes to the largest remainder not yet served, ties to the first: fewer cents than parts are left.
        var left = (int)(cents - given);
        if (left == 0)
        {
            return;
        }

        // The left-th largest remainder: every part above it takes a cent, then the first parts at it take the rest.
        // Found by selection rather than a scan per cent, which cost parts × cents for a charge of 50 tags.
        var threshold = LargestAt(parts, left);
        for (var i = 0; i < parts.Length; i++)
        {
            if (parts[i].Remainder > threshold)
            {
                parts[i].Cents++;
                left--;
            }
        }

        for (var i = 0; left > 0; i++)
        {
            if (parts[i].Remainder == threshold)
            {
                parts[i].Cents++;
                left--;
            }
        }
    }

    /// <summary>The <paramref name="k"/>-th largest remainder of the parts (1 for the largest), by selection in a copy.</summary>
    [SkipLocalsInit]
    private static long LargestAt(Span<Part> parts, int k)
    {
        const int OnStack = 128;
        var values = parts.Length <= OnStack ? stackalloc long[OnStack] : new long[parts.Length];
        values = values[..parts.Length];
        for (var i = 0; i < parts.Length; i++)
        {
            values[i] = parts[i].Remainder;
        }

        // Quickselect for the (k - 1)-th element in descending order, with the middle value as pivot.
        var (low, high, target) = (0, values.Length - 1, k - 1);
        while (low < high)
        {
            var pivot = values[low + ((high - low) / 2)];
            var (i, j) = (low, high);
            while (i <= j)
            {
                while (values[i] > pivot)
                {
                    i++;
                }

                while (values[j] < pivot)
                {
                    j--;
                }

                if (i <= j)
                {
                    (values[i], values[j]) = (values[j], values[i]);
                    i++;
                    j--;
                }
            }

            if (target <= j)
            {
                high = j;
            }
            else if (target >= i)
            {
                low = i;
            }
            else
            {
                return values[target];
            }
        }

        return values[target];
    }

    /// <summary>The largest-remainder split of whole cents by weights that are in key order (ties go to the first).</summary>
    internal static long[] Split(long cents, long total, long[] weights)
    {
        var parts = new Part[weights.Length];
        for (var i = 0; i < weights.Length; i++)
        {
            parts[i] = new Part(i, weights[i]);
        }

        Split(cents, total, parts);
        return [.. parts.Select(p => p.Cents)];
    }

    private static long ToCents(decimal fee) => (long)(fee * 100m);

    /// <summary>Whole cents as an amount with two decimals (1.00, not 1), built from its parts: a division a line was the cost.</summary>
    internal static decimal FromCents(long cents)
    {
        var magnitude = cents < 0 ? unchecked(0UL - (ulong)cents) : (ulong)cents;
        return new decimal(unchecked((int)magnitude), unchecked((int)(magnitude >> 32)), 0, cents < 0, 2);
    }

    /// <summary>One key's part of a charge while it is split.</summary>
    private struct Part(int key, long seconds)
    {
        public int Key = key;
        public long Seconds = seconds;
        public long Cents;
        public long Remainder;
    }
}
