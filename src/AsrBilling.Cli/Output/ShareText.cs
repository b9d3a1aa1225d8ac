using System.Buffers.Binary;
using System.Buffers.Text;
using System.Globalization;
using System.Runtime.CompilerServices;

namespace AsrBilling.Cli.Output;

/// <summary>
/// A part's share of a whole as <see cref="AllocationLine.Share"/> prints: part ÷ whole as
/// <see cref="decimal"/> divides it (28 decimals, rounded half to even, trailing zeros dropped),
/// worked out in integers: the decimal division and its formatting were the allocation CSV's largest cost.
/// </summary>
internal static class ShareText
{
    private const ulong TenTo14 = 100_000_000_000_000;

    /// <summary>The text of part ÷ whole (1 for a whole of 0), as ASCII, into <paramref name="destination"/> of at least 31 bytes; returns its length.</summary>
    public static int Format(long part, long whole, Span<byte> destination) => Format(part, whole, DivisorFor(whole), destination);

    /// <summary>The division by <paramref name="whole"/> that <see cref="Format(long, long, RepeatedDivisor, Span{byte})"/> takes, prepared once for the parts of one whole.</summary>
    public static RepeatedDivisor DivisorFor(long whole) => whole is > 0 and <= uint.MaxValue ? new RepeatedDivisor((ulong)whole) : default;

    /// <summary>As <see cref="Format(long, long, Span{byte})"/>, with the division by <paramref name="whole"/> from <see cref="DivisorFor"/>.</summary>
    public static int Format(long part, long whole, RepeatedDivisor divisor, Span<byte> destination)
    {
        if (whole == 0 || part == whole)
        {
            destination[0] = (byte)'1';
            return 1;
        }

        if (part < 0 || part > whole)
        {
            return Formatted((decimal)part / whole, destination);
        }

        return whole <= uint.MaxValue ? FormatSmall((ulong)part, divisor, destination) : FormatWide((ulong)part, (ulong)whole, destination);
    }

    /// <summary>part ÷ whole for any whole, 0 ≤ part &lt; whole.</summary>
    internal static int FormatWide(ulong part, ulong whole, Span<byte> destination)
    {
        // 28 decimals in two steps of 14, each a 128-bit by 64-bit division: part × 10^14 < 2^110.
        var (high, rest) = UInt128.DivRem((UInt128)part * TenTo14, whole);
        var (low, remainder) = UInt128.DivRem(rest * TenTo14, whole);
        var twice = remainder * 2;
        if (twice > whole || (twice == whole && (low & 1) == 1))
        {
            low++;
            if (low == TenTo14)
            {
                (low, high) = (0, high + 1);
            }
        }

        destination[0] = (byte)'0';
        destination[1] = (byte)'.';
        Utf8Formatter.TryFormat((ulong)high, destination[2..], out _, Digits14);
        Utf8Formatter.TryFormat((ulong)low, destination[16..], out _, Digits14);
        return WithoutTrailingZeros(destination);
    }

    private static readonly System.Buffers.StandardFormat Digits14 = new('D', 14);

    private const ulong TenTo9 = 1_000_000_000;

    /// <summary>
    /// part ÷ whole for a whole below 2^32, 0 ≤ part &lt; whole: a remainder times 10^9 fits in 64 bits, so the 28
    /// decimals come from three 64-bit divisions of 9 digits and one of 1 (by the whole's reciprocal), not from 128-bit ones (AllocationCsvBenchmarks).
    /// </summary>
    internal static int FormatSmall(ulong part, ulong whole, Span<byte> destination) => FormatSmall(part, new RepeatedDivisor(whole), destination);

    /// <summary>part ÷ whole as <see cref="FormatSmall(ulong, ulong, Span{byte})"/>, dividing by the whole's reciprocal.</summary>
    private static int FormatSmall(ulong part, RepeatedDivisor divisor, Span<byte> destination)
    {
        // Each remainder is below whole < 2^32, so times 10^9 it fits 64 bits: nothing to check.
        unchecked
        {
            var whole = divisor.Divisor;
            var rest = part;
            var (g0, g1, g2) = (Next9(ref rest, divisor), Next9(ref rest, divisor), Next9(ref rest, divisor));
            var last = divisor.DivRem(rest * 10, out rest);

            // Half to even on the 28th decimal; a carry stops below 1, which is at least 1 ÷ whole > 10^-10 away.
            var twice = rest * 2;
            if (twice > whole || (twice == whole && (last & 1) == 1))
            {
                if (++last == 10)
                {
                    last = 0;
                    if (++g2 == TenTo9)
                    {
                        g2 = 0;
                        if (++g1 == TenTo9)
                        {
                            (g1, g0) = (0, g0 + 1);
                        }
                    }
                }
            }

            destination[0] = (byte)'0';
            destination[1] = (byte)'.';
            Digits9(g0, destination[2..]);
            Digits9(g1, destination[11..]);
            Digits9(g2, destination[20..]);
            destination[29] = (byte)('0' + last);
            return WithoutTrailingZeros(destination);
        }
    }

    /// <summary>The length of "0." and 28 decimals written in <paramref name="destination"/>, trailing zeros (and a bare point) dropped.</summary>
    private static int WithoutTrailingZeros(ReadOnlySpan<byte> destination)
    {
        var length = 30;
        while (destination[length - 1] == (byte)'0')
        {
            length--;
        }

        return destination[length - 1] == (byte)'.' ? length - 1 : length;
    }

    /// <summary>The next 9 decimals of rest ÷ whole, leaving the remainder in <paramref name="rest"/> (rest &lt; whole &lt; 2^32).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong Next9(ref ulong rest, RepeatedDivisor whole) => whole.DivRem(unchecked(rest * TenTo9), out rest);

    /// <summary>Writes a number below 10^9 as exactly 9 digits: a digit, then eight at once (<see cref="EightDigits"/>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Digits9(ulong value, Span<byte> destination)
    {
        // Below 10^9 throughout: nothing to check.
        unchecked
        {
            var first = (uint)(value / 100_000_000);
            destination[0] = (byte)('0' + first);
            BinaryPrimitives.WriteUInt64LittleEndian(destination[1..], EightDigits((uint)value - (first * 100_000_000)));
        }
    }

    /// <summary>
    /// The 8 ASCII digits of a number below 10^8, the first in the lowest byte, worked out in the lanes of one word (two of
    /// 4 digits, then four of 2, then eight of 1) by multiplications: a digit pair at a time from a table was slower (AllocationCsvBenchmarks).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static ulong EightDigits(uint value)
    {
        // Each lane's quotient by 100 (×10486 >> 20) and by 10 (×103 >> 10) is exact below 10^4 and 100: nothing to check.
        unchecked
        {
            var lanes = (value / 10_000) | ((ulong)(value % 10_000) << 32);
            var hundreds = ((lanes * 10486) >> 20) & 0x0000007F_0000007FUL;
            lanes = hundreds | ((lanes - (hundreds * 100)) << 16);
            var tens = ((lanes * 103) >> 10) & 0x000F000F_000F000FUL;
            lanes = tens | ((lanes - (tens * 10)) << 8);
            return lanes + 0x30303030_30303030UL;
        }
    }

    private static int Formatted(decimal value, Span<byte> destination)
    {
        value.TryFormat(destination, out var written, default, CultureInfo.InvariantCulture);
        return written;
    }
}
