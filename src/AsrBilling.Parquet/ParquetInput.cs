using Parquet;

namespace AsrBilling.Parquet;

/// <summary>Opens a Parquet file with Parquet.Net and reads it as usage or daily totals, turning the library's errors into <see cref="UsageParquetException"/>.</summary>
internal static class ParquetInput
{
    /// <summary>Reads the file; given its <paramref name="path"/>, usage in several row groups is read on <see cref="UsageParquetOptions.Threads"/> threads.</summary>
    public static UsageParquetResult Read(Stream stream, UsageParquetOptions options, string sourceName, string? path = null)
    {
        try
        {
            return ReadAsync(stream, options, path).AsTask().GetAwaiter().GetResult();
        }
        catch (Exception e) when (e is IOException or InvalidDataException or NotSupportedException or InvalidOperationException or ArgumentException or OverflowException
            || e.GetType().Assembly == typeof(ParquetReader).Assembly) // Parquet.Net's own, such as a page header it cannot parse
        {
            throw new UsageParquetException(0, null, $"cannot read {sourceName} as Parquet: {e.Message}", e);
        }
    }

    private static async ValueTask<UsageParquetResult> ReadAsync(Stream stream, UsageParquetOptions options, string? path)
    {
        await using var reader = await ParquetReader.CreateAsync(stream, leaveStreamOpen: true).ConfigureAwait(false);
        return options.DailyTotals
            ? await DailyTotalsParquetReader.ReadAsync(reader, stream, options).ConfigureAwait(false)
            : await ReadUsageAsync(reader, stream, options, path).ConfigureAwait(false);
    }

    private static async ValueTask<UsageParquetResult> ReadUsageAsync(ParquetReader reader, Stream file, UsageParquetOptions options, string? path)
    {
        if (path is not null && options.Threads > 1 && reader.RowGroupCount > 1)
        {
            return ParallelParquetRead.Read(path, reader, file, options);
        }

        using var usage = new UsageParquetReader(options, reader, file);
        return await usage.ReadAsync().ConfigureAwait(false);
    }

    /// <summary>Reads each row group's columns in turn and hands its rows to <paramref name="rows"/> with the number of the group's first row.</summary>
    public static ValueTask ForEachGroupAsync(ParquetReader reader, Stream file, ParquetColumn[] columns, Func<int, long, bool> rows) =>
        ForEachGroupAsync(reader, file, [columns], (_, count, first) => rows(count, first));

    /// <summary>
    /// As <see cref="ForEachGroupAsync(ParquetReader, Stream, ParquetColumn[], Func{int, long, bool})"/>, with
    /// sets of the same columns used in turn: given two, the next group is decoded on another thread
    /// into one set while <paramref name="rows"/> reads the group before in the other (figures in the commit).
    /// </summary>
    /// <param name="reader">The file.</param>
    /// <param name="file">The stream <paramref name="reader"/> reads, for columns decoded without it.</param>
    /// <param name="sets">One set of columns, or two alike.</param>
    /// <param name="rows">Reads a group's rows: given the set they are in, their count and the number of the first; false to stop.</param>
    /// <param name="decoded">Work on a set just decoded, given the set and its rows, done where it was decoded: on another thread, with two sets.</param>
    /// <param name="buffer">Where the columns' chunk bytes are read in turn; without it, a new one.</param>
    public static async ValueTask ForEachGroupAsync(ParquetReader reader, Stream file, ParquetColumn[][] sets, Func<int, int, long, bool> rows, Action<int, int>? decoded = null, ChunkBuffer? buffer = null)
    {
        long first = 1;
        var groups = reader.RowGroupCount;
        buffer ??= new ChunkBuffer();
        var next = groups > 0 ? LoadAsync(reader, file, 0, sets, 0, decoded, buffer).AsTask() : null;
        for (var g = 0; g < groups; g++)
        {
            var count = await next!.ConfigureAwait(false);
            next = null;
            if (g + 1 < groups)
            {
                // Groups are decoded one at a time, in order: the reader is never used by two threads at once.
                var (group, set) = (g + 1, (g + 1) % sets.Length);
                next = sets.Length > 1 ? Task.Run(() => LoadAsync(reader, file, group, sets, set, decoded, buffer).AsTask()) : null;
                var more = false;
                try
                {
                    more = rows(g % sets.Length, count, first);
                }
                finally
                {
                    // A group decoded ahead and not used: nothing of it is reported, not even a failure.
                    if (!more && next is not null)
                    {
                        await next.ContinueWith(static t => _ = t.Exception, TaskScheduler.Default).ConfigureAwait(false);
                    }
                }

                if (!more)
                {
                    return;
                }

                next ??= LoadAsync(reader, file, group, sets, set, decoded, buffer).AsTask();
            }
            else if (!rows(g % sets.Length, count, first))
            {
                return;
            }

            first += count;
        }
    }

    /// <summary>Decodes a row group's columns into a set, then does the set's <paramref name="decoded"/> work; returns its rows. The columns' chunks are read into <paramref name="buffer"/> in turn.</summary>
    public static async ValueTask<int> LoadAsync(ParquetReader reader, Stream file, int group, ParquetColumn[][] sets, int set, Action<int, int>? decoded, ChunkBuffer buffer)
    {
        using var rowGroup = reader.OpenRowGroupReader(group);
        var count = checked((int)rowGroup.RowCount);
        foreach (var column in sets[set])
        {
            await column.LoadAsync(rowGroup, count, file, buffer).ConfigureAwait(false);
        }

        decoded?.Invoke(set, count);
        return count;
    }

    /// <summary>A row's values in the columns read, in the file's column order, joined by commas: what a reject shows.</summary>
    public static string Values(ParquetColumn[] columns, int row) => string.Join(",", columns.Select(c => c.Render(row)));

    public static string Reason(string? column, string reason) => column is null ? reason : $"{column}: {reason}";
}
