using System.Buffers;
using System.Buffers.Text;
using System.Globalization;
using NodaTime;

namespace AsrBilling.Cli.Sample;

/// <summary>
/// Writes a realistic, deterministic usage log in the bill command's CSV format
/// (<c>id,account,service,start,duration_seconds,tag</c>): a given seed always gives the same bytes.
/// </summary>
/// <remarks>
/// Accounts are busy in proportion to 1/rank (a few large customers, a long tail), so some days
/// reach the higher tiers. Services: half real-time, 30% recording file, the rest large-model
/// versions. Starts are uniform over the days, in UTC with milliseconds. Durations are log-uniform
/// from 0.2 s to two hours, with three decimals. Ids are unique: a bijective mix of the row number.
/// Tags: without <paramref name="tagsPerAccount"/>, one of a fixed list of six (one of them empty);
/// with it, each account has that many tags of its own (<c>t01</c>, <c>t02</c>, …; the
/// (account, tag) pairs are distinct, the texts are shared) and a row gets one of them at random;
/// 0 leaves every tag empty.
/// </remarks>
internal sealed class UsageSampleGenerator(int accounts, int days, LocalDate from, ulong seed, int? tagsPerAccount = null)
{
    public const string Header = "id,account,service,start,duration_seconds,tag";

    private static readonly (AsrService Service, int Weight)[] ServiceWeights =
    [
        (AsrService.RealTime, 50), (AsrService.RecordingFile, 30), (AsrService.RealTimeLargeModel, 12), (AsrService.RecordingFileLargeModel, 8),
    ];

    private static readonly string[] DefaultTags = ["", "support", "sales", "meetings", "voicemail", "captions"];

    public void Write(Stream output, long records)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(records);
        var random = new Random(unchecked((int)(seed ^ (seed >> 32))));
        var accountIds = Enumerable.Range(1, accounts).Select(i => $"acct-{i:D4}").ToArray();
        var cumulative = new double[accounts];
        var sum = 0d;
        for (var i = 0; i < accounts; i++)
        {
            sum += 1d / (i + 1);
            cumulative[i] = sum;
        }

        var origin = from.AtStartOfDayInZone(DateTimeZone.Utc).ToInstant().ToUnixTimeMilliseconds();
        var span = days * 86_400_000L;
        var services = ServiceWeights.SelectMany(w => Enumerable.Repeat(w.Service.Id, w.Weight)).ToArray();
        var tags = Tags(tagsPerAccount);
        var buffer = new ArrayBufferWriter<byte>(1 << 20);
        Write(buffer, Header);
        Write(buffer, "\n");
        for (long row = 0; row < records; row++)
        {
            var account = Array.BinarySearch(cumulative, random.NextDouble() * sum);
            account = account < 0 ? ~account : account;
            var start = Instant.FromUnixTimeMilliseconds(origin + random.NextInt64(span));
            var millis = (long)Math.Round(200 * Math.Pow(36_000, random.NextDouble()), MidpointRounding.AwayFromZero);

            WriteHex(buffer, Mix(unchecked((ulong)row + (seed * 0x9E3779B97F4A7C15UL))));
            Write(buffer, ",");
            Write(buffer, accountIds[Math.Min(account, accounts - 1)]);
            Write(buffer, ",");
            Write(buffer, services[random.Next(services.Length)]);
            Write(buffer, ",");
            WriteInstant(buffer, start);
            Write(buffer, ",");
            WriteMillis(buffer, millis);
            Write(buffer, ",");
            Write(buffer, tags[random.Next(tags.Length)]);
            Write(buffer, "\n");
            if (buffer.WrittenCount > (1 << 20) - 256)
            {
                output.Write(buffer.WrittenSpan);
                buffer.ResetWrittenCount();
            }
        }

        output.Write(buffer.WrittenSpan);
        output.Flush();
    }

    /// <summary>
    /// The tag texts a row picks from: the fixed list, or <c>t01</c>…<c>tNN</c> (at least two digits),
    /// shared by every account, or only the empty tag for 0. Made once, so rows allocate nothing.
    /// </summary>
    private static string[] Tags(int? perAccount) => perAccount switch
    {
        null => DefaultTags,
        0 => [string.Empty],
        var n => Enumerable.Range(1, n.Value).Select(i => string.Create(CultureInfo.InvariantCulture, $"t{i:D2}")).ToArray(),
    };

    /// <summary>The SplitMix64 finalizer: a bijection, so distinct rows get distinct ids.</summary>
    private static ulong Mix(ulong z)
    {
        z = unchecked((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL);
        z = unchecked((z ^ (z >> 27)) * 0x94D049BB133111EBUL);
        return z ^ (z >> 31);
    }

    private static void Write(ArrayBufferWriter<byte> buffer, string ascii)
    {
        var span = buffer.GetSpan(ascii.Length);
        for (var i = 0; i < ascii.Length; i++)
        {
            span[i] = (byte)ascii[i];
        }

        buffer.Advance(ascii.Length);
    }

    private static void WriteHex(ArrayBufferWriter<byte> buffer, ulong value)
    {
        Utf8Formatter.TryFormat(value, buffer.GetSpan(16), out var written, new StandardFormat('x', 16));
        buffer.Advance(written);
    }

    private static void WriteInstant(ArrayBufferWriter<byte> buffer, Instant instant)
    {
        // 2025-09-01T12:34:56.789Z
        var utc = instant.InUtc();
        var span = buffer.GetSpan(24);
        Digits(span, 0, utc.Year, 4);
        span[4] = (byte)'-';
        Digits(span, 5, utc.Month, 2);
        span[7] = (byte)'-';
        Digits(span, 8, utc.Day, 2);
        span[10] = (byte)'T';
        Digits(span, 11, utc.Hour, 2);
        span[13] = (byte)':';
        Digits(span, 14, utc.Minute, 2);
        span[16] = (byte)':';
        Digits(span, 17, utc.Second, 2);
        span[19] = (byte)'.';
        Digits(span, 20, utc.Millisecond, 3);
        span[23] = (byte)'Z';
        buffer.Advance(24);
    }

    private static void WriteMillis(ArrayBufferWriter<byte> buffer, long millis)
    {
        var span = buffer.GetSpan(24);
        Utf8Formatter.TryFormat(millis / 1000, span, out var written);
        span[written++] = (byte)'.';
        Digits(span, written, (int)(millis % 1000), 3);
        buffer.Advance(written + 3);
    }

    private static void Digits(Span<byte> span, int at, int value, int width)
    {
        for (var i = width - 1; i >= 0; i--)
        {
            span[at + i] = (byte)('0' + (value % 10));
            value /= 10;
        }
    }
}
