using System.Runtime.CompilerServices;

namespace AsrBilling;

/// <summary>Splits a bill's charges among tags or accounts in exact cents.</summary>
public static partial class CostAllocation
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

    /// <summary>A fee's whole cents: for a fee held at scale 2, as the pricer rounds fees, its mantissa, with no decimal multiplication.</summary>
    private static long ToCents(decimal fee)
    {
        Span<int> bits = stackalloc int[4];
        decimal.GetBits(fee, bits);
        return bits[3] == 2 << 16 && bits[2] == 0 && bits[1] >= 0
            ? (long)(((ulong)(uint)bits[1] << 32) | (uint)bits[0])
            : (long)(fee * 100m);
    }

    /// <summary>Whole cents as an amount with two decimals (1.00, not 1), built from its parts: a division a line was the cost.</summary>
    internal static decimal FromCents(long cents)
    {
        var magnitude = cents < 0 ? unchecked(0UL - (ulong)cents) : (ulong)cents;
        return new decimal(unchecked((int)magnitude), unchecked((int)(magnitude >> 32)), 0, cents < 0, 2);
    }
}
