using System.Buffers.Text;
using System.Globalization;
using AsrBilling.Cli.Output;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace AsrBilling.Tests.Cli;

/// <summary>
/// Fees print as the runtime prints a decimal (invariant culture, every digit of its scale); the
/// formatter that works from the decimal's integer parts must give the same text.
/// </summary>
public class DecimalTextTests
{
    [Theory]
    [InlineData("0", "0")]
    [InlineData("0.00", "0.00")]          // the scale's zeros are kept
    [InlineData("0.05", "0.05")]
    [InlineData("0.000123", "0.000123")]
    [InlineData("1.50", "1.50")]
    [InlineData("3.2", "3.2")]
    [InlineData("1234567.89", "1234567.89")]
    [InlineData("18446744073709551615", "18446744073709551615")]   // the largest 64-bit mantissa
    [InlineData("1844674407370955161.6", "1844674407370955161.6")]
    [InlineData("18446744073709551616", "18446744073709551616")]   // past 64 bits: the runtime's path
    [InlineData("-12.30", "-12.30")]                               // negative: the runtime's path
    [InlineData("0.0000000000000000000000000001", "0.0000000000000000000000000001")]
    [InlineData("79228162514264337593543950335", "79228162514264337593543950335")]
    public void KnownAmounts_PrintAsWritten(string amount, string expected)
    {
        var value = decimal.Parse(amount, CultureInfo.InvariantCulture);
        Format(value).Should().Be(expected);
        value.ToString(CultureInfo.InvariantCulture).Should().Be(expected);
    }

    [Property(MaxTest = 20_000)]
    public Property AnyDecimal_PrintsAsTheRuntimeAndTheJsonWriterPrintIt() =>
        Prop.ForAll(Decimals().ToArbitrary(), value =>
        {
            var text = Format(value);
            Span<byte> runtime = stackalloc byte[64];
            Utf8Formatter.TryFormat(value, runtime, out var written).Should().BeTrue();
            return text == value.ToString(CultureInfo.InvariantCulture) && text == System.Text.Encoding.ASCII.GetString(runtime[..written]);
        });

    [Theory]
    [InlineData(0L, "0.00")]
    [InlineData(5L, "0.05")]
    [InlineData(-5L, "-0.05")]
    [InlineData(100L, "1.00")]
    [InlineData(4407L, "44.07")]
    [InlineData(-123_456L, "-1234.56")]
    [InlineData(long.MaxValue, "92233720368547758.07")]
    [InlineData(long.MinValue, "-92233720368547758.08")]
    public void Cents_PrintAsAnAmountWithTwoDecimals(long cents, string expected)
    {
        FormatCents(cents).Should().Be(expected);
        (cents / 100m).ToString("F2", CultureInfo.InvariantCulture).Should().Be(expected);
    }

    [Property(MaxTest = 20_000)]
    public Property AnyCents_PrintAsTheRuntimePrintsTheAmount() =>
        Prop.ForAll(
            Gen.Frequency(
                (3, Gen.Choose(-100_000, 100_000).Select(c => (long)c)),
                (3, Gen.Choose(int.MinValue, int.MaxValue).Select(c => (long)c * 2_147_483_659L))).ToArbitrary(),
            cents => FormatCents(cents) == (cents / 100m).ToString("F2", CultureInfo.InvariantCulture));

    [Theory]
    [InlineData(0UL, "0")]
    [InlineData(7UL, "7")]
    [InlineData(10UL, "10")]
    [InlineData(158_637UL, "158637")]
    [InlineData(10_000_000UL, "10000000")]
    [InlineData(99_999_999UL, "99999999")]          // the largest of one word's eight digits
    [InlineData(100_000_000UL, "100000000")]        // the smallest of the runtime's path
    [InlineData(ulong.MaxValue, "18446744073709551615")]
    public void WholeNumbers_PrintTheirDigits(ulong value, string expected) => FormatWhole(value).Should().Be(expected);

    [Property(MaxTest = 20_000)]
    public Property AnyWholeNumber_PrintsAsTheRuntimePrintsIt() =>
        Prop.ForAll(
            Gen.Frequency(
                (3, Gen.Choose(0, int.MaxValue).Select(n => (ulong)n % 100_000_000)),
                (1, Gen.Choose(0, 19).Select(zeros => Enumerable.Repeat(10UL, zeros).Aggregate(1UL, (power, ten) => power * ten))),
                (1, ArbMap.Default.GeneratorFor<ulong>())).ToArbitrary(),
            value => FormatWhole(value) == value.ToString(CultureInfo.InvariantCulture));

    private static string FormatWhole(ulong value)
    {
        Span<byte> text = stackalloc byte[DecimalText.MaxLength];
        text.Fill((byte)'x');
        return System.Text.Encoding.ASCII.GetString(text[..DecimalText.FormatWhole(value, text)]);
    }

    private static string FormatCents(long cents)
    {
        Span<byte> text = stackalloc byte[DecimalText.MaxLength];
        return System.Text.Encoding.ASCII.GetString(text[..DecimalText.FormatCents(cents, text)]);
    }

    private static Gen<decimal> Decimals() =>
        from low in Gen.Choose(int.MinValue, int.MaxValue)
        from mid in Gen.Frequency((2, Gen.Constant(0)), (2, Gen.Choose(int.MinValue, int.MaxValue)), (1, Gen.Choose(0, 3)))
        from high in Gen.Frequency((6, Gen.Constant(0)), (1, Gen.Choose(int.MinValue, int.MaxValue)))
        from negative in Gen.Frequency((6, Gen.Constant(false)), (1, Gen.Constant(true)))
        from scale in Gen.Choose(0, 28)
        select new decimal(low, mid, high, negative, (byte)scale);

    private static string Format(decimal value)
    {
        Span<byte> text = stackalloc byte[DecimalText.MaxLength];
        return System.Text.Encoding.ASCII.GetString(text[..DecimalText.Format(value, text)]);
    }
}
