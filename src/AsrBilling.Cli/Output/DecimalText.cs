using System.Buffers.Binary;
using System.Buffers.Text;
using System.Globalization;
using System.Numerics;

namespace AsrBilling.Cli.Output;

/// <summary>
/// A decimal as <see cref="decimal.TryFormat(Span{byte}, out int, ReadOnlySpan{char}, IFormatProvider?)"/>
/// prints it with the invariant culture (all its scale's digits, trailing zeros kept), worked out from its
/// integer parts: the runtime's general number formatting was a large part of a statement's CSV (AllocationCsvBenchmarks).
/// </summary>
internal static class DecimalText
{
    /// <summary>The most bytes a decimal takes: a sign, 29 digits, a point and a leading zero.</summary>
    public const int MaxLength = 32;

    /// <summary>Writes the text of <paramref name="value"/> as ASCII into <paramref name="destination"/> of at least <see cref="MaxLength"/> bytes; returns its length.</summary>
    public static int Format(decimal value, Span<byte> destination)
    {
        Span<int> bits = stackalloc int[4];
        decimal.GetBits(value, bits);

        // Negative values and mantissas past 64 bits are rare in a bill: the runtime formats those.
        if (bits[2] != 0 || bits[3] < 0)
        {
            return value.TryFormat(destination, out var written, default, CultureInfo.InvariantCulture)
                ? written
                : throw new ArgumentException("The destination is shorter than a decimal's text.", nameof(destination));
        }

        var mantissa = unchecked((uint)bits[0] | ((ulong)(uint)bits[1] << 32));
        var scale = (bits[3] >> 16) & 0xFF;
        Span<byte> digits = stackalloc byte[20];
        Utf8Formatter.TryFormat(mantissa, digits, out var count);
        if (scale == 0)
        {
            digits[..count].CopyTo(destination);
            return count;
        }

        if (count <= scale)
        {
            // 0.00ddd: a leading zero, the point, then zeros up to the digits.
            destination[0] = (byte)'0';
            destination[1] = (byte)'.';
            destination.Slice(2, scale - count).Fill((byte)'0');
            digits[..count].CopyTo(destination[(2 + scale - count)..]);
            return 2 + scale;
        }

        var whole = count - scale;
        digits[..whole].CopyTo(destination);
        destination[whole] = (byte)'.';
        digits[whole..count].CopyTo(destination[(whole + 1)..]);
        return count + 1;
    }

    /// <summary>
    /// Writes a whole number's digits as ASCII into <paramref name="destination"/> of at least 20 bytes; returns their
    /// length. Below 10^8, as most seconds and amounts of a statement are, the digits come from one word
    /// (<see cref="ShareText.EightDigits"/>) with the leading zeros shifted out, rather than from the runtime's formatter (AllocationCsvBenchmarks).
    /// </summary>
    public static int FormatWhole(ulong value, Span<byte> destination)
    {
        if (value >= 100_000_000 || destination.Length < sizeof(ulong))
        {
            Utf8Formatter.TryFormat(value, destination, out var written);
            return written;
        }

        if (value == 0)
        {
            destination[0] = (byte)'0';
            return 1;
        }

        // The first digit is in the lowest byte: the leading zeros are the low bytes whose digit is 0.
        var digits = ShareText.EightDigits((uint)value);
        var zeros = BitOperations.TrailingZeroCount(digits - 0x30303030_30303030UL) >> 3;
        BinaryPrimitives.WriteUInt64LittleEndian(destination, digits >> (zeros * 8));
        return 8 - zeros;
    }

    /// <summary>
    /// Writes whole cents as the amount with two decimals they make (what <see cref="Format"/> writes for a
    /// decimal of scale 2), as ASCII into <paramref name="destination"/> of at least <see cref="MaxLength"/> bytes; returns its length.
    /// </summary>
    public static int FormatCents(long cents, Span<byte> destination)
    {
        var at = 0;
        if (cents < 0)
        {
            destination[at++] = (byte)'-';
        }

        var magnitude = cents < 0 ? unchecked(0UL - (ulong)cents) : (ulong)cents;
        at += FormatWhole(magnitude / 100, destination[at..]);
        var hundredths = (int)(magnitude % 100);
        destination[at] = (byte)'.';
        destination[at + 1] = (byte)('0' + (hundredths / 10));
        destination[at + 2] = (byte)('0' + (hundredths % 10));
        return at + 3;
    }
}
