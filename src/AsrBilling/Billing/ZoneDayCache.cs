using System.Runtime.CompilerServices;
using NodaTime;

namespace AsrBilling;

/// <summary>
/// The billing day of an instant: its local date in the billing zone, as days since 1970-01-01,
/// with the zone interval of the last instant cached.
/// </summary>
/// <remarks>
/// Inside the cached interval the local date is plain arithmetic on the ticks and the interval's
/// offset; only an instant outside it asks the zone. A mutable struct so that its fields sit in its
/// owner's object (<see cref="DailyCellStore"/>) and the hot path follows no extra reference: keep it
/// in a non-readonly field and never copy it, or the copy, not the field, would cache the interval.
/// </remarks>
internal struct ZoneDayCache
{
    private const long TicksPerDay = 864_000_000_000L;

    private readonly DateTimeZone _zone;

    // The zone interval of the last instant: empty until the first one.
    private long _intervalStart;
    private long _intervalEnd;
    private long _offsetTicks;

    /// <summary>Creates a cache for a zone, with no interval yet.</summary>
    /// <param name="zone">The billing zone.</param>
    internal ZoneDayCache(DateTimeZone zone)
    {
        _zone = zone;
        _intervalStart = long.MaxValue;
        _intervalEnd = long.MinValue;
        _offsetTicks = 0;
    }

    /// <summary>The billing day of an instant.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal int EpochDay(Instant start) => EpochDay(start.ToUnixTimeTicks());

    /// <summary>The billing day of an instant given as Unix ticks, within NodaTime's range.</summary>
    internal int EpochDay(long ticks)
    {
        if (ticks < _intervalStart || ticks >= _intervalEnd)
        {
            var interval = _zone.GetZoneInterval(Instant.FromUnixTimeTicks(ticks));
            _intervalStart = interval.HasStart ? interval.Start.ToUnixTimeTicks() : long.MinValue;
            _intervalEnd = interval.HasEnd ? interval.End.ToUnixTimeTicks() : long.MaxValue;
            _offsetTicks = interval.WallOffset.Ticks;
        }

        // An instant in NodaTime's range plus an offset of at most 18 hours: neither can overflow.
        var local = unchecked(ticks + _offsetTicks);
        return unchecked((int)(local >= 0 ? local / TicksPerDay : ((local + 1) / TicksPerDay) - 1));
    }

    /// <summary>The date of a billing day.</summary>
    internal static LocalDate DateOf(int epochDay) => new LocalDate(1970, 1, 1).PlusDays(epochDay);
}
