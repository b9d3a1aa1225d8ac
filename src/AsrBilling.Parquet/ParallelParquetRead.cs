using System.Runtime.ExceptionServices;
using AsrBilling.Bulk;
using AsrBilling.Csv;
using Parquet;
using static AsrBilling.Parquet.UsageParquetReader;

namespace AsrBilling.Parquet;

/// <summary>
/// Reads a file's row groups on several threads, each worker on a stream of its own, taking the next
/// group in file order as it finishes one and logging its ids; then, as the CSV reader's parallel read
/// does, finds the ids that repeat, takes the repeats out and merges the workers' totals. The first bad
/// row in file order is the one reported, and nothing after it.
/// </summary>
internal static class ParallelParquetRead
{
    public static UsageParquetResult Read(string path, ParquetReader reader, Stream file, UsageParquetOptions options)
    {
        var groups = reader.RowGroupCount;
        var firstRows = new long[groups];
        for (long g = 0, row = 1; g < groups; row += reader.Metadata!.RowGroups[(int)g].NumRows, g++)
        {
            firstRows[g] = row;
        }

        var opened = new List<IAsyncDisposable>();
        var workers = new List<UsageParquetReader>();
        try
        {
            // The first worker reads with the caller's reader, made here: a bad layout throws before any thread starts.
            workers.Add(new UsageParquetReader(options, reader, file, IdMode.Logging));
            for (var w = 1; w < Math.Min(options.Threads, groups); w++)
            {
                var (stream, own) = Open(path);
                opened.Add(stream);
                opened.Add(own);
                workers.Add(new UsageParquetReader(options, own, stream, IdMode.Logging));
            }

            var errors = ForEachGroup(workers, firstRows, groups);
            if (workers.Any(w => w.Overflowed))
            {
                return OnePass(reader, file, options);
            }

            // The repeated keys are found while the totals are merged, as the CSV reader does, and the logs freed as soon as they are.
            var finder = Task.Run(() => IdLog.FindRepeatedKeysAndFree([.. workers.Select(w => w.Log!)]));
            DailyTotalTable? totals;
            HashSet<ulong> repeatedKeys;
            try
            {
                // Before a bad row or a repeat is reported: a day that overflows only across workers may come before it.
                totals = UsageAggregatorBulk.ToDailyTotalTableAndRelease([.. workers.Select(w => w.Aggregator)]);
            }
            catch (UsageOverflowException)
            {
                totals = null;
            }
            finally
            {
                repeatedKeys = finder.GetAwaiter().GetResult();
            }

            if (totals is null)
            {
                return OnePass(reader, file, options);
            }

            var firstError = errors.FirstOrDefault(e => e is not null);
            var (repeats, zeroRows) = Repeats(workers, firstRows, firstError, repeatedKeys);
            if (!options.KeepRejects && options.Billing.Duplicates == DuplicatePolicy.Reject && repeats.Count > 0
                && repeats.MinBy(r => r.Repeat.Row) is var (repeat, firstRow) && (firstError is null || repeat.Row < firstError.Value.Row))
            {
                throw new UsageParquetException(repeat.Row, "id", DuplicateReason(repeat.Id, firstRow));
            }

            firstError?.Error.Throw();

            var rejects = workers.SelectMany(w => w.Rejects).ToList();
            long ignored = 0;
            if (repeats.Count > 0)
            {
                totals = totals.Subtract(Totals(options, repeats.Select(r => r.Repeat)), Totals(options, zeroRows));
                if (options.Billing.Duplicates == DuplicatePolicy.Ignore)
                {
                    ignored = repeats.Count;
                }
                else
                {
                    rejects.AddRange(repeats.Select(r => new RejectedParquetRow(r.Repeat.Row, ParquetInput.Reason("id", DuplicateReason(r.Repeat.Id, r.FirstRow)), r.Repeat.Values)));
                }
            }

            rejects.Sort((a, b) => a.Row.CompareTo(b.Row));
            return new UsageParquetResult(totals, workers.Sum(w => w.RowsRead), ignored, rejects);
        }
        finally
        {
            workers.ForEach(w => w.Dispose());
            opened.ForEach(o => o.DisposeAsync().AsTask().GetAwaiter().GetResult());
        }
    }

    /// <summary>
    /// The file read again in one pass, when a day's seconds overflowed: in a worker, or when the workers'
    /// totals were merged. Which row is the bad one depends on the order rows are added in, and on which are repeats.
    /// </summary>
    private static UsageParquetResult OnePass(ParquetReader reader, Stream file, UsageParquetOptions options)
    {
        using var single = new UsageParquetReader(options, reader, file);
        return single.ReadAsync().AsTask().GetAwaiter().GetResult();
    }

    /// <summary>The daily totals of some rows, keyed as the read keys them.</summary>
    private static DailyTotalTable Totals(UsageParquetOptions options, IEnumerable<RepeatCandidate> rows)
    {
        var usage = new UsageAggregator(options.Billing);
        foreach (var r in rows)
        {
            usage.AddAtUnixTicks(usage.GetKey(r.Account is { Length: > 0 } account ? account : null, options.TagSeconds && r.Tag is { Length: > 0 } tag ? tag : null), r.Service, r.UnixTicks, r.Seconds);
        }

        return usage.ToDailyTotalTable();
    }

    /// <summary>The message of a repeated id, as the single pass words it.</summary>
    public static string DuplicateReason(string id, long firstRow) => $"duplicate id '{id}', first seen on row {firstRow}";

    private static (FileStream Stream, ParquetReader Reader) Open(string path)
    {
        var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.RandomAccess);
        try
        {
            return (stream, ParquetReader.CreateAsync(stream, leaveStreamOpen: true).GetAwaiter().GetResult());
        }
        catch
        {
            stream.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Has the workers read groups 0 to <paramref name="groups"/> − 1, each taking the next as it finishes one; returns
    /// each group's failure (its first bad row, or its decoding's error). A group after the first that failed is not read: the read stops there.
    /// </summary>
    private static (long Row, ExceptionDispatchInfo Error)?[] ForEachGroup(List<UsageParquetReader> workers, long[] firstRows, int groups)
    {
        var errors = new (long Row, ExceptionDispatchInfo Error)?[firstRows.Length];
        var (next, firstErrorGroup) = (-1, int.MaxValue);
        Parallel.For(0, workers.Count, new ParallelOptions { MaxDegreeOfParallelism = workers.Count }, w =>
        {
            int g;
            while ((g = Interlocked.Increment(ref next)) < groups && g < Volatile.Read(ref firstErrorGroup))
            {
                try
                {
                    workers[w].ReadGroup(g, firstRows[g]);
                }
                catch (Exception e)
                {
                    errors[g] = (e is UsageParquetException { Row: > 0 } bad ? bad.Row : firstRows[g], ExceptionDispatchInfo.Capture(e));
                    for (var seen = Volatile.Read(ref firstErrorGroup); g < seen; seen = Volatile.Read(ref firstErrorGroup))
                    {
                        if (Interlocked.CompareExchange(ref firstErrorGroup, g, seen) == seen)
                        {
                            break;
                        }
                    }

                    return;
                }
            }
        });
        return errors;
    }

    /// <summary>
    /// The rows whose id came earlier in the file, with the row of its first occurrence: the groups read
    /// are read again for the valid rows whose id keys repeat, and their ids compared as text. Also the
    /// valid rows of 0 s that are not repeats: a day they bill stays even when the repeats' seconds are taken out.
    /// </summary>
    private static (List<(RepeatCandidate Repeat, long FirstRow)> Repeats, List<RepeatCandidate> ZeroRows) Repeats(
        List<UsageParquetReader> workers, long[] firstRows, (long Row, ExceptionDispatchInfo Error)? firstError, HashSet<ulong> repeatedKeys)
    {
        if (repeatedKeys.Count == 0)
        {
            return ([], []);
        }

        // Up to the first bad row: a group that failed to decode holds none read.
        var groups = 0;
        while (groups < firstRows.Length && (firstError is not { } e
            || (firstRows[groups] <= e.Row && !(firstRows[groups] == e.Row && e.Error.SourceException is not UsageParquetException { Row: > 0 }))))
        {
            groups++;
        }

        // Read again by the workers, their logs no longer needed.
        workers.ForEach(w => w.CollectRepeats(repeatedKeys));
        ForEachGroup(workers, firstRows, groups).FirstOrDefault(f => f is not null)?.Error.Throw();
        var repeats = new List<(RepeatCandidate, long)>();
        var zeroRows = workers.SelectMany(w => w.ZeroRows).ToList();
        var read = workers.SelectMany(w => w.RepeatCandidates).Where(c => firstError is null || c.Row < firstError.Value.Row);
        foreach (var occurrences in read.GroupBy(c => c.Id, StringComparer.Ordinal))
        {
            var first = occurrences.MinBy(c => c.Row)!;
            repeats.AddRange(occurrences.Where(c => c != first).Select(c => (c, first.Row)));
            if (first.Seconds == 0)
            {
                zeroRows.Add(first);
            }
        }

        return (repeats, zeroRows);
    }
}
