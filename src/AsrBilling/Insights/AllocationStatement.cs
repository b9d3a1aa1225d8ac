using System.Collections.Immutable;
using System.Runtime.CompilerServices;

namespace AsrBilling;

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
