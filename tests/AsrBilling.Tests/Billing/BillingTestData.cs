using NodaTime.Text;

namespace AsrBilling.Tests.Billing;

/// <summary>Builders for usage records in tests: instants are written as ISO text so the expected billing day is visible.</summary>
internal static class BillingTestData
{
    public static Instant At(string isoInstant) => InstantPattern.ExtendedIso.Parse(isoInstant).Value;

    public static UsageRecord Record(
        string isoStart, double seconds, AsrService? service = null, string? id = null, string? account = null, string? tag = null) =>
        new(service ?? AsrService.RealTime, At(isoStart), Duration.FromTicks((long)Math.Round(seconds * 10_000_000)), id, account, tag);

    public static UsageRecord Record(Instant start, long seconds, AsrService? service = null, string? id = null, string? account = null, string? tag = null) =>
        new(service ?? AsrService.RealTime, start, Duration.FromSeconds(seconds), id, account, tag);

    /// <summary>
    /// Random records for property tests: a few accounts, tags and ids, the four services, start
    /// instants over ten days, durations from 0 to two hours with fractional seconds.
    /// </summary>
    public static List<UsageRecord> RandomRecords(int seed, int count, bool withIds = true, int idPool = int.MaxValue)
    {
        var random = new Random(seed);
        var origin = At("2025-09-01T00:00:00Z");
        var records = new List<UsageRecord>(count);
        for (var i = 0; i < count; i++)
        {
            var service = AsrService.All[random.Next(AsrService.All.Length)];
            var start = origin + Duration.FromMilliseconds(random.NextInt64(10L * 24 * 3600 * 1000));
            var duration = random.Next(10) == 0 ? Duration.Zero : Duration.FromMilliseconds(random.NextInt64(2L * 3600 * 1000));
            var id = withIds ? $"r{(idPool == int.MaxValue ? i : random.Next(idPool))}" : null;
            var account = random.Next(4) == 0 ? null : $"acct-{random.Next(3)}";
            var tag = random.Next(3) == 0 ? null : $"team-{random.Next(4)}";
            records.Add(new UsageRecord(service, start, duration, id, account, tag));
        }

        return records;
    }

    /// <summary>A bill as plain comparable values: every charge's key, seconds, tags, tier and fee, then the totals.</summary>
    public static List<string> Snapshot(Bill bill) =>
    [
        .. bill.Charges.Select(c =>
            $"{c.Account}|{c.Service.Id}|{c.Date}|{c.BillableSeconds}|{string.Join(",", c.TagSeconds.Select(t => $"{t.Key}={t.Value}"))}|{c.Charge.Tier.Number}|{c.Fee}"),
        .. bill.Totals.Select(t => $"total {t}"),
    ];
}
