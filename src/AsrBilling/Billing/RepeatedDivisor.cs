using System.Runtime.CompilerServices;

// Linked into the command-line tool too, in its own namespace there, so that the internal copies never meet.
#if ASRBILLING_CLI
namespace AsrBilling.Cli.Output;
#else
namespace AsrBilling;
#endif

/// <summary>
/// Exact division of many dividends by one divisor, by a multiplication with its reciprocal and at most one
/// correction instead of a hardware division each: a charge's parts and their shares all divide by the charge's seconds.
/// </summary>
/// <remarks>
/// With m = ⌊(2^64 − 1) ÷ d⌋ = (2^64 − 1 − e) ÷ d for some 0 ≤ e &lt; d, n·m ÷ 2^64 = (n ÷ d)(1 − (1 + e) ÷ 2^64) lies
/// in [n ÷ d − n ÷ 2^64, n ÷ d], so for any n &lt; 2^64 the estimate ⌊n·m ÷ 2^64⌋ is ⌊n ÷ d⌋ or one less: its
/// remainder, brought under d once, gives the exact quotient and remainder.
/// </remarks>
internal readonly struct RepeatedDivisor
{
    private readonly ulong _divisor;
    private readonly ulong _reciprocal;

    /// <summary>Prepares division by <paramref name="divisor"/>, which must not be 0.</summary>
    public RepeatedDivisor(ulong divisor)
    {
        _divisor = divisor;
        _reciprocal = ulong.MaxValue / divisor;
    }

    /// <summary>The divisor.</summary>
    public ulong Divisor => _divisor;

    /// <summary>⌊<paramref name="dividend"/> ÷ divisor⌋, with the remainder in <paramref name="remainder"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public ulong DivRem(ulong dividend, out ulong remainder)
    {
        // quotient × divisor ≤ dividend: nothing to check.
        unchecked
        {
            var quotient = Math.BigMul(dividend, _reciprocal, out _);
            var rest = dividend - (quotient * _divisor);
            if (rest >= _divisor)
            {
                quotient++;
                rest -= _divisor;
            }

            remainder = rest;
            return quotient;
        }
    }
}
