using System.Text;
using AsrBilling.Cli.Input;
using AsrBilling.Cli.Sample;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Engines;
using NodaTime;
using Sylvan.Data.Csv;

namespace AsrBilling.Benchmarks;

/// <summary>
/// Splitting a usage log into fields, on one thread, from memory: 1 million rows of
/// <c>asr-billing sample</c> (77 MB), every field of every row touched as a span. The baseline is
/// Sylvan.Data.Csv behind a UTF-8 <see cref="StreamReader"/> (fields as UTF-16 spans), as <c>bill</c>
/// used it; the other is the hand-written <see cref="UnquotedCsvReader"/> (fields as UTF-8 spans)
/// that now reads unquoted rows.
/// </summary>
[MemoryDiagnoser]
[MedianColumn]
[SimpleJob(RunStrategy.Monitoring, launchCount: 1, warmupCount: 2, iterationCount: 7)]
public class CsvSplittingBenchmarks
{
    private byte[] _csv = [];

    [GlobalSetup]
    public void Setup()
    {
        using var output = new MemoryStream();
        new UsageSampleGenerator(accounts: 50, days: 31, new LocalDate(2025, 9, 1), seed: 1).Write(output, 1_000_000);
        _csv = output.ToArray();
    }

    [Benchmark(Baseline = true)]
    public long Sylvan()
    {
        using var reader = CsvDataReader.Create(
            new StreamReader(new MemoryStream(_csv), Encoding.UTF8, false, 1 << 16),
            new CsvDataReaderOptions { HasHeaders = false, BufferSize = 1 << 16, Delimiter = ',' });
        long total = 0;
        while (reader.Read())
        {
            for (var i = 0; i < reader.RowFieldCount; i++)
            {
                total += reader.GetFieldSpan(i).Length;
            }
        }

        return total;
    }

    [Benchmark]
    public long Unquoted()
    {
        var reader = new UnquotedCsvReader(new MemoryStream(_csv));
        long total = 0;
        while (reader.Read())
        {
            for (var i = 0; i < reader.FieldCount; i++)
            {
                total += reader.Field(i).Length;
            }
        }

        return total;
    }
}
