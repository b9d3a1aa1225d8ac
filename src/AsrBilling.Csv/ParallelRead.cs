using AsrBilling.Bulk;

namespace AsrBilling.Csv;

/// <summary>
/// Reads a file's byte ranges on several threads, each worker logging its ids, then checks the ids
/// across workers, takes the repeats out and merges the workers' totals.
/// </summary>
internal static class ParallelRead
{
    /// <summary>
    /// The file's totals, rows and rejects; null when the file must be read in one pass: a split fell
    /// inside a quoted field, or a day's seconds overflowed (in a worker, or when the workers' totals
    /// were merged), where which row is the bad one depends on the order the rows are added in.
    /// </summary>
    public static UsageCsvResult? Read(UsageCsvOptions csv, CsvSource source, CsvLayout layout, List<(long Start, long End)> chunks)
    {
        var firstErrorChunk = int.MaxValue;
        var reads = new ChunkRead?[chunks.Count];
        var progress = ProgressCounter.Start(csv.Progress, chunks[^1].End - chunks[0].Start);
        var workers = ForEachChunk(csv.Threads, chunks, () => new ChunkWorker(csv, layout, inlineDuplicates: false), (worker, k) =>
        {
            // A chunk after the first bad one is not needed: the run stops there.
            if (Volatile.Read(ref firstErrorChunk) < k)
            {
                return;
            }

            var (start, end) = chunks[k];
            using var stream = new CountingStream(CsvInput.OpenAt(source, start, end - start), progress);
            reads[k] = worker.Run(stream, firstLine: 0, shouldStop: () => Volatile.Read(ref firstErrorChunk) < k);
            if (reads[k]!.FirstError is not null)
            {
                InterlockedMin(ref firstErrorChunk, k);
            }
        });

        // Chunks after the first bad one may be missing: nothing after it is reported.
        var read = reads.Select(r => r ?? ChunkRead.Skipped).ToArray();

        // A split inside a quoted field has an odd number of quotes before it.
        long quotes = 0;
        for (var k = 0; k + 1 < read.Length; k++)
        {
            quotes += read[k].Quotes;
            if (quotes % 2 != 0)
            {
                return null;
            }
        }

        // Chunk k numbers its lines from 0; its first line is line firstLines[k] of the file.
        var firstLines = new long[read.Length];
        firstLines[0] = 2;
        for (var k = 1; k < read.Length; k++)
        {
            firstLines[k] = firstLines[k - 1] + read[k - 1].Lines;
        }

        // The first bad row in file order: a chunk's first error, or a repeated id. Every row before
        // the first error was read, so every repeat before it is known.
        var errors = read.Select((r, k) => r.FirstError is { } e ? e with { Line = e.Line + firstLines[k] } : null).OfType<RowError>().ToList();

        // The duplicate finder and the merge overlap; the merge is wasted only when the run fails.
        // The finder frees the logs as soon as it is done with them, while the merge is still going.
        var logs = workers.Select(w => w.Ids!).ToArray();
        if (workers.Any(w => w.Overflowed))
        {
            Array.ForEach(logs, log => log.Dispose());
            return null;
        }

        var findRepeatedKeys = Task.Run(() => IdLog.FindRepeatedKeysAndFree(logs));
        DailyTotalTable? totals;
        HashSet<ulong> repeatedKeys;
        try
        {
            totals = Merge(workers);
        }
        catch (UsageOverflowException)
        {
            totals = null;
        }
        finally
        {
            repeatedKeys = findRepeatedKeys.GetAwaiter().GetResult();
        }

        if (totals is null)
        {
            return null;
        }

        var repeats = repeatedKeys.Count > 0 ? RepeatPass.Read(csv, source, layout, chunks, firstLines, repeatedKeys) : (Totals: DailyTotalTable.Empty, Rows: [], ZeroDays: DailyTotalTable.Empty);
        if (!csv.KeepRejects && csv.Billing.Duplicates == DuplicatePolicy.Reject && repeats.Rows.Count > 0)
        {
            var repeat = repeats.Rows.MinBy(r => r.Line)!;
            errors.Add(new RowError(repeat.Line, "id", repeat.Reason));
        }

        if (errors.Count > 0)
        {
            var first = errors.MinBy(e => e.Line)!;
            throw new UsageCsvException(first.Line, first.Column, first.Reason);
        }

        var rejects = new List<RejectedRow>();
        for (var k = 0; k < read.Length; k++)
        {
            rejects.AddRange(read[k].Rejects.Select(r => r with { Line = r.Line + firstLines[k] }));
        }

        long ignored = 0;
        if (repeats.Rows.Count > 0)
        {
            totals = totals.Subtract(repeats.Totals, repeats.ZeroDays);
            if (csv.Billing.Duplicates == DuplicatePolicy.Ignore)
            {
                ignored = repeats.Rows.Count;
            }
            else
            {
                rejects.AddRange(repeats.Rows.Select(r => r with { Reason = "id: " + r.Reason }));
            }
        }

        rejects.Sort((a, b) => a.Line.CompareTo(b.Line));
        return new UsageCsvResult(totals, read.Sum(r => r.Rows), ignored, rejects);
    }

    /// <summary>
    /// Runs the body over every chunk with one worker per thread: each thread takes the next chunk in
    /// file order as it finishes one. Rethrows a worker's own exception unwrapped.
    /// </summary>
    public static ChunkWorker[] ForEachChunk(int threads, List<(long Start, long End)> chunks, Func<ChunkWorker> create, Action<ChunkWorker, int> body)
    {
        var workers = new ChunkWorker[Math.Min(Math.Max(threads, 1), chunks.Count)];
        var next = -1;
        RunAll(workers.Length, t =>
        {
            var worker = workers[t] = create();
            for (int k; (k = Interlocked.Increment(ref next)) < chunks.Count;)
            {
                body(worker, k);
            }
        });
        return workers;
    }

    /// <summary>The daily totals of the workers' aggregators together, written on all cores in one pass.</summary>
    private static DailyTotalTable Merge(ChunkWorker[] workers) => UsageAggregatorBulk.ToDailyTotalTableAndRelease([.. workers.Select(w => w.Aggregator)]);

    /// <summary>Runs one action per worker in parallel, and rethrows a worker's own exception unwrapped.</summary>
    private static void RunAll(int count, Action<int> body)
    {
        try
        {
            Parallel.For(0, count, new ParallelOptions { MaxDegreeOfParallelism = count }, body);
        }
        catch (AggregateException e) when (e.InnerExceptions.Count >= 1)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(e.InnerExceptions[0]).Throw();
        }
    }

    private static void InterlockedMin(ref int target, int value)
    {
        int current;
        while (value < (current = Volatile.Read(ref target)) && Interlocked.CompareExchange(ref target, value, current) != current)
        {
        }
    }
}

/// <summary>A bad row: its line (numbered as <see cref="ChunkWorker.Run"/> was told), column and reason.</summary>
internal sealed record RowError(long Line, string? Column, string Reason);

/// <summary>What reading one chunk gave, its lines numbered as <see cref="ChunkWorker.Run"/> was told.</summary>
/// <param name="Lines">Lines read, blank ones included: the line numbers the chunk takes up.</param>
/// <param name="Rows">Data rows read (blank lines are not rows).</param>
/// <param name="Quotes">Quote characters in the chunk's bytes: their parity tells whether a split was inside a quoted field.</param>
/// <param name="DuplicatesIgnored">Rows ignored as repeated ids (one worker checking ids as it reads).</param>
/// <param name="Rejects">Bad rows kept as rejects.</param>
/// <param name="Candidates">The rows whose id key repeats, when reading the file again for them.</param>
/// <param name="ZeroRows">The other valid rows of 0 s, when reading the file again.</param>
/// <param name="FirstError">The bad row that stopped the chunk, if any.</param>
internal sealed record ChunkRead(long Lines, long Rows, long Quotes, long DuplicatesIgnored, List<RejectedRow> Rejects, List<RepeatCandidate> Candidates, List<RepeatCandidate> ZeroRows, RowError? FirstError)
{
    /// <summary>A chunk not read, after a bad row in an earlier one.</summary>
    public static ChunkRead Skipped { get; } = new(0, 0, 0, 0, [], [], [], null);
}
