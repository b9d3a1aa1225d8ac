using System.Collections.Immutable;
using System.Globalization;
using NodaTime;

namespace AsrBilling;

/// <summary>
/// One line of a bill: the charge for one account's use of one service over one tier window (a
/// billing day, or a calendar month for tables that count tiers by month), with the daily totals it
/// came from.
/// </summary>
/// <remarks>
/// A view of the bill's columns: reading <see cref="Account"/>, <see cref="Fee"/>, <see cref="Tier"/> or
/// <see cref="BillableSeconds"/> costs an array read; <see cref="Charge"/> works out the exact fee and
/// <see cref="Days"/> builds the daily totals when asked. Equality is by value: the same bill and line.
/// </remarks>
public sealed class BillCharge : IEquatable<BillCharge>
{
    private readonly Bill _bill;
    private readonly int _index;

    internal BillCharge(Bill bill, int index)
    {
        _bill = bill;
        _index = index;
    }

    private BillColumns Columns => _bill.Columns;

    private int First => Columns.FirstTotal(_index);

    /// <summary>The billing account; empty for the default account.</summary>
    public string Account => _bill.DailyTotals.AccountAt(First);

    /// <summary>The service.</summary>
    public AsrService Service => _bill.DailyTotals.ServiceAt(First);

    /// <summary>The tier window: a day, or a calendar month.</summary>
    public TierWindow Window => Table.Rules.Window;

    /// <summary>The first billing date of the window: the day itself, or the month's first day with usage.</summary>
    public LocalDate Date => _bill.DailyTotals.DateAt(First);

    /// <summary>The window as text: the date (<c>2025-09-02</c>) or the month (<c>2025-09</c>).</summary>
    public string Period => Window == TierWindow.Day ? _bill.DateText(_bill.DailyTotals.EpochDayAt(First)) : IsoDate.FormatMonth(Date);

    /// <summary>The daily totals the charge prices, in date order: one for a daily window.</summary>
    public ImmutableArray<DailyTotal> Days
    {
        get
        {
            var (first, end) = (First, Columns.EndTotal(_index));
            var builder = ImmutableArray.CreateBuilder<DailyTotal>(end - first);
            for (var i = first; i < end; i++)
            {
                builder.Add(_bill.DailyTotals[i]);
            }

            return builder.MoveToImmutable();
        }
    }

    /// <summary>How many daily totals the charge prices: 1 for a daily window.</summary>
    public int DayCount => Columns.EndTotal(_index) - First;

    /// <summary>The window's billable whole seconds.</summary>
    public long BillableSeconds => _bill.SecondsOf(_index);

    /// <summary>Seconds per tag over the window, ordered by tag; empty when tags were not gathered.</summary>
    public ImmutableSortedDictionary<string, long> TagSeconds
    {
        get
        {
            var (first, end) = (First, Columns.EndTotal(_index));
            if (_bill.DailyTotals.Tags is not { } tags)
            {
                return ImmutableSortedDictionary<string, long>.Empty.WithComparers(StringComparer.Ordinal);
            }

            var builder = ImmutableSortedDictionary.CreateBuilder<string, long>(StringComparer.Ordinal);
            for (var k = tags.Start[first]; k < tags.Start[end]; k++)
            {
                var name = tags.Names[tags.Tag[k]];
                builder[name] = builder.GetValueOrDefault(name) + tags.Seconds[k];
            }

            return builder.ToImmutable();
        }
    }

    /// <summary>The seconds that carry no tag.</summary>
    public long UntaggedSeconds => BillableSeconds - TagSeconds.Values.Sum();

    /// <summary>The price version that priced the charge (the same as <see cref="Charge"/>'s, without working out the exact fee).</summary>
    public PriceTable Table => Columns.Table(_index);

    /// <summary>The tier the window reached (the same as <see cref="Charge"/>'s).</summary>
    public PriceTier Tier => Columns.Tier(_index);

    /// <summary>The seconds a free monthly allowance covered (the same as <see cref="Charge"/>'s).</summary>
    public decimal AllowanceSeconds => Columns.AllowanceSeconds(_index);

    /// <summary>The whole seconds prepaid packs covered, after the allowance (the same as <see cref="Charge"/>'s); 0 without packs.</summary>
    public long PackSeconds => Columns.PackSeconds(_index);

    /// <summary>What each pack covered, in the order they were used (billing rule 11); empty when none did.</summary>
    public ImmutableArray<PackCoverage> PackCoverage => Columns.Packs?.Coverage(_index) ?? [];

    /// <summary>The seconds billed pay-as-you-go: <see cref="BillableSeconds"/> − <see cref="AllowanceSeconds"/> − <see cref="PackSeconds"/>.</summary>
    public decimal PaidSeconds => BillableSeconds - AllowanceSeconds - PackSeconds;

    /// <summary>The charge: tier, unit price, exact and rounded fee, allowance, pack seconds and the price version.</summary>
    public Charge Charge => PriceCalculator.PriceSeconds(Table, BillableSeconds, Columns.AllowanceSeconds(_index), PackSeconds);

    /// <summary>The fee, rounded to cents.</summary>
    public Money Fee => Money.Trusted(Columns.Fees[_index], Table.Currency);

    /// <summary>
    /// Formats invariantly: <c>2025-09-02 acme: 1.40 USD = 1 h × 1.40 USD/h (real-time, tier 1 of 5: …)</c>;
    /// a monthly window also says how many days it adds up, and a charge that packs covered says which
    /// (<c>; packs: rt-30 10 h</c>).
    /// </summary>
    /// <returns>The line as text.</returns>
    public override string ToString()
    {
        var text = string.Create(CultureInfo.InvariantCulture, $"{Period} {(Account.Length == 0 ? Subtotal.DefaultAccount : Account)}: {Charge}");
        if (Window == TierWindow.Month)
        {
            text = string.Create(CultureInfo.InvariantCulture, $"{text}, over {TextCount.Of(DayCount, "day")}");
        }

        var packs = PackCoverage;
        return packs.IsEmpty ? text : $"{text}; packs: {string.Join(", ", packs)}";
    }

    /// <inheritdoc />
    public bool Equals(BillCharge? other) => other is not null && ReferenceEquals(_bill, other._bill) && _index == other._index;

    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as BillCharge);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(_bill, _index);
}
