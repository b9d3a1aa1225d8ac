namespace AsrBilling.Csv;

/// <summary>Takes repeated records' usage out of totals: shared by the CSV and Parquet readers' parallel reads.</summary>
internal static class RepeatTotals
{
    /// <summary>
    /// The totals less the repeats' usage; rare (only files with repeated ids), so built through
    /// <see cref="DailyTotal"/>s. A day (or a tag's seconds on it) the repeats bring to 0 s stays only where
    /// <paramref name="zeroDays"/> holds it (a row of 0 s that is not a repeat bills it): otherwise only repeats billed it.
    /// </summary>
    public static DailyTotalTable Subtract(DailyTotalTable totals, DailyTotalTable repeats, DailyTotalTable zeroDays)
    {
        var remove = repeats.ToDictionary(t => (t.Account, t.Service, t.Date));
        var keep = zeroDays.ToDictionary(t => (t.Account, t.Service, t.Date), t => t.TagSeconds);
        var left = totals.Where(t => !remove.TryGetValue((t.Account, t.Service, t.Date), out var r)
            || t.BillableSeconds > r.BillableSeconds || keep.ContainsKey((t.Account, t.Service, t.Date)));
        return DailyTotalTable.From(left.Select(t =>
        {
            if (!remove.TryGetValue((t.Account, t.Service, t.Date), out var r))
            {
                return t;
            }

            var zeroTags = keep.GetValueOrDefault((t.Account, t.Service, t.Date));
            var tags = t.TagSeconds.Select(p => KeyValuePair.Create(p.Key, p.Value - r.TagSeconds.GetValueOrDefault(p.Key)))
                .Where(p => p.Value > 0 || zeroTags?.ContainsKey(p.Key) == true);
            return new DailyTotal(t.Account, t.Service, t.Date, t.BillableSeconds - r.BillableSeconds, tags);
        }));
    }
}
