using System.Buffers;
using System.Text.Json;
using AsrBilling.Cli.Output;
using BenchmarkDotNet.Attributes;
using NodaTime;

namespace AsrBilling.Benchmarks;

/// <summary>
/// Writing 100,000 daily charges (1,000 accounts × 4 services × 25 days) as the JSON array of
/// <c>bill --format json</c>: property by property with <see cref="Utf8JsonWriter"/> (the baseline),
/// against each charge formatted in place by <see cref="ChargeTexts.DailyCharge"/> and added as a raw value,
/// and against the charges read column-wise in blocks and written by <see cref="ChargeTexts.WriteDailyCharges"/>
/// (the texts a run of charges shares joined once, no object per charge).
/// </summary>
[MemoryDiagnoser]
[MedianColumn]
public class ChargeJsonBenchmarks
{
    private Bill _bill = null!;
    private readonly ArrayBufferWriter<byte> _buffer = new(32 << 20);

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(5);
        var totals = new List<DailyTotal>(100_000);
        for (var a = 0; a < 1_000; a++)
        {
            foreach (var service in AsrService.All)
            {
                for (var d = 0; d < 25; d++)
                {
                    totals.Add(new DailyTotal($"acct-{a:D5}", service, new LocalDate(2025, 9, 1).PlusDays(d), random.NextInt64(0, 5_000_000)));
                }
            }
        }

        _bill = PriceCalculator.Compute(totals, BillingOptions.Default);
    }

    [Benchmark(Baseline = true)]
    public int PropertyByProperty() => Write(static (w, charge, texts) => BillOutput.WriteChargeObject(w, charge, packs: false, texts));

    [Benchmark]
    public int FormattedInPlace() => Write(static (w, charge, texts) => w.WriteRawValue(texts.DailyCharge(charge), skipInputValidation: true));

    [Benchmark]
    public int ColumnWise()
    {
        _buffer.ResetWrittenCount();
        _buffer.Write("["u8);
        new ChargeTexts(BillOutput.JsonOptions.Encoder).WriteDailyCharges(_bill, 0, _bill.Charges.Count, _buffer);
        _buffer.Write("]"u8);
        return _buffer.WrittenCount;
    }

    private int Write(Action<Utf8JsonWriter, BillCharge, ChargeTexts> write)
    {
        _buffer.ResetWrittenCount();
        var texts = new ChargeTexts(BillOutput.JsonOptions.Encoder);
        using (var w = new Utf8JsonWriter(_buffer, BillOutput.JsonOptions))
        {
            w.WriteStartArray();
            foreach (var charge in _bill.Charges)
            {
                write(w, charge, texts);
            }

            w.WriteEndArray();
        }

        return _buffer.WrittenCount;
    }
}
