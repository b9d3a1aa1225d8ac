using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text;
using NodaTime;
using NodaTime.Text;

namespace AsrBilling.Csv;

// Instants and dates: the fast byte path for the common ISO shapes, NodaTime's patterns for the rest.
internal static partial class FieldParsers
{
    /// <summary>
    /// Parses an ISO-8601 instant with <c>Z</c> or an explicit offset. The fast path reads
    /// <c>YYYY-MM-DDTHH:MM:SS[.fffffffff](Z|±HH:MM)</c> in place; anything else goes to NodaTime's
    /// <see cref="OffsetDateTimePattern"/>, which needs a string per row: the pattern alone cost more
    /// than the CSV reading, so the common shape is read by hand and NodaTime stays the authority for
    /// every other shape.
    /// </summary>
    public static bool TryInstant(ReadOnlySpan<char> text, DateCache? dates, out Instant value, out string? error)
    {
        text = Trim(text);
        Span<byte> ascii = stackalloc byte[Narrow];
        if (TryNarrow(text, ascii, out var bytes) && TryFastInstant(bytes, dates, out value))
        {
            error = null;
            return true;
        }

        var asString = Text(text);
        var read = TryPatternInstant(asString, out value);
        error = read switch
        {
            PatternInstant.Read => null,
            PatternInstant.OutOfRange => $"'{asString}' is outside the instants that can be billed (years -9998 to 9999 in UTC)",
            _ when LocalDateTimePattern.ExtendedIso.Parse(asString.ToUpperInvariant()).Success =>
                $"'{asString}' has no offset; write it as UTC with Z (2025-09-01T08:00:00Z) or with an offset (2025-09-01T16:00:00+08:00)",
            _ => $"'{asString}' is not an ISO-8601 instant such as 2025-09-01T08:00:00.000Z",
        };
        return read == PatternInstant.Read;
    }

    /// <summary>
    /// The same as <see cref="TryInstant(ReadOnlySpan{char}, DateCache?, out Instant, out string?)"/>
    /// over the field's UTF-8 bytes, to the tick, without the reason: a caller that needs it reads the row again as text.
    /// </summary>
    public static bool TryInstant(ReadOnlySpan<byte> text, DateCache? dates, out Instant value)
    {
        var read = TryUnixTicks(text, dates, out var ticks);
        value = read ? Instant.FromUnixTimeTicks(ticks) : default;
        return read;
    }

    /// <summary>
    /// The same as <see cref="TryInstant(ReadOnlySpan{byte}, DateCache?, out Instant)"/>, as Unix
    /// ticks (100 ns since 1970-01-01T00:00:00Z, truncated): what the usage aggregator keys days on,
    /// without making an <see cref="Instant"/> and taking it apart again.
    /// </summary>
    public static bool TryUnixTicks(ReadOnlySpan<byte> text, DateCache? dates, out long ticks)
    {
        text = Trim(text);
        if (TryFastUnixTicks(text, dates, out ticks))
        {
            return true;
        }

        var read = TryPatternInstant(Encoding.UTF8.GetString(text), out var value) == PatternInstant.Read;
        ticks = read ? value.ToUnixTimeTicks() : 0;
        return read;
    }

    /// <summary>NodaTime's reading, with <c>t</c> and <c>z</c> taken as <c>T</c> and <c>Z</c> as on the fast path (RFC 3339 allows both cases).</summary>
    private static PatternInstant TryPatternInstant(string text, out Instant value)
    {
        value = default;
        var parsed = OffsetDateTimePattern.ExtendedIso.Parse(text.ToUpperInvariant());
        if (!parsed.Success)
        {
            return PatternInstant.NotAnInstant;
        }

        // An offset date-time near either end of the calendar can name a UTC instant past the
        // range of Instant (9999-12-31T23:59:59-18:00, say), which ToInstant refuses.
        try
        {
            value = parsed.Value.ToInstant();
            return PatternInstant.Read;
        }
        catch (Exception e) when (e is ArgumentOutOfRangeException or OverflowException)
        {
            return PatternInstant.OutOfRange;
        }
    }

    private enum PatternInstant
    {
        NotAnInstant,
        OutOfRange,
        Read,
    }

    public static bool TryDate(ReadOnlySpan<char> text, out LocalDate date, out string? error)
    {
        var parsed = IsoDate.Parse(text.Trim().ToString());
        if (parsed.Success)
        {
            date = parsed.Value;
            error = null;
            return true;
        }

        date = default;
        error = $"'{text}' is not a date in the form YYYY-MM-DD";
        return false;
    }

    private static bool TryFastInstant(ReadOnlySpan<byte> s, DateCache? dates, out Instant value)
    {
        var read = TryFastUnixTicks(s, dates, out var ticks);
        value = read ? Instant.FromUnixTimeTicks(ticks) : default;
        return read;
    }

    // Fully optimized at its first call rather than tiered up (see the remarks on ByteRowScanner).
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static bool TryFastUnixTicks(ReadOnlySpan<byte> s, DateCache? dates, out long ticks)
    {
        ticks = 0;
        if (s.Length < 20 || (C(s[10]) | 0x20) != 't')
        {
            return false;
        }

        // HH:MM:SS in one 8-byte read: the digits' high nibbles are 3 and their low nibbles at most
        // 9, the colons exact; then each pair of digits is tens × 10 + units, in bytes 0, 3 and 6.
        // The same nibble test is written out here, for the milliseconds and for the seconds: one
        // shared helper made whole runs 4% slower (21 alternating pairs, 16 of 21 slower).
        var time = MemoryMarshal.Read<ulong>(s[11..]);
        if ((time & 0xF0F0FFF0F0FFF0F0) != 0x30303A30303A3030
            || (((time & 0x0F0F000F0F000F0F) + 0x0606000606000606) & 0xF0F000F0F000F0F0) != 0)
        {
            return false;
        }

        var digits = time & 0x0F0F000F0F000F0F;
        var pairs = unchecked((digits * 10) + (digits >> 8));
        int hour = (int)(pairs & 0xFF), minute = (int)((pairs >> 24) & 0xFF), second = (int)((pairs >> 48) & 0xFF);
        if (hour > 23 || minute > 59 || second > 59)
        {
            return false;
        }

        if (dates is null || !dates.TryGet(s[..10], out var days))
        {
            if (!TryDate(s, out days))
            {
                return false;
            }

            dates?.Add(s[..10], days);
        }

        var i = 19;
        long nanos = 0;
        if ((s.Length == 24 || s.Length == 29) && MemoryMarshal.Read<uint>(s[19..]) is var millis
            && (millis & 0xF0F0F0FF) == 0x3030302E && (((millis & 0x0F0F0F00) + 0x06060600) & 0xF0F0F000) == 0)
        {
            // The usual three digits (milliseconds) before Z or an offset, in one read.
            nanos = ((((millis >> 8) & 0xF) * 100) + (((millis >> 16) & 0xF) * 10) + ((millis >> 24) & 0xF)) * 1_000_000L;
            i = 23;
        }
        else if (C(s[i]) == '.')
        {
            var start = ++i;
            while (i < s.Length && unchecked((uint)(C(s[i]) - '0')) <= 9)
            {
                if (i - start == 9)
                {
                    return false;
                }

                nanos = (nanos * 10) + (C(s[i]) - '0');
                i++;
            }

            if (i == start)
            {
                return false;
            }

            for (var scale = i - start; scale < 9; scale++)
            {
                nanos *= 10;
            }
        }

        int offsetSeconds;
        if (i == s.Length - 1 && (C(s[i]) | 0x20) == 'z')
        {
            offsetSeconds = 0;
        }
        else if (i == s.Length - 6 && (C(s[i]) == '+' || C(s[i]) == '-') && C(s[i + 3]) == ':'
            && Two(s, i + 1) is >= 0 and <= 18 and var offsetHours && Two(s, i + 4) is >= 0 and <= 59 and var offsetMinutes
            && (offsetHours * 60) + offsetMinutes <= MaxOffsetMinutes)
        {
            offsetSeconds = ((offsetHours * 3600) + (offsetMinutes * 60)) * (C(s[i]) == '-' ? -1 : 1);
        }
        else
        {
            return false;
        }

        // Ticks (100 ns) are as fine as an Instant gets cheaply; truncating the last two digits of
        // nanoseconds never crosses a whole second, so it never changes a billing day. Past either
        // end of Instant's range, NodaTime's reading gives the error.
        var epochSeconds = (days * 86_400L) + (hour * 3600L) + (minute * 60L) + second - offsetSeconds;
        ticks = (epochSeconds * TicksPerSecond) + (nanos / 100);
        return ticks >= MinUnixTicks && ticks <= MaxUnixTicks;
    }

    /// <summary>Reads <c>YYYY-MM-DD</c> as days since 1970-01-01, checking the day of the month.</summary>
    private static bool TryDate(ReadOnlySpan<byte> s, out long days)
    {
        days = 0;
        int century = Two(s, 0), year = Two(s, 2), month = Two(s, 5), day = Two(s, 8);
        if (C(s[4]) != '-' || C(s[7]) != '-' || century < 0 || year < 0 || month is < 1 or > 12 || day < 1)
        {
            return false;
        }

        year += century * 100;
        if (year < 1 || day > DateTime.DaysInMonth(year, month))
        {
            return false;
        }

        days = DaysFromCivil(year, month, day);
        return true;
    }

    /// <summary>Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days_from_civil).</summary>
    private static long DaysFromCivil(int year, int month, int day)
    {
        year -= month <= 2 ? 1 : 0;
        var era = (year >= 0 ? year : year - 399) / 400;
        var yearOfEra = year - (era * 400);
        var dayOfYear = ((153 * (month + (month > 2 ? -3 : 9))) + 2) / 5 + day - 1;
        var dayOfEra = (yearOfEra * 365) + (yearOfEra / 4) - (yearOfEra / 100) + dayOfYear;
        return (era * 146_097L) + dayOfEra - 719_468L;
    }

    /// <summary>Two ASCII digits as a number, or -1 when either is not a digit.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int Two(ReadOnlySpan<byte> s, int at)
    {
        uint tens = unchecked((uint)(C(s[at]) - '0')), ones = unchecked((uint)(C(s[at + 1]) - '0'));
        return tens <= 9 && ones <= 9 ? (int)((tens * 10) + ones) : -1;
    }

    /// <summary>
    /// The days of recently seen <c>YYYY-MM-DD</c> prefixes, direct-mapped by day of month: a log's
    /// rows share a few dates, so most rows skip the calendar arithmetic. A date's ten bytes are kept
    /// as two numbers, so that a hit is two compares. One per thread.
    /// </summary>
    internal sealed class DateCache
    {
        private readonly Entry[] _entries = new Entry[32];

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public bool TryGet(ReadOnlySpan<byte> date, out long days)
        {
            var key = Key(date);
            ref readonly var entry = ref _entries[Slot(date)];
            days = entry.Days;
            return entry.Known && entry.Key == key;
        }

        public void Add(ReadOnlySpan<byte> date, long days) => _entries[Slot(date)] = new Entry(Key(date), days, Known: true);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static (ulong Head, ushort Tail) Key(ReadOnlySpan<byte> date) =>
            (MemoryMarshal.Read<ulong>(date), MemoryMarshal.Read<ushort>(date[8..]));

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static int Slot(ReadOnlySpan<byte> date) => ((date[8] * 10) + date[9]) & 31;

        private readonly record struct Entry((ulong Head, ushort Tail) Key, long Days, bool Known);
    }
}
