using System.Globalization;
using AsrBilling.Cli.Output;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace AsrBilling.Tests.Cli;

/// <summary>
/// The allocation's share column is part ÷ whole as <see cref="decimal"/> divides and prints it; the
/// integer formatter must give the same text, checked against the decimal division itself.
/// </summary>
public class ShareTextTests
{
    [Theory]
    [InlineData(368L, 4263L, "0.0863241848463523340370631011")] // the first line of a 10 M-row allocation
    [InlineData(1L, 4L, "0.25")]                                // exact: trailing zeros dropped
    [InlineData(1L, 3L, "0.3333333333333333333333333333")]
    [InlineData(2L, 3L, "0.6666666666666666666666666667")]
    [InlineData(1L, 536_870_912L, "0.0000000018626451492309570312")] // 2^-29 = …0312|5: half to even keeps 2
    [InlineData(3L, 536_870_912L, "0.0000000055879354476928710938")] // 3 · 2^-29 = …0937|5: half to even makes 8
    [InlineData(0L, 7L, "0")]
    [InlineData(7L, 7L, "1")]
    [InlineData(0L, 0L, "1")]                                   // a charge of no seconds goes whole to its part
    [InlineData(1L, 922_337_203_685L, "0.0000000000010842021724860658")]
    [InlineData(922_337_203_684L, 922_337_203_685L, "0.9999999999989157978275139342")]
    [InlineData(9_999_999L, 10_000_000L, "0.9999999")]
    [InlineData(236L, 237L, "0.99578059071729957805907173")]    // …7299|5…: rounding up carries from the 28th decimal into the 27th
    [InlineData(2438L, 2439L, "0.9995899958999589995899959")]
    [InlineData(4_294_967_294L, 4_294_967_295L, "0.9999999997671693562919202625")] // the largest whole of the 64-bit path
    [InlineData(1L, 4_294_967_295L, "0.0000000002328306437080797375")]
    [InlineData(4_294_967_295L, 4_294_967_296L, "0.9999999997671693563461303711")]  // the smallest whole of the 128-bit path
    public void KnownShares_PrintAsTheDecimalDivisionDoes(long part, long whole, string expected)
    {
        Format(part, whole).Should().Be(expected);
        (whole == 0 ? 1m : (decimal)part / whole).ToString(CultureInfo.InvariantCulture).Should().Be(expected);
    }

    [Property(MaxTest = 20_000)]
    public Property AnyShare_PrintsAsTheDecimalDivisionDoes() =>
        Prop.ForAll(Pairs().ToArbitrary(), pair =>
            Format(pair.Part, pair.Whole) == ((decimal)pair.Part / pair.Whole).ToString(CultureInfo.InvariantCulture));

    [Property(MaxTest = 20_000)]
    public Property BothPaths_GiveTheSameText_ForWholesBelow2To32() =>
        Prop.ForAll(Pairs().Where(p => p.Whole <= uint.MaxValue && p.Part < p.Whole).ToArbitrary(), pair =>
        {
            Span<byte> small = stackalloc byte[64];
            Span<byte> wide = stackalloc byte[64];
            var (s, w) = (ShareText.FormatSmall((ulong)pair.Part, (ulong)pair.Whole, small), ShareText.FormatWide((ulong)pair.Part, (ulong)pair.Whole, wide));
            return small[..s].SequenceEqual(wide[..w]);
        });

    [Theory]
    [InlineData(0u)]
    [InlineData(7u)]
    [InlineData(12_345_678u)]
    [InlineData(10_000_000u)]
    [InlineData(99_999_999u)]
    [InlineData(9_999u)]
    [InlineData(10_000u)]
    public void EightDigits_AreTheNumbersEightDigitText_FirstDigitFirst(uint value)
    {
        Span<byte> text = stackalloc byte[8];
        System.Buffers.Binary.BinaryPrimitives.WriteUInt64LittleEndian(text, ShareText.EightDigits(value));
        System.Text.Encoding.ASCII.GetString(text).Should().Be(value.ToString("D8", CultureInfo.InvariantCulture));
    }

    [Fact]
    public void EightDigits_AgreeWithTheRuntime_AcrossTheRange()
    {
        Span<byte> text = stackalloc byte[8];
        for (var value = 0u; value < 100_000_000; value += 9_973)
        {
            System.Buffers.Binary.BinaryPrimitives.WriteUInt64LittleEndian(text, ShareText.EightDigits(value));
            System.Text.Encoding.ASCII.GetString(text).Should().Be(value.ToString("D8", CultureInfo.InvariantCulture));
        }
    }

    private static Gen<(long Part, long Whole)> Pairs() =>
        from whole in Gen.Frequency(
            (3, Gen.Choose(1, 100_000).Select(w => (long)w)),
            (3, Gen.Choose(1, int.MaxValue).Select(w => (long)w * 4_294_967_311L % long.MaxValue + 1)),
            (2, Gen.Choose(0, 1_000_000).Select(d => uint.MaxValue - (long)d + 1)),
            (1, Gen.Choose(0, 62).Select(k => 1L << k)))
        from part in Gen.Choose(0, int.MaxValue).Select(p => (long)((ulong)p * 2_147_483_659UL % ((ulong)whole + 1)))
        select (part, whole);

    private static string Format(long part, long whole)
    {
        Span<byte> text = stackalloc byte[64];
        return System.Text.Encoding.ASCII.GetString(text[..ShareText.Format(part, whole, text)]);
    }
}
