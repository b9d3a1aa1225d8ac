using AsrBilling.Parquet;
using BenchmarkDotNet.Attributes;
using Parquet;
using Parquet.Schema;

namespace AsrBilling.Benchmarks;

/// <summary>
/// Decoding the text columns of a usage log in Parquet: 1,000,000 rows in 8 row groups, Snappy, an id
/// unique to each row (plain) and an account among 10,000 (a dictionary), as Parquet.Net reads them
/// (the baseline: an array per value) against <see cref="TextChunk"/> (all texts in one array).
/// </summary>
[MemoryDiagnoser]
[MedianColumn]
public class ParquetReadBenchmarks
{
    private const int Rows = 1_000_000;
    private const int Groups = 8;
    private readonly TextChunk[] _chunks = [new(), new()];
    private readonly ReadOnlyMemory<char>[] _values = new ReadOnlyMemory<char>[Rows / Groups];
    private readonly int[] _definitions = new int[Rows / Groups];
    private readonly int[] _index = new int[Rows / Groups];
    private string _path = string.Empty;

    [GlobalSetup]
    public async Task Setup()
    {
        _path = Path.Combine(Path.GetTempPath(), $"asr-parquet-bench-{Environment.ProcessId}.parquet");
        var (id, account) = (new DataField<string>("id", true), new DataField<string>("account", true));
        var random = new Random(7);
        await using var stream = File.Create(_path);
        await using var writer = await ParquetWriter.CreateAsync(new ParquetSchema(id, account), stream);
        for (var g = 0; g < Groups; g++)
        {
            using var group = writer.CreateRowGroup();
            var rows = Enumerable.Range(g * (Rows / Groups), Rows / Groups).ToArray();
            await group.WriteAsync(id, rows.Select(r => (string?)$"rec-{r:D9}-{random.Next():x8}").ToArray());
            await group.WriteAsync(account, rows.Select(_ => (string?)$"account-{random.Next(10_000):D5}").ToArray());
        }
    }

    [GlobalCleanup]
    public void Cleanup() => File.Delete(_path);

    [Benchmark(Baseline = true)]
    public async Task<long> ParquetNet()
    {
        long length = 0;
        await using var stream = File.OpenRead(_path);
        await using var reader = await ParquetReader.CreateAsync(stream);
        for (var g = 0; g < reader.RowGroupCount; g++)
        {
            using var group = reader.OpenRowGroupReader(g);
            foreach (var field in reader.Schema.DataFields)
            {
                var rows = (int)group.RowCount;
                await group.ReadRawAsync(field, _values.AsMemory(0, rows), _definitions.AsMemory(0, rows), null);
                length += _values[rows - 1].Length;
            }
        }

        return length;
    }

    [Benchmark]
    public async Task<long> OwnDecoder()
    {
        long length = 0;
        await using var stream = File.OpenRead(_path);
        await using var reader = await ParquetReader.CreateAsync(stream, leaveStreamOpen: true);
        for (var g = 0; g < reader.RowGroupCount; g++)
        {
            using var group = reader.OpenRowGroupReader(g);
            var fields = reader.Schema.DataFields;
            for (var f = 0; f < fields.Length; f++)
            {
                var rows = (int)group.RowCount;
                if (!_chunks[f].TryLoad(stream, group.GetMetadata(fields[f])!.MetaData!, fields[f].MaxDefinitionLevel, rows, _index))
                {
                    throw new InvalidOperationException("the benchmark's chunks are ones the decoder reads");
                }

                length += _chunks[f].Text(_chunks[f].Dense ? rows - 1 : _index[rows - 1]).Length;
            }
        }

        return length;
    }
}
