using FsCheck.Xunit;

namespace AsrBilling.Tests.Pricing;

public class PriceCalculatorTests
{
    private static readonly LocalDate FirstVersion = new(2025, 8, 19);

    /// <summary>
    /// (service id, hours per day, tier number, USD per hour, exact fee, fee) worked out from the
    /// source's table with Python's decimal module (ROUND_HALF_UP), never by the code under test:
    /// every threshold just below, at and just above, 0, fractions, and the open tier's huge values.
    /// </summary>
    public static TheoryData<string, decimal, int, decimal, decimal, decimal> TierCases { get; } = new()
    {
        // real-time: 1.4 / 1.2 / 1 / 0.86 / 0.7 USD/h
        { "real-time", 0m, 1, 1.4m, 0.0m, 0.00m },
        { "real-time", 0.5m, 1, 1.4m, 0.70m, 0.70m },
        { "real-time", 12.345m, 1, 1.4m, 17.2830m, 17.28m },
        { "real-time", 299.99m, 1, 1.4m, 419.986m, 419.99m },
        { "real-time", 300m, 2, 1.2m, 360.0m, 360.00m },
        { "real-time", 300.01m, 2, 1.2m, 360.012m, 360.01m },
        { "real-time", 999.99m, 2, 1.2m, 1199.988m, 1199.99m },
        { "real-time", 1000m, 3, 1m, 1000m, 1000.00m },
        { "real-time", 1000.01m, 3, 1m, 1000.01m, 1000.01m },
        { "real-time", 2999.99m, 3, 1m, 2999.99m, 2999.99m },
        { "real-time", 3000m, 4, 0.86m, 2580.00m, 2580.00m },
        { "real-time", 3000.01m, 4, 0.86m, 2580.0086m, 2580.01m },
        { "real-time", 4999.99m, 4, 0.86m, 4299.9914m, 4299.99m },
        { "real-time", 5000m, 5, 0.7m, 3500.0m, 3500.00m },
        { "real-time", 5000.01m, 5, 0.7m, 3500.007m, 3500.01m },
        { "real-time", 10000000m, 5, 0.7m, 7000000.0m, 7000000.00m },
        { "real-time", 1000000000000m, 5, 0.7m, 700000000000.0m, 700000000000.00m },

        // real-time-large-model: 2 / 1.7 / 1.5 / 1.3 / 1.1 USD/h
        { "real-time-large-model", 0m, 1, 2m, 0m, 0.00m },
        { "real-time-large-model", 0.5m, 1, 2m, 1.0m, 1.00m },
        { "real-time-large-model", 12.345m, 1, 2m, 24.690m, 24.69m },
        { "real-time-large-model", 299.99m, 1, 2m, 599.98m, 599.98m },
        { "real-time-large-model", 300m, 2, 1.7m, 510.0m, 510.00m },
        { "real-time-large-model", 300.01m, 2, 1.7m, 510.017m, 510.02m },
        { "real-time-large-model", 999.99m, 2, 1.7m, 1699.983m, 1699.98m },
        { "real-time-large-model", 1000m, 3, 1.5m, 1500.0m, 1500.00m },
        { "real-time-large-model", 1000.01m, 3, 1.5m, 1500.015m, 1500.02m },
        { "real-time-large-model", 2999.99m, 3, 1.5m, 4499.985m, 4499.99m },
        { "real-time-large-model", 3000m, 4, 1.3m, 3900.0m, 3900.00m },
        { "real-time-large-model", 3000.01m, 4, 1.3m, 3900.013m, 3900.01m },
        { "real-time-large-model", 4999.99m, 4, 1.3m, 6499.987m, 6499.99m },
        { "real-time-large-model", 5000m, 5, 1.1m, 5500.0m, 5500.00m },
        { "real-time-large-model", 5000.01m, 5, 1.1m, 5500.011m, 5500.01m },
        { "real-time-large-model", 10000000m, 5, 1.1m, 11000000.0m, 11000000.00m },
        { "real-time-large-model", 1000000000000m, 5, 1.1m, 1100000000000.0m, 1100000000000.00m },

        // recording-file: 1 / 0.95 / 0.9 / 0.85 / 0.6 USD/h
        { "recording-file", 0m, 1, 1m, 0m, 0.00m },
        { "recording-file", 0.5m, 1, 1m, 0.5m, 0.50m },
        { "recording-file", 12.345m, 1, 1m, 12.345m, 12.35m },
        { "recording-file", 299.99m, 1, 1m, 299.99m, 299.99m },
        { "recording-file", 300m, 2, 0.95m, 285.00m, 285.00m },
        { "recording-file", 300.01m, 2, 0.95m, 285.0095m, 285.01m },
        { "recording-file", 999.99m, 2, 0.95m, 949.9905m, 949.99m },
        { "recording-file", 1000m, 3, 0.9m, 900.0m, 900.00m },
        { "recording-file", 1000.01m, 3, 0.9m, 900.009m, 900.01m },
        { "recording-file", 2999.99m, 3, 0.9m, 2699.991m, 2699.99m },
        { "recording-file", 3000m, 4, 0.85m, 2550.00m, 2550.00m },
        { "recording-file", 3000.01m, 4, 0.85m, 2550.0085m, 2550.01m },
        { "recording-file", 4999.99m, 4, 0.85m, 4249.9915m, 4249.99m },
        { "recording-file", 5000m, 5, 0.6m, 3000.0m, 3000.00m },
        { "recording-file", 5000.01m, 5, 0.6m, 3000.006m, 3000.01m },
        { "recording-file", 10000000m, 5, 0.6m, 6000000.0m, 6000000.00m },
        { "recording-file", 1000000000000m, 5, 0.6m, 600000000000.0m, 600000000000.00m },

        // recording-file-large-model: 1.8 / 1.6 / 1.4 / 1.1 / 0.8 USD/h
        { "recording-file-large-model", 0m, 1, 1.8m, 0.0m, 0.00m },
        { "recording-file-large-model", 0.5m, 1, 1.8m, 0.90m, 0.90m },
        { "recording-file-large-model", 12.345m, 1, 1.8m, 22.2210m, 22.22m },
        { "recording-file-large-model", 299.99m, 1, 1.8m, 539.982m, 539.98m },
        { "recording-file-large-model", 300m, 2, 1.6m, 480.0m, 480.00m },
        { "recording-file-large-model", 300.01m, 2, 1.6m, 480.016m, 480.02m },
        { "recording-file-large-model", 999.99m, 2, 1.6m, 1599.984m, 1599.98m },
        { "recording-file-large-model", 1000m, 3, 1.4m, 1400.0m, 1400.00m },
        { "recording-file-large-model", 1000.01m, 3, 1.4m, 1400.014m, 1400.01m },
        { "recording-file-large-model", 2999.99m, 3, 1.4m, 4199.986m, 4199.99m },
        { "recording-file-large-model", 3000m, 4, 1.1m, 3300.0m, 3300.00m },
        { "recording-file-large-model", 3000.01m, 4, 1.1m, 3300.011m, 3300.01m },
        { "recording-file-large-model", 4999.99m, 4, 1.1m, 5499.989m, 5499.99m },
        { "recording-file-large-model", 5000m, 5, 0.8m, 4000.0m, 4000.00m },
        { "recording-file-large-model", 5000.01m, 5, 0.8m, 4000.008m, 4000.01m },
        { "recording-file-large-model", 10000000m, 5, 0.8m, 8000000.0m, 8000000.00m },
        { "recording-file-large-model", 1000000000000m, 5, 0.8m, 800000000000.0m, 800000000000.00m },

        // Rounding: half a cent goes up (away from zero), and just under half a cent goes down.
        { "real-time", 0.075m, 1, 1.4m, 0.1050m, 0.11m },
        { "real-time", 315m, 2, 1.2m, 378.0m, 378.00m },
        { "recording-file", 0.005m, 1, 1m, 0.005m, 0.01m },
        { "real-time-large-model", 0.005m, 1, 2m, 0.010m, 0.01m },
        { "recording-file-large-model", 0.0025m, 1, 1.8m, 0.00450m, 0.00m },
        { "real-time", 0.0035714m, 1, 1.4m, 0.00499996m, 0.00m },
        { "real-time", 0.0035715m, 1, 1.4m, 0.00500010m, 0.01m },
        { "recording-file", 123.456789m, 1, 1m, 123.456789m, 123.46m },
        { "real-time-large-model", 1234.5678m, 3, 1.5m, 1851.85170m, 1851.85m },
        { "recording-file-large-model", 4321.123m, 4, 1.1m, 4753.2353m, 4753.24m },
    };

    /// <summary>
    /// (whole seconds, tier number, fee) for <see cref="AsrService.RealTime"/>, from Python's decimal
    /// module: seconds × price ÷ 3600, rounded half up to cents.
    /// </summary>
    public static TheoryData<long, int, decimal> RealTimeSecondCases { get; } = new()
    {
        { 0L, 1, 0.00m },
        { 1L, 1, 0.00m },
        { 3600L, 1, 1.40m },
        { 1_079_999L, 1, 420.00m }, // 300 h less one second: 419.99961… at tier 1
        { 1_080_000L, 2, 360.00m }, // exactly 300 h
        { 18_000_000L, 5, 3500.00m }, // exactly 5000 h
    };

    [Theory]
    [MemberData(nameof(TierCases))]
    public void Compute_BuiltInPrices_MatchSourceTable(string serviceId, decimal hours, int tier, decimal unitPrice, decimal exactFee, decimal fee)
    {
        var charge = PriceCalculator.Compute(ExpectedPrices.Service(serviceId), hours);

        charge.Tier.Number.Should().Be(tier);
        charge.UnitPrice.Amount.Should().Be(unitPrice);
        charge.ExactFee.Amount.Should().Be(exactFee);
        charge.Fee.Amount.Should().Be(fee);
        charge.Fee.Currency.Should().Be("USD");
        charge.Service.Id.Should().Be(serviceId);
        charge.BillableHours.Should().Be(hours);
    }

    [Theory]
    [MemberData(nameof(TierCases))]
    public void Compute_OnFirstVersionDate_MatchesSourceTable(string serviceId, decimal hours, int tier, decimal unitPrice, decimal exactFee, decimal fee)
    {
        var charge = PriceCalculator.Compute(ExpectedPrices.Service(serviceId), hours, FirstVersion);

        charge.Tier.Number.Should().Be(tier);
        charge.UnitPrice.Amount.Should().Be(unitPrice);
        charge.ExactFee.Amount.Should().Be(exactFee);
        charge.Fee.Amount.Should().Be(fee);
    }

    /// <summary>NodaMoney's ValidateTestData: checks every row against the tests' own table with integer arithmetic only.</summary>
    [Theory]
    [MemberData(nameof(TierCases))]
    public void TierCases_AreConsistentWithOwnPriceTable(string serviceId, decimal hours, int tier, decimal unitPrice, decimal exactFee, decimal fee)
    {
        tier.Should().Be(ExpectedPrices.TierNumber(hours));
        unitPrice.Should().Be(ExpectedPrices.UnitPrices(serviceId)[tier - 1]);
        ExpectedPrices.EqualsFraction(exactFee, ExpectedPrices.ExactFee(serviceId, hours)).Should().BeTrue("the exact fee is hours × price");
        ExpectedPrices.Cents(fee).Should().Be(ExpectedPrices.FeeCents(serviceId, hours), "the fee is the exact fee rounded half up to cents");
    }

    [Fact]
    public void TierCases_CoverEveryServiceAroundEveryThreshold()
    {
        var rows = TierCases.Select(row => (Service: row.Data.Item1, Hours: row.Data.Item2)).ToList();

        foreach (var service in ExpectedPrices.ServiceIds)
        {
            var hours = rows.Where(r => r.Service == service).Select(r => r.Hours).ToHashSet();
            hours.Should().Contain([0m, 0.5m, 12.345m, 10_000_000m, 1_000_000_000_000m], service);
            foreach (var threshold in ExpectedPrices.ThresholdHours.Skip(1))
            {
                hours.Should().Contain([threshold - 0.01m, threshold, threshold + 0.01m], $"{service} around {threshold} h");
            }
        }
    }

    [Theory]
    [MemberData(nameof(RealTimeSecondCases))]
    public void RealTimeSecondCases_AreConsistentWithOwnPriceTable(long seconds, int tier, decimal fee)
    {
        tier.Should().Be(ExpectedPrices.TierNumberBySeconds(seconds));
        ExpectedPrices.Cents(fee).Should().Be(ExpectedPrices.FeeCentsBySeconds(ExpectedPrices.RealTime, seconds));
    }

    [Fact]
    public void Compute_RealTime315Hours_MatchesSourceWorkedExample()
    {
        var charge = PriceCalculator.Compute(AsrService.RealTime, 315m);

        charge.Fee.Amount.Should().Be(378.00m);
        charge.Fee.Should().Be(new Money(378m, "USD"));
        charge.Tier.Number.Should().Be(2);
        charge.ToString().Should().Be("378.00 USD = 315 h × 1.20 USD/h (real-time, tier 2 of 5: 300 h to 1000 h; prices of 2025-08-19)");
    }

    [Fact]
    public void Compute_At300Hours_UsesSecondTier()
    {
        PriceCalculator.Compute(AsrService.RealTime, 299.99m).Tier.Number.Should().Be(1);
        PriceCalculator.Compute(AsrService.RealTime, 300m).Tier.Number.Should().Be(2);
    }

    [Fact]
    public void Compute_ReachingThreshold_BillsAllHoursAtCheaperTier()
    {
        // Volume (all-units) pricing, billing rule 2: the day's total moves every hour to the tier reached,
        // so crossing 300 h lowers the fee.
        PriceCalculator.Compute(AsrService.RealTime, 299.99m).Fee.Amount.Should().Be(419.99m);
        PriceCalculator.Compute(AsrService.RealTime, 300m).Fee.Amount.Should().Be(360.00m);
    }

    [Fact]
    public void Compute_HalfCent_RoundsHalfAwayFromZero()
    {
        // 0.075 h × 1.4 USD/h = 0.105 USD exactly; banker's rounding would give 0.10.
        var charge = PriceCalculator.Compute(AsrService.RealTime, 0.075m);

        charge.ExactFee.Amount.Should().Be(0.105m);
        charge.Fee.Amount.Should().Be(0.11m);
        charge.ToString().Should().Contain("exact 0.105 USD");
        charge.ToString().Should().Be(
            "0.11 USD = 0.075 h × 1.40 USD/h (real-time, tier 1 of 5: 0 h to 300 h; prices of 2025-08-19; exact 0.105 USD, rounded half away from zero)");
    }

    [Fact]
    public void Compute_RecordingFile12_345Hours_RoundsHalfUpNotToEven()
    {
        // 12.345 USD exactly: to even would give 12.34.
        PriceCalculator.Compute(AsrService.RecordingFile, 12.345m).Fee.Amount.Should().Be(12.35m);
    }

    [Fact]
    public void Compute_ZeroHours_CostsZero()
    {
        foreach (var service in ExpectedPrices.ServiceIds.Select(ExpectedPrices.Service))
        {
            var charge = PriceCalculator.Compute(service, 0m);
            charge.Fee.Amount.Should().Be(0m);
            charge.ExactFee.Amount.Should().Be(0m);
            charge.Tier.Number.Should().Be(1);
        }
    }

    [Fact]
    public void Compute_NegativeHours_ThrowsWithParamNameHours()
    {
        var table = PriceBook.TencentCloudInternational.GetLatestTable(AsrService.RealTime);

        Action[] calls =
        [
            () => PriceCalculator.Compute(AsrService.RealTime, -0.01m),
            () => PriceCalculator.Compute(table, -1m),
            () => PriceCalculator.Compute(AsrService.RealTime, -1m, FirstVersion),
            () => PriceCalculator.Compute(PriceBook.TencentCloudInternational, AsrService.RealTime, -1m, FirstVersion),
        ];

        foreach (var call in calls)
        {
            call.Should().Throw<ArgumentOutOfRangeException>().WithParameterName("hours");
        }
    }

    [Fact]
    public void Compute_NullArguments_ThrowArgumentNullException()
    {
        FluentActions.Invoking(() => PriceCalculator.Compute((AsrService)null!, 1m))
            .Should().Throw<ArgumentNullException>().WithParameterName("service");
        FluentActions.Invoking(() => PriceCalculator.Compute((PriceTable)null!, 1m))
            .Should().Throw<ArgumentNullException>().WithParameterName("table");
        FluentActions.Invoking(() => PriceCalculator.Compute(null!, Duration.Zero))
            .Should().Throw<ArgumentNullException>().WithParameterName("service");
        FluentActions.Invoking(() => PriceCalculator.Compute(null!, AsrService.RealTime, 1m, FirstVersion))
            .Should().Throw<ArgumentNullException>().WithParameterName("book");
    }

    [Fact]
    public void Compute_DurationOfFifthOfSecond_BillsOneWholeSecond()
    {
        var charge = PriceCalculator.Compute(AsrService.RealTime, Duration.FromMilliseconds(200));

        charge.BillableSeconds.Should().Be(1m);
        charge.Tier.Number.Should().Be(1);
        // 1 s × 1.4 USD/h ÷ 3600 = 0.000388… USD (Python decimal, 28 places).
        charge.ExactFee.Amount.Should().Be(0.0003888888888888888888888889m);
        charge.Fee.Amount.Should().Be(0.00m);
        charge.ToString().Should().StartWith("0.00 USD = 1 s × 1.40 USD/h (real-time, tier 1 of 5");
        charge.Should().Be(PriceCalculator.Compute(AsrService.RealTime, Duration.FromSeconds(1)));
    }

    [Fact]
    public void Compute_OneNanosecond_BillsOneWholeSecond()
    {
        PriceCalculator.Compute(AsrService.RealTime, Duration.FromNanoseconds(1)).BillableSeconds.Should().Be(1m);
    }

    [Fact]
    public void Compute_DurationZero_CostsZero()
    {
        var charge = PriceCalculator.Compute(AsrService.RealTime, Duration.Zero);

        charge.BillableSeconds.Should().Be(0m);
        charge.Fee.Amount.Should().Be(0m);
        charge.ExactFee.Amount.Should().Be(0m);
    }

    [Fact]
    public void Compute_DurationOneHour_Costs1_40()
    {
        var charge = PriceCalculator.Compute(AsrService.RealTime, Duration.FromHours(1));

        charge.Fee.Amount.Should().Be(1.40m);
        charge.BillableHours.Should().Be(1m);
        charge.ToString().Should().Be("1.40 USD = 1 h × 1.40 USD/h (real-time, tier 1 of 5: 0 h to 300 h; prices of 2025-08-19)");
    }

    [Fact]
    public void Compute_DurationHalfSecondBelow300Hours_RoundsUpIntoSecondTier()
    {
        // Rounding up to whole seconds happens before the tier is chosen (billing rules 3 and 4).
        var charge = PriceCalculator.Compute(AsrService.RealTime, Duration.FromHours(300) - Duration.FromMilliseconds(500));

        charge.BillableSeconds.Should().Be(1_080_000m);
        charge.Tier.Number.Should().Be(2);
        charge.Fee.Amount.Should().Be(360.00m);
    }

    [Theory]
    [MemberData(nameof(RealTimeSecondCases))]
    public void Compute_RealTimeWholeSeconds_MatchesSourceTable(long seconds, int tier, decimal fee)
    {
        var charge = PriceCalculator.Compute(AsrService.RealTime, Duration.FromSeconds(seconds));

        charge.BillableSeconds.Should().Be(seconds);
        charge.Tier.Number.Should().Be(tier);
        charge.Fee.Amount.Should().Be(fee);
    }

    [Fact]
    public void Compute_NegativeDuration_ThrowsWithParamNameDuration()
    {
        FluentActions.Invoking(() => PriceCalculator.Compute(AsrService.RealTime, Duration.FromNanoseconds(-1)))
            .Should().Throw<ArgumentOutOfRangeException>().WithParameterName("duration");
    }

    [Fact]
    public void Compute_DurationBeyondInt64Nanoseconds_PricesWholeSeconds()
    {
        // 3,000,000 h is 1.08e19 ns, more than long.MaxValue nanoseconds, yet only 1.08e10 whole seconds.
        // 3,000,000 h × 0.7 USD/h = 2,100,000.00 USD. The hours overload prices far larger totals.
        var charge = PriceCalculator.Compute(AsrService.RealTime, Duration.FromHours(3_000_000));

        charge.BillableSeconds.Should().Be(10_800_000_000m);
        charge.Fee.Amount.Should().Be(2_100_000.00m);
    }

    [Fact]
    public void Compute_WithCustomTable_UsesThatTable()
    {
        var table = PriceTable.FromThresholds(
            AsrService.RecordingFile, new LocalDate(2026, 1, 1), "EUR", [(0m, 2m), (10m, 1.5m), (100m, 0.25m)]);

        var below = PriceCalculator.Compute(table, 9.99m);
        var at = PriceCalculator.Compute(table, 10m);
        var open = PriceCalculator.Compute(table, 1000.5m);

        below.Fee.Should().Be(new Money(19.98m, "EUR"));
        below.Tier.Number.Should().Be(1);
        at.Fee.Should().Be(new Money(15.00m, "EUR"));
        at.Tier.Number.Should().Be(2);
        // 1000.5 × 0.25 = 250.125 → 250.13
        open.ExactFee.Should().Be(new Money(250.125m, "EUR"));
        open.Fee.Should().Be(new Money(250.13m, "EUR"));
        open.Tier.Number.Should().Be(3);
        open.Table.Should().BeSameAs(table);
        open.ToString().Should().Be(
            "250.13 EUR = 1000.5 h × 0.25 EUR/h (recording-file, tier 3 of 3: 100 h and above; prices of 2026-01-01; exact 250.125 EUR, rounded half away from zero)");
    }

    [Fact]
    public void Compute_FeeBeyondDecimalRange_ThrowsOverflowException()
    {
        var table = PriceTable.FromThresholds(AsrService.RealTime, FirstVersion, "USD", [(0m, 2m)]);

        FluentActions.Invoking(() => PriceCalculator.Compute(table, decimal.MaxValue))
            .Should().Throw<OverflowException>().WithMessage("*real-time*too large*");
    }

    [Fact]
    public void Compute_DateBeforeFirstVersion_ThrowsPriceNotFound()
    {
        var date = new LocalDate(2025, 8, 18);

        var error = FluentActions.Invoking(() => PriceCalculator.Compute(AsrService.RealTime, 10m, date))
            .Should().Throw<PriceNotFoundException>().Which;

        error.Message.Should().Contain("2025-08-18").And.Contain("2025-08-19").And.Contain("real-time");
        error.Date.Should().Be(date);
        error.EarliestEffectiveFrom.Should().Be(FirstVersion);
        error.ServiceId.Should().Be("real-time");
    }

    [Fact]
    public void Compute_OnOrAfterFirstVersion_UsesIt()
    {
        PriceCalculator.Compute(AsrService.RealTime, 315m, FirstVersion).Fee.Amount.Should().Be(378.00m);
        PriceCalculator.Compute(AsrService.RealTime, 315m, new LocalDate(2100, 1, 1)).Fee.Amount.Should().Be(378.00m);
    }

    [Fact]
    public void Compute_BookWithTwoVersions_PicksVersionInForceOnDate()
    {
        var first = PriceTable.FromThresholds(
            AsrService.RealTime, FirstVersion, "USD", [(0m, 1.4m), (300m, 1.2m), (1000m, 1m), (3000m, 0.86m), (5000m, 0.7m)]);
        var second = PriceTable.FromThresholds(
            AsrService.RealTime, new LocalDate(2026, 1, 1), "USD", [(0m, 1.3m), (300m, 1.1m), (1000m, 0.9m), (3000m, 0.8m), (5000m, 0.6m)]);
        var book = new PriceBook("two versions", [second, first]);

        PriceCalculator.Compute(book, AsrService.RealTime, 315m, new LocalDate(2025, 12, 31)).Fee.Amount.Should().Be(378.00m);
        PriceCalculator.Compute(book, AsrService.RealTime, 315m, new LocalDate(2026, 1, 1)).Fee.Amount.Should().Be(346.50m);
        PriceCalculator.Compute(book, AsrService.RealTime, 315m, new LocalDate(2026, 1, 1)).ToString().Should().EndWith("prices of 2026-01-01)");
        FluentActions.Invoking(() => PriceCalculator.Compute(book, AsrService.RealTime, 315m, new LocalDate(2025, 8, 18)))
            .Should().Throw<PriceNotFoundException>().Which.EarliestEffectiveFrom.Should().Be(FirstVersion);
    }

    [Fact]
    public void Compute_ServiceMissingFromBook_ThrowsPriceNotFound()
    {
        var book = new PriceBook(
            "real-time only", [PriceTable.FromThresholds(AsrService.RealTime, FirstVersion, "USD", [(0m, 1m)])]);

        var error = FluentActions.Invoking(() => PriceCalculator.Compute(book, AsrService.RecordingFile, 1m, FirstVersion))
            .Should().Throw<PriceNotFoundException>().Which;

        error.ServiceId.Should().Be("recording-file");
        error.EarliestEffectiveFrom.Should().BeNull();
        error.Message.Should().Contain("recording-file").And.Contain("real-time");
    }

    [Property(Arbitrary = [typeof(BillingArbitraries)], MaxTest = 1000)]
    public void Compute_AnyHours_FeeHasAtMostTwoDecimals(ServiceSample service, HoursSample hours)
    {
        var fee = PriceCalculator.Compute(service.Service, hours.Hours).Fee.Amount;

        fee.Scale.Should().BeLessThanOrEqualTo(2);
        ExpectedPrices.Cents(fee).Should().NotBeNull();
    }

    [Property(Arbitrary = [typeof(BillingArbitraries)], MaxTest = 1000)]
    public void Compute_AnyHours_FeeIsWithinHalfCentOfExactFee(ServiceSample service, HoursSample hours)
    {
        var charge = PriceCalculator.Compute(service.Service, hours.Hours);

        Math.Abs(charge.Fee.Amount - charge.ExactFee.Amount).Should().BeLessThanOrEqualTo(0.005m);
    }

    [Property(Arbitrary = [typeof(BillingArbitraries)], MaxTest = 1000)]
    public void Compute_MoreHours_NeverReachesLowerTier(ServiceSample service, HoursSample a, HoursSample b)
    {
        var fewer = Math.Min(a.Hours, b.Hours);
        var more = Math.Max(a.Hours, b.Hours);

        PriceCalculator.Compute(service.Service, fewer).Tier.Number
            .Should().BeLessThanOrEqualTo(PriceCalculator.Compute(service.Service, more).Tier.Number);
    }

    [Property(Arbitrary = [typeof(BillingArbitraries)], MaxTest = 1000)]
    public void Compute_AnyHours_EqualsHoursTimesOwnTablePrice(ServiceSample service, HoursSample hours)
    {
        var charge = PriceCalculator.Compute(service.Service, hours.Hours);

        charge.Tier.Number.Should().Be(ExpectedPrices.TierNumber(hours.Hours));
        charge.UnitPrice.Amount.Should().Be(ExpectedPrices.UnitPrices(service.Id)[charge.Tier.Number - 1]);
        ExpectedPrices.EqualsFraction(charge.ExactFee.Amount, ExpectedPrices.ExactFee(service.Id, hours.Hours)).Should().BeTrue();
        ExpectedPrices.Cents(charge.Fee.Amount).Should().Be(ExpectedPrices.FeeCents(service.Id, hours.Hours));
    }

    [Property(Arbitrary = [typeof(BillingArbitraries)], MaxTest = 1000)]
    public void Compute_AnyDuration_BillsRoundedUpSecondsAtOwnTablePrice(ServiceSample service, DurationSample duration)
    {
        var charge = PriceCalculator.Compute(service.Service, duration.Duration);

        charge.BillableSeconds.Should().Be(duration.BilledSeconds);
        charge.Tier.Number.Should().Be(ExpectedPrices.TierNumberBySeconds(duration.BilledSeconds));
        ExpectedPrices.Cents(charge.Fee.Amount).Should().Be(ExpectedPrices.FeeCentsBySeconds(service.Id, duration.BilledSeconds));
    }

    [Property(Arbitrary = [typeof(BillingArbitraries)])]
    public void Compute_LatestBuiltInTable_EqualsComputeByService(ServiceSample service, HoursSample hours)
    {
        var table = PriceBook.TencentCloudInternational.GetLatestTable(service.Service);

        PriceCalculator.Compute(table, hours.Hours).Should().Be(PriceCalculator.Compute(service.Service, hours.Hours));
    }
}
