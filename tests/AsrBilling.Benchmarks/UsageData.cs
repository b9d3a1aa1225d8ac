using NodaTime;

namespace AsrBilling.Benchmarks;

/// <summary>Deterministic synthetic usage for benchmarks.</summary>
public static class UsageData
{
    /// <summary>
    /// Records over <paramref name="days"/> days from 2025-09-01 (China time), in random order, for
    /// <paramref name="accounts"/> accounts with string ids, the four services, durations from 0.1 s
    /// to two hours. No ids, so that duplicate detection keeps no per-record state.
    /// </summary>
    public static UsageRecord[] Records(int count, int accounts, int days, int seed)
    {
        var random = new Random(seed);
        var accountIds = Enumerable.Range(0, accounts).Select(i => $"acct-{i:D5}").ToArray();
        var origin = Instant.FromUtc(2025, 8, 31, 16, 0);
        var records = new UsageRecord[count];
        for (var i = 0; i < count; i++)
        {
            var start = origin + Duration.FromMilliseconds(random.NextInt64(days * 86_400_000L));
            var duration = Duration.FromMilliseconds(random.NextInt64(100, 7_200_000));
            records[i] = new UsageRecord(
                AsrService.All[random.Next(4)], start, duration, account: accountIds[random.Next(accounts)]);
        }

        return records;
    }
}
