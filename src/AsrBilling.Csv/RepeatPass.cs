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
    /// Returns the repeats' usage, to take out of the totals, the repeats themselves, with the line of
    /// their id's first occurrence, and the days that rows of 0 s other than repeats bill.
    /// </summary>
    public static (DailyTotalTable Totals, List<RejectedRow> Rows, DailyTotalTable ZeroDays) Read(
        UsageCsvOptions csv, CsvSource source, CsvLayout layout, List<(long Start, long End)> chunks, long[] firstLines, HashSet<ulong> repeatedKeys)
    {
        var found = new List<RepeatCandidate>[chunks.Count];
        var zeros = new List<RepeatCandidate>[chunks.Count];
        ParallelRead.ForEachChunk(csv.Threads, chunks, () => new ChunkWorker(csv, layout, inlineDuplicates: false, repeatedKeys), (worker, k) =>
        {
            var (start, end) = chunks[k];
            using var stream = new CountingStream(CsvInput.OpenAt(source, start, end - start), null);
            var read = worker.Run(stream, firstLines[k], shouldStop: null);
            (found[k], zeros[k]) = (read.Candidates, read.ZeroRows);
        });

        var (repeats, zeroDays) = (new UsageAggregator(csv.Billing), new UsageAggregator(csv.Billing));
        foreach (var zero in zeros.SelectMany(z => z))
        {
            zeroDays.Add(zeroDays.GetKey(zero.Account, zero.Tag), zero.Service, zero.Start, 0);
        }

        var rows = new List<RejectedRow>();
        foreach (var occurrences in found.SelectMany(f => f).GroupBy(c => c.Id, StringComparer.Ordinal))
        {
            var first = occurrences.Min(c => c.Line);
            if (occurrences.First(c => c.Line == first) is { Seconds: 0 } zero)
            {
                zeroDays.Add(zeroDays.GetKey(zero.Account, zero.Tag), zero.Service, zero.Start, 0);
            }

            foreach (var repeat in occurrences.Where(c => c.Line != first))
            {
                repeats.Add(repeats.GetKey(repeat.Account, repeat.Tag), repeat.Service, repeat.Start, repeat.Seconds);
                rows.Add(new RejectedRow(repeat.Line, DuplicateReason(repeat.Id, first), repeat.Raw));
            }
        }

        return (repeats.ToDailyTotalTable(), rows, zeroDays.ToDailyTotalTable());
    }
}

/// <summary>A valid row whose id key repeats: its id, its text, and the usage it adds.</summary>
internal sealed record RepeatCandidate(long Line, string Id, string Raw, string Account, string? Tag, AsrService Service, Instant Start, long Seconds);
