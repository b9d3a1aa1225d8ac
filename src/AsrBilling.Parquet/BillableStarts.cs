using NodaTime;

namespace AsrBilling.Parquet;

/// <summary>Which starts can be billed: their billing date is in the calendar and has a price version in force, as the CSV reader decides.</summary>
internal sealed class BillableStarts
{
    private readonly BillingOptions _billing;

    // Before this start some service has no price version in force (every service has one from here on).
    private readonly long _allPricedTicks;
    private readonly long _firstTicks;
    private readonly long _lastTicks;

    public BillableStarts(BillingOptions billing)
    {
        _billing = billing;
        var starts = billing.BillableStarts;
        var latestFirst = billing.PriceBook.Tables.GroupBy(t => t.Service).Max(g => g.Min(t => t.EffectiveFrom));
        try
        {
            _allPricedTicks = latestFirst.AtStartOfDayInZone(billing.Zone).ToInstant().ToUnixTimeTicks();
        }
        catch (ArgumentOutOfRangeException)
        {
            _allPricedTicks = long.MinValue; // the day starts before the first instant: every instant is on or after it
        }

        _firstTicks = Math.Max(starts.HasStart ? starts.Start.ToUnixTimeTicks() : long.MinValue, _allPricedTicks);
        _lastTicks = starts.HasEnd ? starts.End.ToUnixTimeTicks() - 1 : long.MaxValue;
    }

    /// <summary>Whether every service's rows starting at these Unix ticks can be billed: <see cref="Unbillable"/> need not be asked.</summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    public bool AllBillable(long ticks) => ticks >= _firstTicks && ticks <= _lastTicks;

    /// <summary>Why a row of a service starting at these Unix ticks cannot be billed, in the library's words; null when it can.</summary>
    public string? Unbillable(AsrService service, long ticks)
    {
        if (ticks >= _firstTicks && ticks <= _lastTicks)
        {
            return null;
        }

        if (ticks < Instant.MinValue.ToUnixTimeTicks() || ticks > Instant.MaxValue.ToUnixTimeTicks())
        {
            return "the instant is outside the instants that can be billed (years -9998 to 9999 in UTC)";
        }

        var start = Instant.FromUnixTimeTicks(ticks);
        if (ticks > _lastTicks || !_billing.BillableStarts.Contains(start))
        {
            return new BillingDateOutOfRangeException(start, _billing.Zone.Id).Message;
        }

        return ticks >= _allPricedTicks ? null : NoPrice(_billing.PriceBook, service, start.InZone(_billing.Zone).Date);
    }

    /// <summary>Why a service's usage on a billing date has no price, in the library's words; null when a version is in force.</summary>
    public static string? NoPrice(PriceBook book, AsrService service, LocalDate date)
    {
        try
        {
            _ = book.GetTable(service, date);
            return null;
        }
        catch (PriceNotFoundException e)
        {
            return e.Message;
        }
    }
}
