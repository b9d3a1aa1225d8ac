using System.Buffers.Text;
using System.Globalization;

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
    public static int Format(long part, long whole, Span<byte> destination)
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

        // 28 decimals in two steps of 14, each a 128-bit by 64-bit division: part × 10^14 < 2^110.
        var (high, rest) = UInt128.DivRem((UInt128)(ulong)part * TenTo14, (ulong)whole);
        var (low, remainder) = UInt128.DivRem(rest * TenTo14, (ulong)whole);
        var twice = remainder * 2;
        if (twice > (ulong)whole || (twice == (ulong)whole && (low & 1) == 1))
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
        var length = 30;
        while (destination[length - 1] == (byte)'0')
        {
            length--;
        }

        return destination[length - 1] == (byte)'.' ? length - 1 : length;
    }

    private static readonly System.Buffers.StandardFormat Digits14 = new('D', 14);

    private static int Formatted(decimal value, Span<byte> destination)
    {
        value.TryFormat(destination, out var written, default, CultureInfo.InvariantCulture);
        return written;
    }
}
