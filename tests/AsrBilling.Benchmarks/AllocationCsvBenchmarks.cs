using System.Globalization;
using AsrBilling.Cli.Output;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;

namespace AsrBilling.Benchmarks;

/// <summary>
/// The two numbers of each line of <c>bill --allocate-by tag --format csv</c> that cost the most, over
/// 1,000,000 lines shaped like a 10,000-account statement (a daily charge of up to 10⁵ seconds split
/// into parts): the share, as <see cref="decimal"/> division and formatting (the baseline) against
/// <see cref="ShareText"/> (64-bit divisions for wholes below 2^32) and its 128-bit path for any whole; and the fee, as the
/// runtime formats a decimal (the baseline) against <see cref="DecimalText"/> from the decimal and from whole cents.
/// </summary>
[MemoryDiagnoser]
[MedianColumn]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
[CategoriesColumn]
public class AllocationCsvBenchmarks
{
    private const int Lines = 1_000_000;
    private readonly byte[] _text = new byte[64];
    private long[] _parts = [];
    private long[] _wholes = [];
    private decimal[] _fees = [];
    private long[] _cents = [];
    private long[] _chargeParts = [];
    private long[] _chargeWholes = [];

    // A daily charge of a 10,000-account log with 50 tags splits into about five parts.
    private const int PartsPerCharge = 5;

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(3);
        (_parts, _wholes, _fees, _cents) = (new long[Lines], new long[Lines], new decimal[Lines], new long[Lines]);
        for (var i = 0; i < Lines; i++)
        {
            _wholes[i] = random.NextInt64(1, 100_000);
            _parts[i] = random.NextInt64(0, _wholes[i] + 1);
            _cents[i] = random.Next(0, 5_000_000);
            _fees[i] = new decimal((int)_cents[i], 0, 0, false, 2);
        }

        (_chargeParts, _chargeWholes) = (new long[Lines], new long[Lines]);
        for (var i = 0; i < Lines; i++)
        {
            _chargeWholes[i] = i % PartsPerCharge == 0 ? _wholes[i] : _chargeWholes[i - 1];
            _chargeParts[i] = random.NextInt64(0, _chargeWholes[i] + 1);
        }
    }

    [Benchmark(Baseline = true)]
    [BenchmarkCategory("share")]
    public long ShareByDecimalDivision() => Lengths(i =>
    {
        ((decimal)_parts[i] / _wholes[i]).TryFormat(_text, out var written, default, CultureInfo.InvariantCulture);
        return written;
    });

    [Benchmark]
    [BenchmarkCategory("share")]
    public long ShareByIntegers() => Lengths(i => ShareText.Format(_parts[i], _wholes[i], _text));

    /// <summary>As <see cref="ShareByIntegers"/>, for lines in fives that share a whole, as a charge's parts do: the division by it prepared once per five.</summary>
    [Benchmark]
    [BenchmarkCategory("share")]
    public long ShareByIntegersPerCharge()
    {
        var divisor = ShareText.DivisorFor(1);
        return Lengths(i =>
        {
            if (i % PartsPerCharge == 0)
            {
                divisor = ShareText.DivisorFor(_chargeWholes[i]);
            }

            return ShareText.Format(_chargeParts[i], _chargeWholes[i], divisor, _text);
        });
    }

    [Benchmark]
    [BenchmarkCategory("share")]
    public long ShareBy128BitIntegers() => Lengths(i => _parts[i] == _wholes[i] ? 1 : ShareText.FormatWide((ulong)_parts[i], (ulong)_wholes[i], _text));

    [Benchmark(Baseline = true)]
    [BenchmarkCategory("fee")]
    public long FeeByRuntime() => Lengths(i =>
    {
        _fees[i].TryFormat(_text, out var written, default, CultureInfo.InvariantCulture);
        return written;
    });

    [Benchmark]
    [BenchmarkCategory("fee")]
    public long FeeByDecimalText() => Lengths(i => DecimalText.Format(_fees[i], _text));

    [Benchmark]
    [BenchmarkCategory("fee")]
    public long FeeFromCents() => Lengths(i => DecimalText.FormatCents(_cents[i], _text));

    /// <summary>The total length of the lines' texts, each formatted by <paramref name="format"/> (a delegate call each, as in every case).</summary>
    private static long Lengths(Func<int, int> format)
    {
        long length = 0;
        for (var i = 0; i < Lines; i++)
        {
            length += format(i);
        }

        return length;
    }
}
