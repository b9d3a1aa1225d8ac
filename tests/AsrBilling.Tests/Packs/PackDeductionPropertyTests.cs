using FsCheck;
using FsCheck.Xunit;

namespace AsrBilling.Tests.Packs;

/// <summary>
/// Laws of pack deduction on random usage and packs of the China book (a daily and a monthly window,
/// free hours on both): every billable second is paid or covered, and no pack covers more than it
/// holds, or usage outside its dates, account or service.
/// </summary>
public class PackDeductionPropertyTests
{
    private static readonly string[] Accounts = [string.Empty, "acme", "beta"];
    private static readonly AsrService[] Services = [AsrService.RealTime, AsrService.RecordingFile];
    private static readonly LocalDate FirstDay = new(2026, 1, 20);

    [Property(MaxTest = 80)]
    public void PaidPlusCovered_IsBillable_AndNoPackIsUsedBeyondItsHoursOrOutsideItsDates(int seed)
    {
        var random = new Random(seed);
        var (totals, packs) = (RandomTotals(random), RandomPacks(random));
        var options = new BillingOptions(priceBook: PriceBook.TencentCloudChina);

        var bill = PriceCalculator.Compute(totals, options.WithPacks(packs));
        var plain = PriceCalculator.Compute(totals, options);

        var used = packs.ToDictionary(p => p.Id, _ => 0L);
        foreach (var charge in bill.Charges)
        {
            charge.PaidSeconds.Should().BeGreaterThanOrEqualTo(0m);
            (charge.PaidSeconds + charge.AllowanceSeconds + charge.PackSeconds).Should().Be(charge.BillableSeconds);
            charge.PackCoverage.Sum(c => c.Seconds).Should().Be(charge.PackSeconds);

            // Volume, all hours counted: the fee is the paid seconds at the tier's price, rounded once.
            charge.Fee.Amount.Should().Be(Math.Round(charge.PaidSeconds * charge.Tier.UnitPrice.Amount / 3600m, 2, MidpointRounding.AwayFromZero));
            foreach (var coverage in charge.PackCoverage)
            {
                coverage.Seconds.Should().BePositive();
                (coverage.Pack.Account, coverage.Pack.Service).Should().Be((charge.Account, charge.Service));
                var daysInValidity = charge.Days.Where(d => coverage.Pack.IsValidOn(d.Date)).Sum(d => d.BillableSeconds);
                coverage.Seconds.Should().BeLessThanOrEqualTo(daysInValidity, $"{coverage.Pack.Id} covers only its dates");
                used[coverage.Pack.Id] += coverage.Seconds;
            }
        }

        foreach (var report in bill.Packs)
        {
            used[report.Pack.Id].Should().Be(report.UsedSeconds).And.BeLessThanOrEqualTo(report.Pack.Seconds);
            (report.UsedSeconds + report.LeftSeconds + report.ExpiredSeconds).Should().Be(report.Pack.Seconds);
            report.SecondsByMonth.Values.Sum().Should().Be(report.UsedSeconds);

            // A pack with seconds to spare leaves no day of its own usage, in its dates, paid.
            if (report.UsedSeconds < report.Pack.Seconds)
            {
                bill.Charges.Where(c => c.Window == TierWindow.Day && c.Account == report.Pack.Account && c.Service == report.Pack.Service && report.Pack.IsValidOn(c.Date) && c.PaidSeconds >= 1m)
                    .Should().BeEmpty($"{report.Pack.Id} had seconds left");
            }
        }

        bill.Total.Amount.Should().BeLessThanOrEqualTo(plain.Total.Amount, "covered hours still count toward the tier, so packs never raise a fee");
        bill.Charges.Sum(c => c.AllowanceSeconds).Should().Be(plain.Charges.Sum(c => c.AllowanceSeconds), "the allowance comes first, packs or not");
    }

    private static List<DailyTotal> RandomTotals(Random random)
    {
        var totals = new Dictionary<(string, AsrService, LocalDate), DailyTotal>();
        for (var i = random.Next(0, 40); i > 0; i--)
        {
            var key = (Accounts[random.Next(Accounts.Length)], Services[random.Next(Services.Length)], FirstDay.PlusDays(random.Next(0, 75)));
            totals[key] = new DailyTotal(key.Item1, key.Item2, key.Item3, random.Next(0, 3) == 0 ? random.Next(0, 100) : random.NextInt64(0, 40 * 3600));
        }

        return [.. totals.Values];
    }

    private static ResourcePackList RandomPacks(Random random)
    {
        var packs = new List<ResourcePack>();
        for (var i = random.Next(0, 6); i > 0; i--)
        {
            var from = FirstDay.PlusDays(random.Next(-10, 70));
            var price = random.Next(0, 2) == 0 ? (Money?)null : new Money(random.Next(1, 2000), "CNY");
            packs.Add(new ResourcePack(
                $"p{i}", Services[random.Next(Services.Length)], random.Next(1, 80), from, from.PlusDays(random.Next(0, 40)), price, Accounts[random.Next(Accounts.Length)]));
        }

        return new ResourcePackList(packs);
    }
}
