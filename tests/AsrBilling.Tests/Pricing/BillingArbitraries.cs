using FsCheck;
using FsCheck.Fluent;

namespace AsrBilling.Tests.Pricing;

/// <summary>A generated day's total in hours: not negative, at most 6 decimals.</summary>
public sealed record HoursSample(decimal Hours);

/// <summary>A generated service id of the source's price list.</summary>
public sealed record ServiceSample(string Id)
{
    public AsrService Service => ExpectedPrices.Service(Id);
}

/// <summary>A generated day's total as a duration: whole seconds plus a nanosecond remainder.</summary>
public sealed record DurationSample(long WholeSeconds, int Nanoseconds)
{
    public Duration Duration => Duration.FromSeconds(WholeSeconds) + Duration.FromNanoseconds(Nanoseconds);

    /// <summary>Billing rule 4: any part of a second counts as a whole second.</summary>
    public long BilledSeconds => WholeSeconds + (Nanoseconds > 0 ? 1 : 0);
}

/// <summary>FsCheck generators: wide ranges, values crowding the tier thresholds, and the open tier's huge values.</summary>
public static class BillingArbitraries
{
    private static readonly int[] Thresholds = ExpectedPrices.ThresholdHours;

    public static Arbitrary<HoursSample> Hours()
    {
        var wide =
            from mantissa in Gen.Choose(0, int.MaxValue)
            from scale in Gen.Choose(0, 6)
            select new decimal(mantissa, 0, 0, false, (byte)scale);
        var nearThreshold =
            from threshold in Gen.Elements(Thresholds)
            from offset in Gen.Choose(-100, 100)
            from scale in Gen.Choose(0, 4)
            let hours = threshold + new decimal(Math.Abs(offset), 0, 0, offset < 0, (byte)scale)
            where hours >= 0
            select hours;
        var huge =
            from mantissa in Gen.Choose(0, int.MaxValue)
            select mantissa * 1_000_000m;
        return Gen.Frequency((4, wide), (4, nearThreshold), (1, huge)).Select(h => new HoursSample(h)).ToArbitrary();
    }

    public static Arbitrary<ServiceSample> Services() =>
        Gen.Elements(ExpectedPrices.ServiceIds).Select(id => new ServiceSample(id)).ToArbitrary();

    public static Arbitrary<DurationSample> Durations()
    {
        var wide = Gen.Choose(0, int.MaxValue).Select(s => (long)s);
        var nearThreshold =
            from threshold in Gen.Elements(Thresholds)
            from offset in Gen.Choose(-3, 3)
            let seconds = (threshold * 3600L) + offset
            where seconds >= 0
            select seconds;
        var nanoseconds = Gen.Frequency((1, Gen.Constant(0)), (1, Gen.Choose(1, 999_999_999)));
        return (
            from seconds in Gen.Frequency((1, wide), (1, nearThreshold))
            from nanos in nanoseconds
            select new DurationSample(seconds, nanos)).ToArbitrary();
    }
}
