using Parquet;

namespace AsrBilling.Parquet;

/// <summary>Opens a Parquet file with Parquet.Net and reads it as usage or daily totals, turning the library's errors into <see cref="UsageParquetException"/>.</summary>
internal static class ParquetInput
{
    public static UsageParquetResult Read(Stream stream, UsageParquetOptions options, string sourceName)
    {
        try
        {
            return ReadAsync(stream, options, sourceName).AsTask().GetAwaiter().GetResult();
        }
        catch (Exception e) when (e is IOException or InvalidDataException or NotSupportedException or InvalidOperationException or ArgumentException or OverflowException)
        {
            throw new UsageParquetException(0, null, $"cannot read {sourceName} as Parquet: {e.Message}", e);
        }
    }

    private static async ValueTask<UsageParquetResult> ReadAsync(Stream stream, UsageParquetOptions options, string sourceName)
    {
        await using var reader = await ParquetReader.CreateAsync(stream, leaveStreamOpen: true).ConfigureAwait(false);
        return options.DailyTotals
            ? await DailyTotalsParquetReader.ReadAsync(reader, options).ConfigureAwait(false)
            : await new UsageParquetReader(options, reader).ReadAsync().ConfigureAwait(false);
    }

    /// <summary>Reads each row group's columns in turn and hands its rows to <paramref name="rows"/> with the number of the group's first row.</summary>
    public static async ValueTask ForEachGroupAsync(ParquetReader reader, ParquetColumn[] columns, Func<int, long, bool> rows)
    {
        long first = 1;
        for (var g = 0; g < reader.RowGroupCount; g++)
        {
            using var group = reader.OpenRowGroupReader(g);
            var count = checked((int)group.RowCount);
            foreach (var column in columns)
            {
                await column.LoadAsync(group, count).ConfigureAwait(false);
            }

            if (!rows(count, first))
            {
                return;
            }

            first += count;
        }
    }

    /// <summary>A row's values in the columns read, in the file's column order, joined by commas: what a reject shows.</summary>
    public static string Values(ParquetColumn[] columns, int row) => string.Join(",", columns.Select(c => c.Render(row)));

    public static string Reason(string? column, string reason) => column is null ? reason : $"{column}: {reason}";
}
