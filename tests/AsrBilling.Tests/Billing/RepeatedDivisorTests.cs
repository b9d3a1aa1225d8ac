using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace AsrBilling.Tests.Billing;

/// <summary>
/// Division by a prepared reciprocal must give exactly the quotient and remainder of the hardware's
/// division, for every dividend and divisor: the allocation's cents and shares depend on it.
/// </summary>
public class RepeatedDivisorTests
{
    [Theory]
    [InlineData(0UL, 1UL)]
    [InlineData(ulong.MaxValue, 1UL)]                        // the estimate is one short: one correction
    [InlineData(ulong.MaxValue, 2UL)]
    [InlineData(ulong.MaxValue, 3UL)]
    [InlineData(ulong.MaxValue - 1, ulong.MaxValue)]         // quotient 0, remainder the dividend
    [InlineData(ulong.MaxValue, ulong.MaxValue)]             // quotient 1, remainder 0
    [InlineData(9_999_999_999_999_999_999UL, 4_294_967_295UL)]
    [InlineData(4_294_967_294UL * 1_000_000_000UL, 4_294_967_295UL)] // the share's largest scaled remainder
    [InlineData(1UL << 63, (1UL << 63) + 1)]
    [InlineData((1UL << 63) + 5, 1UL << 62)]
    [InlineData(12_345_678_901_234_567UL, 7UL)]
    [InlineData(158_637UL * 4407UL, 7_653_421UL)]             // a part's seconds times a charge's cents, by the charge's seconds
    public void KnownPairs_DivideAsTheHardwareDoes(ulong dividend, ulong divisor)
    {
        var quotient = new RepeatedDivisor(divisor).DivRem(dividend, out var remainder);

        quotient.Should().Be(dividend / divisor);
        remainder.Should().Be(dividend % divisor);
    }

    [Property(MaxTest = 20_000)]
    public Property AnyDividend_ByAnyDivisor_DividesAsTheHardwareDoes() =>
        Prop.ForAll(Numbers().ToArbitrary(), Numbers().Where(d => d != 0).ToArbitrary(), (dividend, divisor) =>
        {
            var quotient = new RepeatedDivisor(divisor).DivRem(dividend, out var remainder);
            return quotient == dividend / divisor && remainder == dividend % divisor;
        });

    [Fact]
    public void OneDivisor_DividesManyDividends()
    {
        var divisor = new RepeatedDivisor(86_400);
        for (var dividend = 0UL; dividend < 10_000_000; dividend += 997)
        {
            divisor.DivRem(dividend, out var remainder).Should().Be(dividend / 86_400);
            remainder.Should().Be(dividend % 86_400);
        }
    }

    /// <summary>Numbers of every width, and the values next to the powers of two where an estimate is most often short.</summary>
    private static Gen<ulong> Numbers() =>
        Gen.OneOf(
            Gen.Choose(0, 64).SelectMany(bits => ArbMap.Default.GeneratorFor<ulong>().Select(n => bits == 64 ? n : n & ((1UL << bits) - 1))),
            Gen.Choose(1, 63).SelectMany(bits => Gen.Choose(-3, 3).Select(delta => unchecked((1UL << bits) + (ulong)delta))));
}
