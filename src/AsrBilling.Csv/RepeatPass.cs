using AsrBilling.Bulk;
using NodaTime;

namespace AsrBilling.Csv;

/// <summary>
/// Reads the file again for the rows whose id key repeats across the parallel workers, and compares
/// their ids as text: each row whose id came earlier in the file is a repeat.
/// </summary>
internal static class RepeatPass
{
    public static string DuplicateReason(ReadOnlySpan<char> id, long firstLine) => $"duplicate id '{id}', first seen on line {firstLine}";

    /// <summary>
    /// Returns the repeats' usage, to take out of the totals, and the repeats themselves, with the
    /// line of their id's first occurrence.
    /// </summary>
    public static (DailyTotalTable Totals, List<RejectedRow> Rows) Read(
        UsageCsvOptions csv, CsvSource source, CsvLayout layout, List<(long Start, long End)> chunks, long[] firstLines, HashSet<ulong> repeatedKeys)
    {
        var found = new List<RepeatCandidate>[chunks.Count];
        ParallelRead.ForEachChunk(csv.Threads, chunks, () => new ChunkWorker(csv, layout, inlineDuplicates: false, repeatedKeys), (worker, k) =>
        {
            var (start, end) = chunks[k];
            using var stream = new CountingStream(CsvInput.OpenAt(source, start, end - start), null);
            found[k] = worker.Run(stream, firstLines[k], shouldStop: null).Candidates;
        });

        var repeats = new UsageAggregator(csv.Billing);
        var rows = new List<RejectedRow>();
        foreach (var occurrences in found.SelectMany(f => f).GroupBy(c => c.Id, StringComparer.Ordinal))
        {
            var first = occurrences.Min(c => c.Line);
            foreach (var repeat in occurrences.Where(c => c.Line != first))
            {
                repeats.Add(repeats.GetKey(repeat.Account, repeat.Tag), repeat.Service, repeat.Start, repeat.Seconds);
                rows.Add(new RejectedRow(repeat.Line, DuplicateReason(repeat.Id, first), repeat.Raw));
            }
        }

        return (repeats.ToDailyTotalTable(), rows);
    }

    /// <summary>The totals less the repeats' usage; rare (only files with repeated ids), so built through <see cref="DailyTotal"/>s.</summary>
    public static DailyTotalTable Subtract(DailyTotalTable totals, DailyTotalTable repeats)
    {
        var remove = repeats.ToDictionary(t => (t.Account, t.Service, t.Date));
        return DailyTotalTable.From(totals.Select(t =>
        {
            if (!remove.TryGetValue((t.Account, t.Service, t.Date), out var r))
            {
                return t;
            }

            var tags = t.TagSeconds.Select(p => KeyValuePair.Create(p.Key, p.Value - r.TagSeconds.GetValueOrDefault(p.Key))).Where(p => p.Value > 0);
            return new DailyTotal(t.Account, t.Service, t.Date, t.BillableSeconds - r.BillableSeconds, tags);
        }));
    }
}

/// <summary>A valid row whose id key repeats: its id, its text, and the usage it adds.</summary>
internal sealed record RepeatCandidate(long Line, string Id, string Raw, string Account, string? Tag, AsrService Service, Instant Start, long Seconds);
