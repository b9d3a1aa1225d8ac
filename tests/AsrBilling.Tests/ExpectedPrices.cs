using System.Numerics;

namespace AsrBilling.Tests;

/// <summary>
/// The tests' own copy of the source's price list (Tencent Cloud ASR international Billing
/// Overview, last updated 2025-08-19), and an integer-only oracle for fees. Nothing here reads
/// the library's price data or calls its arithmetic: expected values must not come from the code
/// under test.
/// </summary>
internal static class ExpectedPrices
{
    /// <summary>The tier thresholds in hours per day: tiers are [0, 300), [300, 1000), [1000, 3000), [3000, 5000), [5000, ∞).</summary>
    public static readonly int[] ThresholdHours = [0, 300, 1000, 3000, 5000];

    public const string RealTime = "real-time";
    public const string RealTimeLargeModel = "real-time-large-model";
    public const string RecordingFile = "recording-file";
    public const string RecordingFileLargeModel = "recording-file-large-model";

    public static readonly string[] ServiceIds = [RealTime, RealTimeLargeModel, RecordingFile, RecordingFileLargeModel];

    /// <summary>USD per hour, tier 1 to tier 5, copied from the source's table.</summary>
    public static decimal[] UnitPrices(string serviceId) => serviceId switch
    {
        RealTime => [1.4m, 1.2m, 1m, 0.86m, 0.7m],
        RealTimeLargeModel => [2m, 1.7m, 1.5m, 1.3m, 1.1m],
        RecordingFile => [1m, 0.95m, 0.9m, 0.85m, 0.6m],
        RecordingFileLargeModel => [1.8m, 1.6m, 1.4m, 1.1m, 0.8m],
        _ => throw new ArgumentOutOfRangeException(nameof(serviceId), serviceId, "Not a service of the source's price list."),
    };

    /// <summary>The well-known instance for an id, without going through <see cref="AsrService.Parse"/>.</summary>
    public static AsrService Service(string serviceId) => serviceId switch
    {
        RealTime => AsrService.RealTime,
        RealTimeLargeModel => AsrService.RealTimeLargeModel,
        RecordingFile => AsrService.RecordingFile,
        RecordingFileLargeModel => AsrService.RecordingFileLargeModel,
        _ => throw new ArgumentOutOfRangeException(nameof(serviceId), serviceId, "Not a service of the source's price list."),
    };

    /// <summary>The 1-based tier that a day's total reaches, by integer comparison: hours ≥ t ⇔ mantissa ≥ t × 10^scale.</summary>
    public static int TierNumber(decimal hours)
    {
        var (mantissa, scale) = Split(hours);
        var tier = 0;
        for (var i = 0; i < ThresholdHours.Length; i++)
        {
            if (mantissa >= ThresholdHours[i] * BigInteger.Pow(10, scale))
            {
                tier = i + 1;
            }
        }

        return tier;
    }

    /// <summary>The 1-based tier that a day's total of whole seconds reaches: seconds ≥ t × 3600.</summary>
    public static int TierNumberBySeconds(long seconds)
    {
        var tier = 0;
        for (var i = 0; i < ThresholdHours.Length; i++)
        {
            if (seconds >= ThresholdHours[i] * 3600L)
            {
                tier = i + 1;
            }
        }

        return tier;
    }

    /// <summary>The exact fee hours × price as an integer fraction.</summary>
    public static (BigInteger Numerator, BigInteger Denominator) ExactFee(string serviceId, decimal hours)
    {
        var (hoursMantissa, hoursScale) = Split(hours);
        var (priceMantissa, priceScale) = Split(UnitPrices(serviceId)[TierNumber(hours) - 1]);
        return (hoursMantissa * priceMantissa, BigInteger.Pow(10, hoursScale + priceScale));
    }

    /// <summary>The exact fee seconds × price ÷ 3600 as an integer fraction.</summary>
    public static (BigInteger Numerator, BigInteger Denominator) ExactFeeBySeconds(string serviceId, long seconds)
    {
        var (priceMantissa, priceScale) = Split(UnitPrices(serviceId)[TierNumberBySeconds(seconds) - 1]);
        return (seconds * priceMantissa, 3600 * BigInteger.Pow(10, priceScale));
    }

    /// <summary>The fee in whole cents for hours of a service: the exact fee rounded half away from zero (fees are never negative).</summary>
    public static BigInteger FeeCents(string serviceId, decimal hours) => RoundHalfUpToCents(ExactFee(serviceId, hours));

    /// <summary>The fee in whole cents for whole seconds of a service.</summary>
    public static BigInteger FeeCentsBySeconds(string serviceId, long seconds) => RoundHalfUpToCents(ExactFeeBySeconds(serviceId, seconds));

    /// <summary>Rounds a non-negative fraction of dollars to cents: floor((200·n + d) / (2·d)).</summary>
    public static BigInteger RoundHalfUpToCents((BigInteger Numerator, BigInteger Denominator) fee) =>
        BigInteger.Divide((200 * fee.Numerator) + fee.Denominator, 2 * fee.Denominator);

    /// <summary>An amount in whole cents, or null when it has a non-zero third decimal.</summary>
    public static BigInteger? Cents(decimal amount)
    {
        var (mantissa, scale) = Split(amount);
        var scaled = mantissa * 100;
        var divisor = BigInteger.Pow(10, scale);
        return scaled % divisor == 0 ? scaled / divisor : null;
    }

    /// <summary>Whether a decimal equals a fraction, by cross-multiplication.</summary>
    public static bool EqualsFraction(decimal value, (BigInteger Numerator, BigInteger Denominator) fraction)
    {
        var (mantissa, scale) = Split(value);
        return mantissa * fraction.Denominator == fraction.Numerator * BigInteger.Pow(10, scale);
    }

    /// <summary>Splits a decimal into its integer mantissa and its power-of-ten scale, from its bits alone.</summary>
    public static (BigInteger Mantissa, int Scale) Split(decimal value)
    {
        var bits = decimal.GetBits(value);
        var mantissa = unchecked((new BigInteger((uint)bits[2]) << 64) | (new BigInteger((uint)bits[1]) << 32) | new BigInteger((uint)bits[0]));
        var negative = (bits[3] & int.MinValue) != 0;
        var scale = (bits[3] >> 16) & 0xFF;
        return (negative ? -mantissa : mantissa, scale);
    }
}
