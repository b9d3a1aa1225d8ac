using System.Globalization;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text;

namespace AsrBilling.Csv;

// Durations in seconds: the fast byte path for plain decimals, decimal for the rest.
internal static partial class FieldParsers
{
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
}
