using Parquet;
using Parquet.Schema;

namespace AsrBilling.Tests.Parquet;

/// <summary>Writes small Parquet files for tests with Parquet.Net: each column a field and its values (a null array entry is a null).</summary>
internal static class ParquetTestFile
{
    public static (DataField, Array) Text(string name, params string?[] values) => (new DataField<string>(name, true), values);

    public static (DataField, Array) Timestamp(string name, DateTimeTimeUnit unit, params DateTime?[] values) =>
        (new DateTimeDataField(name, DateTimeFormat.Timestamp, isAdjustedToUTC: true, unit, isNullable: true), values);

    public static (DataField, Array) Decimals(string name, int precision, int scale, params decimal?[] values) =>
        (new DecimalDataField(name, precision, scale, isNullable: true), values);

    public static (DataField, Array) Values<T>(string name, params T?[] values)
        where T : struct => (new DataField<T?>(name), values);

    public static MemoryStream Write(params (DataField Field, Array Values)[] columns) => WriteGroups(int.MaxValue, columns);

    /// <summary>Writes the rows in row groups of <paramref name="rowsPerGroup"/> rows.</summary>
    public static MemoryStream WriteGroups(int rowsPerGroup, params (DataField Field, Array Values)[] columns) =>
        WriteAsync(rowsPerGroup, columns, null).GetAwaiter().GetResult();

    /// <summary>Writes with Parquet.Net's dictionary encoding on or off, and a compression method.</summary>
    public static MemoryStream WriteWith(bool dictionary, CompressionMethod compression, int rowsPerGroup, params (DataField Field, Array Values)[] columns) =>
        WriteWith(dictionary ? 1.0 : 0.0, compression, rowsPerGroup, columns);

    /// <summary>Writes with Parquet.Net's threshold for a dictionary (a column whose distinct values to rows are at most it gets one), and a compression method.</summary>
    public static MemoryStream WriteWith(double dictionaryThreshold, CompressionMethod compression, int rowsPerGroup, params (DataField Field, Array Values)[] columns) =>
        WriteAsync(rowsPerGroup, columns, new ParquetOptions { DictionaryEncodingThreshold = dictionaryThreshold, CompressionMethod = compression }).GetAwaiter().GetResult();

    public static string Save(string path, MemoryStream parquet)
    {
        File.WriteAllBytes(path, parquet.ToArray());
        return path;
    }

    /// <summary>Writes row groups of the sizes given, in turn (Parquet.Net's dictionaries on or off), Snappy.</summary>
    public static MemoryStream WriteWithGroups(int[] groupRows, bool dictionary, params (DataField Field, Array Values)[] columns) =>
        WriteAsync(0, columns, new ParquetOptions { DictionaryEncodingThreshold = dictionary ? 1.0 : 0.0 }, groupRows).GetAwaiter().GetResult();

    private static async Task<MemoryStream> WriteAsync(int rowsPerGroup, (DataField Field, Array Values)[] columns, ParquetOptions? options, int[]? groupRows = null)
    {
        var stream = new MemoryStream();
        var rows = columns[0].Values.Length;
        await using (var writer = await ParquetWriter.CreateAsync(new ParquetSchema(columns.Select(c => (Field)c.Field).ToArray()), stream, options))
        {
            for (int start = 0, g = 0; start < rows; start += groupRows is null ? rowsPerGroup : groupRows[g - 1])
            {
                var count = Math.Min(groupRows is null ? rowsPerGroup : groupRows[g++], rows - start);
                using var group = writer.CreateRowGroup();
                foreach (var (field, values) in columns)
                {
                    await (values switch
                    {
                        string?[] text => group.WriteAsync(field, text[start..(start + count)]),
                        DateTime?[] times => group.WriteAsync<DateTime>(field, times.AsMemory(start, count)),
                        decimal?[] numbers => group.WriteAsync<decimal>(field, numbers.AsMemory(start, count)),
                        double?[] numbers => group.WriteAsync<double>(field, numbers.AsMemory(start, count)),
                        float?[] numbers => group.WriteAsync<float>(field, numbers.AsMemory(start, count)),
                        long?[] numbers => group.WriteAsync<long>(field, numbers.AsMemory(start, count)),
                        int?[] numbers => group.WriteAsync<int>(field, numbers.AsMemory(start, count)),
                        bool?[] flags => group.WriteAsync<bool>(field, flags.AsMemory(start, count)),
                        _ => throw new ArgumentException($"no writer for {values.GetType()}"),
                    });
                }
            }
        }

        stream.Position = 0;
        return stream;
    }
}
