namespace AsrBilling.Tests.Pricing;

public class ChargeTests
{
    [Fact]
    public void Equals_SameServiceAndHours_AreEqual()
    {
        var a = PriceCalculator.Compute(AsrService.RealTime, 315m);
        var b = PriceCalculator.Compute(AsrService.RealTime, 315m);

        a.Equals(b).Should().BeTrue();
        a.Equals((object)b).Should().BeTrue();
        (a == b).Should().BeTrue();
        (a != b).Should().BeFalse();
        a.GetHashCode().Should().Be(b.GetHashCode());
    }

    [Fact]
    public void Equals_NumericallyEqualHours_AreEqual()
    {
        var a = PriceCalculator.Compute(AsrService.RealTime, 315m);
        var b = PriceCalculator.Compute(AsrService.RealTime, 315.000m);

        (a == b).Should().BeTrue();
        a.GetHashCode().Should().Be(b.GetHashCode());
    }

    [Fact]
    public void Equals_DifferentHoursOrService_AreNotEqual()
    {
        var charge = PriceCalculator.Compute(AsrService.RealTime, 315m);

        (charge == PriceCalculator.Compute(AsrService.RealTime, 315.01m)).Should().BeFalse();
        (charge != PriceCalculator.Compute(AsrService.RealTimeLargeModel, 315m)).Should().BeTrue();
        charge.Equals(charge.Fee).Should().BeFalse();
        charge.Equals(null).Should().BeFalse();
    }

    [Fact]
    public void Equals_DurationsRoundingToSameSecond_AreEqual()
    {
        var a = PriceCalculator.Compute(AsrService.RecordingFile, Duration.FromMilliseconds(1500));
        var b = PriceCalculator.Compute(AsrService.RecordingFile, Duration.FromSeconds(2));

        (a == b).Should().BeTrue();
        a.GetHashCode().Should().Be(b.GetHashCode());
    }

    [Fact]
    public void Properties_FromHours_DescribeTheCharge()
    {
        var charge = PriceCalculator.Compute(AsrService.RealTime, 315m);

        charge.Service.Should().BeSameAs(AsrService.RealTime);
        charge.Table.Should().BeSameAs(PriceBook.TencentCloudInternational.GetLatestTable(AsrService.RealTime));
        charge.BillableHours.Should().Be(315m);
        charge.BillableSeconds.Should().Be(1_134_000m);
        charge.UnitPrice.Should().Be(new Money(1.2m, "USD"));
        charge.ExactFee.Should().Be(new Money(378m, "USD"));
        charge.Fee.Should().Be(new Money(378m, "USD"));
    }

    [Fact]
    public void Properties_FromDuration_KeepWholeSeconds()
    {
        var charge = PriceCalculator.Compute(AsrService.RealTime, Duration.FromMinutes(90));

        charge.BillableSeconds.Should().Be(5400m);
        charge.BillableHours.Should().Be(1.5m);
        charge.Fee.Amount.Should().Be(2.10m);
    }

    [Fact]
    public void ToString_OpenTier_SaysAndAbove()
    {
        PriceCalculator.Compute(AsrService.RealTime, 10_000_000m).ToString()
            .Should().Be("7000000.00 USD = 10000000 h × 0.70 USD/h (real-time, tier 5 of 5: 5000 h and above; prices of 2025-08-19)");
    }

    [Fact]
    public void ToString_SecondsNotWholeHundredthOfHour_ShowsSeconds()
    {
        // 37 s is not a whole number of hundredths of an hour (36 s), so the seconds are shown.
        PriceCalculator.Compute(AsrService.RecordingFile, Duration.FromSeconds(37)).ToString()
            .Should().StartWith("0.01 USD = 37 s × 1.00 USD/h (recording-file, tier 1 of 5: 0 h to 300 h; prices of 2025-08-19; exact 0.0102");
    }

    [Fact]
    public void ToString_Default_SaysNoCharge()
    {
        default(Charge).ToString().Should().Be("(no charge)");
    }

    [Fact]
    public void Equals_OneHourAndThreeThousandSixHundredSeconds_AreEqual()
    {
        var fromHours = PriceCalculator.Compute(AsrService.RealTime, 1m);
        var fromDuration = PriceCalculator.Compute(AsrService.RealTime, Duration.FromHours(1));

        fromHours.Should().Be(fromDuration);
        (fromHours == fromDuration).Should().BeTrue();
        fromHours.GetHashCode().Should().Be(fromDuration.GetHashCode());
    }

    [Fact]
    public void Equals_EqualTablesBuiltSeparately_AreEqual()
    {
        var table1 = PriceTable.FromThresholds(AsrService.RealTime, new LocalDate(2025, 1, 1), "USD", [(0m, 1m), (10m, 0.5m)]);
        var table2 = PriceTable.FromThresholds(AsrService.RealTime, new LocalDate(2025, 1, 1), "USD", [(0m, 1m), (10m, 0.5m)]);

        PriceCalculator.Compute(table1, 12m).Should().Be(PriceCalculator.Compute(table2, 12m));
    }

    [Fact]
    public void Default_HasZeroFeesWithoutCurrency()
    {
        default(Charge).Fee.Should().Be(new Money(0m, "XXX"));
        default(Charge).ExactFee.Amount.Should().Be(0m);
    }
}
