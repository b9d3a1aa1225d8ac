using System.Buffers;
using System.Globalization;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text;
using NodaTime;
using NodaTime.Text;

namespace AsrBilling.Csv;

/// <summary>
/// Parsers for CSV fields that never allocate on the common path and say exactly what is wrong.
/// </summary>
internal static class FieldParsers
{
    private const long TicksPerSecond = 10_000_000L;

    /// <summary>The largest offset from UTC NodaTime reads: ±18:00.</summary>
    private const int MaxOffsetMinutes = 18 * 60;

    private static readonly long MinUnixTicks = Instant.MinValue.ToUnixTimeTicks();
    private static readonly long MaxUnixTicks = Instant.MaxValue.ToUnixTimeTicks();

    /// <summary>The longest field the parsers read in place; a longer one is not one of their shapes.</summary>
    private const int Narrow = 64;

    private static readonly AsrService?[] ByLength = KnownByLength();

    private static readonly byte[]?[] Utf8IdByLength = [.. ByLength.Select(s => s is null ? null : Encoding.UTF8.GetBytes(s.Id))];

    /// <summary>The service of a price book with an id: the well-known ids by an exact compare first, then any id of the book, ignoring ASCII case and spaces.</summary>
    public static AsrService? Service(ReadOnlySpan<char> text, IReadOnlyList<AsrService> services)
    {
        Span<byte> ascii = stackalloc byte[Narrow];
        return TryNarrow(text, ascii, out var bytes) ? Service(bytes, services) : AnyService(Text(text).Trim(), services);
    }

    /// <summary>The same as <see cref="Service(ReadOnlySpan{char}, IReadOnlyList{AsrService})"/>, over the field's UTF-8 bytes.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static AsrService? Service(ReadOnlySpan<byte> text, IReadOnlyList<AsrService> services)
    {
        var exact = (uint)text.Length < (uint)Utf8IdByLength.Length ? Utf8IdByLength[text.Length] : null;
        return exact is not null && SameBytes(text, exact) ? Priced(ByLength[text.Length]!, services) : AnyService(Encoding.UTF8.GetString(text).Trim(), services);
    }

    /// <summary>A built-in service when the book prices it, else null: its rows are bad rows of their service column.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static AsrService? Priced(AsrService service, IReadOnlyList<AsrService> services)
    {
        for (var i = 0; i < services.Count; i++)
        {
            if (ReferenceEquals(services[i], service) || services[i].Equals(service))
            {
                return service;
            }
        }

        return null;
    }

    private static AsrService?[] KnownByLength()
    {
        var known = new AsrService?[AsrService.All.Max(s => s.Id.Length) + 1];
        foreach (var service in AsrService.All)
        {
            known[service.Id.Length] = service;
        }

        return known;
    }

    // Its own method: a lambda's captured variable in Service would allocate its closure on every
    // call, the exact matches included (measured: one allocation a row of a bill).
    private static AsrService? AnyService(string trimmed, IReadOnlyList<AsrService> services) =>
        services.FirstOrDefault(s => trimmed.Equals(s.Id, StringComparison.OrdinalIgnoreCase));

    public static string UnknownService(ReadOnlySpan<char> text, IEnumerable<AsrService> services)
    {
        var (id, valid) = (Text(text), string.Join(", ", services.Select(s => s.Id)));
        return AsrService.All.Any(s => s.Id.Equals(id.Trim(), StringComparison.OrdinalIgnoreCase))
            ? $"the price book has no prices for '{id}'; it prices: {valid}"
            : $"unknown service id '{id}'; valid ids: {valid}";
    }

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

    /// <summary>
    /// Parses a non-negative decimal number of seconds and rounds it up to whole seconds (billing
    /// rule 4), exactly: any non-zero fraction digit adds a second, however far right it is.
    /// </summary>
    public static bool TryBillableSeconds(ReadOnlySpan<char> text, out long seconds, out string? error)
    {
        text = Trim(text);
        Span<byte> ascii = stackalloc byte[Narrow];
        if (TryNarrow(text, ascii, out var bytes) && TryFastSeconds(bytes, out seconds))
        {
            error = null;
            return true;
        }

        var asString = Text(text);
        error = DecimalSeconds(asString, out seconds);
        return error is null;
    }

    /// <summary>
    /// The same as <see cref="TryBillableSeconds(ReadOnlySpan{char}, out long, out string?)"/> over
    /// the field's UTF-8 bytes, without the reason.
    /// </summary>
    public static bool TryBillableSeconds(ReadOnlySpan<byte> text, out long seconds)
    {
        text = Trim(text);
        return TryFastSeconds(text, out seconds) || DecimalSeconds(Encoding.UTF8.GetString(text), out seconds) is null;
    }

    /// <summary>Reads seconds with <see cref="decimal"/>; returns why they are not valid, or null.</summary>
    private static string? DecimalSeconds(string text, out long seconds)
    {
        seconds = 0;
        if (!decimal.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value))
        {
            return text.Length == 0 ? "the duration is empty" : $"'{text}' is not a number of seconds such as 90 or 12.5";
        }

        if (value < 0)
        {
            return $"the duration {text} is negative";
        }

        var ceiling = decimal.Ceiling(value);
        if (ceiling > long.MaxValue)
        {
            return $"the duration {text} s is larger than {long.MaxValue} s";
        }

        seconds = (long)ceiling;
        return null;
    }

    /// <summary>Parses whole non-negative seconds, as daily totals give them.</summary>
    public static bool TryWholeSeconds(ReadOnlySpan<char> text, out long seconds, out string? error)
    {
        text = text.Trim();
        if (long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out seconds))
        {
            error = null;
            return true;
        }

        error = text.StartsWith("-") ? $"the seconds {text} are negative" : $"'{text}' is not a whole number of seconds";
        return false;
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

    /// <summary>The text as a string.</summary>
    public static string Text(ReadOnlySpan<char> text) => new(text);

    /// <summary>
    /// Whether two byte strings are equal. Fields of 4 to 16 bytes (ids, accounts, tags) are compared
    /// as two overlapping words each, in line; the span compare is a call, three of them a row.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool SameBytes(ReadOnlySpan<byte> a, ReadOnlySpan<byte> b)
    {
        if (a.Length != b.Length)
        {
            return false;
        }

        return a.Length switch
        {
            >= 8 and <= 16 => MemoryMarshal.Read<ulong>(a) == MemoryMarshal.Read<ulong>(b) && MemoryMarshal.Read<ulong>(a[^8..]) == MemoryMarshal.Read<ulong>(b[^8..]),
            >= 4 and < 8 => MemoryMarshal.Read<uint>(a) == MemoryMarshal.Read<uint>(b) && MemoryMarshal.Read<uint>(a[^4..]) == MemoryMarshal.Read<uint>(b[^4..]),
            _ => a.SequenceEqual(b),
        };
    }

    /// <summary>The stack buffer a caller of <see cref="Utf8"/> offers: room for 85 characters of any script.</summary>
    public const int StackBytes = 256;

    /// <summary>A field read as text, as UTF-8 in the caller's buffer, or in a new array when it does not fit.</summary>
    public static ReadOnlySpan<byte> Utf8(ReadOnlySpan<char> text, Span<byte> buffer)
    {
        if (Encoding.UTF8.GetMaxByteCount(text.Length) > buffer.Length)
        {
            buffer = new byte[Encoding.UTF8.GetByteCount(text)];
        }

        return buffer[..Encoding.UTF8.GetBytes(text, buffer)];
    }

    /// <summary>The text without leading and trailing spaces and tabs.</summary>
    public static ReadOnlySpan<char> Trim(ReadOnlySpan<char> text) => text.Trim(" \t");

    /// <summary>The bytes without leading and trailing spaces and tabs.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ReadOnlySpan<byte> Trim(ReadOnlySpan<byte> text)
    {
        var start = 0;
        var end = text.Length;
        while (start < end && text[start] is (byte)' ' or (byte)'\t')
        {
            start++;
        }

        while (end > start && text[end - 1] is (byte)' ' or (byte)'\t')
        {
            end--;
        }

        return text[start..end];
    }

    /// <summary>
    /// The text as ASCII bytes in a caller's buffer, for the parsers that read bytes; false when it is
    /// longer than the buffer or not ASCII, which no fast shape is.
    /// </summary>
    private static bool TryNarrow(ReadOnlySpan<char> text, Span<byte> buffer, out ReadOnlySpan<byte> bytes)
    {
        if (text.Length <= buffer.Length && Ascii.FromUtf16(text, buffer, out var written) == OperationStatus.Done)
        {
            bytes = buffer[..written];
            return true;
        }

        bytes = default;
        return false;
    }

    // Fully optimized at its first call rather than tiered up (see the remarks on ByteRowScanner).
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static bool TryFastSeconds(ReadOnlySpan<byte> text, out long seconds)
    {
        if (text.Length is >= 4 and <= 8 && TryEightByteSeconds(text, out seconds))
        {
            return true;
        }

        seconds = 0;
        var i = 0;
        long whole = 0;
        while (i < text.Length && unchecked((uint)(C(text[i]) - '0')) <= 9)
        {
            if (i >= 18)
            {
                return false; // could overflow: leave it to decimal
            }

            whole = (whole * 10) + (C(text[i]) - '0');
            i++;
        }

        if (i == 0)
        {
            return false;
        }

        var fraction = false;
        if (i < text.Length)
        {
            if (C(text[i]) != '.')
            {
                return false;
            }

            var digits = 0;
            for (i++; i < text.Length; i++, digits++)
            {
                var digit = C(text[i]) - '0';
                if (unchecked((uint)digit) > 9)
                {
                    return false;
                }

                fraction |= digit != 0;
            }

            if (digits == 0)
            {
                return false;
            }
        }

        seconds = fraction ? whole + 1 : whole;
        return true;
    }

    /// <summary>
    /// <see cref="TryFastSeconds"/> for 4 to 8 bytes (most durations, such as <c>3995.324</c>) as one
    /// word: the first dot found by the zero-byte test, every other byte checked to be a digit by
    /// its nibbles, the whole seconds read eight digits at a time (Lemire's multiply-and-shift), and
    /// the fraction only tested for a non-zero digit. False when the text has another shape, which
    /// the loop then reads.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool TryEightByteSeconds(ReadOnlySpan<byte> text, out long seconds)
    {
        seconds = 0;
        unchecked
        {
            // Two overlapping 4-byte reads hold every byte, in order, with zeros above the text.
            var length = text.Length;
            var word = MemoryMarshal.Read<uint>(text) | ((ulong)MemoryMarshal.Read<uint>(text[^4..]) << (8 * (length - 4)));
            var inText = length == 8 ? ulong.MaxValue : (1UL << (8 * length)) - 1;
            var dots = word ^ 0x2E2E2E2E2E2E2E2E;
            var dotBits = (dots - 0x0101010101010101) & ~dots & 0x8080808080808080 & inText;
            var whole = dotBits == 0 ? length : BitOperations.TrailingZeroCount(dotBits) >> 3;
            if (whole == 0 || whole == length - 1)
            {
                return false; // ".5" or "5.": the loop and then the decimal reading decide
            }

            // The dot read as a '0', then every byte must be a digit.
            var digitsText = whole == length ? word : word ^ (0x1EUL << (8 * whole));
            if ((digitsText & 0xF0F0F0F0F0F0F0F0 & inText) != (0x3030303030303030 & inText)
                || (((digitsText & 0x0F0F0F0F0F0F0F0F) + 0x0606060606060606) & 0xF0F0F0F0F0F0F0F0 & inText) != 0)
            {
                return false;
            }

            var digits = digitsText & 0x0F0F0F0F0F0F0F0F & inText;
            var wholeBits = whole == 8 ? ulong.MaxValue : (1UL << (8 * whole)) - 1;

            // The whole digits moved to the top bytes (zero digits before them), then pairs,
            // fours and eights of digits combined: the value of eight digits.
            var value = (digits & wholeBits) << (8 * (8 - whole));
            value = (value * 2561) >> 8;
            value = ((value & 0x00FF00FF00FF00FF) * 6553601) >> 16;
            value = ((value & 0x0000FFFF0000FFFF) * 42949672960001) >> 32;
            seconds = (long)value + ((digits & ~wholeBits) != 0 ? 1 : 0);
            return true;
        }
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

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int C(byte value) => value;

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
