using System.Globalization;
using System.Text;
using AsrBilling.Csv;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using NodaTime.Text;

namespace AsrBilling.Tests.Csv;

/// <summary>
/// The field parsers read text (rows Sylvan read) and UTF-8 bytes (plain rows). Both must agree
/// with the libraries they stand in for: NodaTime for instants, <see cref="decimal"/> for seconds,
/// an ordinal compare for service ids, and a plain scan for the CSV separators.
/// </summary>
public sealed class FieldParsersTests
{
    private const string InstantChars = "0123456789-:TtZz.+ \t\u00a0é";

    public static Arbitrary<string> InstantLike() => Gen.OneOf(
            Gen.Elements(InstantChars.ToCharArray()).ArrayOf().Select(c => new string(c)),
            Gen.Elements(
                    "2025-09-01T08:00:00Z", "2025-09-01T08:00:00.123456789Z", "2024-02-29T23:59:59.999+08:00",
                    "1999-12-31t00:00:00-05:30", " 2025-09-01T08:00:00Z\t", "0001-01-01T00:00:00Z", "9999-12-31T23:59:59.9999999+18:00",
                    "9999-12-31T23:59:59.9999999-00:01", "0000-01-01T00:00:00+18:00", "2025-09-01T19:59:60Z",
                    "2025-09-18T14:26:16.940Z", "2025-09-18T14:26:16.009-03:30")
                .SelectMany(s => Gen.Choose(0, s.Length - 1).SelectMany(at => Gen.Elements(InstantChars.ToCharArray()).Select(c => (s, at, c))))
                .Select(t => t.at % 3 == 0 ? t.s : t.s.Remove(t.at, 1).Insert(t.at, t.c.ToString())))
        .ToArbitrary();

    [Property(MaxTest = 2000, Arbitrary = [typeof(FieldParsersTests)])]
    public void Instant_TextAndBytes_AgreeWithNodaTime(string text)
    {
        // NodaTime's extended ISO pattern, with T and Z in either case as RFC 3339 allows.
        // An offset date-time past either end of Instant's range is not an instant.
        var parsed = OffsetDateTimePattern.ExtendedIso.Parse(text.Trim(' ', '\t').ToUpperInvariant());
        var inRange = parsed.Success && ToInstantOrNull(parsed.Value) is not null;
        var dates = new FieldParsers.DateCache();

        var fromText = FieldParsers.TryInstant(text, dates, out var textValue, out var error);
        var fromBytes = FieldParsers.TryInstant(Encoding.UTF8.GetBytes(text), dates, out var bytesValue);
        var fromTicks = FieldParsers.TryUnixTicks(Encoding.UTF8.GetBytes(text), dates, out var unixTicks);

        fromText.Should().Be(inRange, text);
        fromBytes.Should().Be(inRange, text);
        fromTicks.Should().Be(inRange, text);
        if (inRange)
        {
            // Ticks: the parsers drop the last two digits of nanoseconds.
            var ticks = parsed.Value.ToInstant().ToUnixTimeTicks();
            textValue.ToUnixTimeTicks().Should().Be(ticks, text);
            bytesValue.ToUnixTimeTicks().Should().Be(ticks, text);
            unixTicks.Should().Be(ticks, text);
        }
        else
        {
            error.Should().Contain($"'{text.Trim(' ', '\t')}'");
        }
    }

    [Theory]
    [InlineData("9999-12-31T23:59:59-18:00")]
    [InlineData("9999-12-31T23:59:59.999-00:01")]
    [InlineData("-9998-01-01T00:00:00+00:01")]
    public void Instant_PastInstantsRange_IsAClearError(string text)
    {
        FieldParsers.TryInstant(text, null, out _, out var error).Should().BeFalse();
        FieldParsers.TryUnixTicks(Encoding.UTF8.GetBytes(text), null, out _).Should().BeFalse();

        error.Should().Be($"'{text}' is outside the instants that can be billed (years -9998 to 9999 in UTC)");
    }

    private static Instant? ToInstantOrNull(OffsetDateTime value)
    {
        try
        {
            return value.ToInstant();
        }
        catch (Exception e) when (e is ArgumentOutOfRangeException or OverflowException)
        {
            return null;
        }
    }

    [Fact]
    public void Instant_CachedDate_IsTheSameDay()
    {
        var dates = new FieldParsers.DateCache();

        FieldParsers.TryInstant("2025-09-01T23:00:00Z"u8, dates, out var first).Should().BeTrue();
        FieldParsers.TryInstant("2025-08-01T23:00:00Z"u8, dates, out var sameSlot).Should().BeTrue();
        FieldParsers.TryInstant("2025-09-01T01:00:00Z"u8, dates, out var again).Should().BeTrue();

        first.Should().Be(Instant.FromUtc(2025, 9, 1, 23, 0));
        sameSlot.Should().Be(Instant.FromUtc(2025, 8, 1, 23, 0));
        again.Should().Be(Instant.FromUtc(2025, 9, 1, 1, 0));
    }

    [Property(MaxTest = 2000)]
    public void Seconds_TextAndBytes_AgreeWithDecimal(NonNegativeInt whole, byte fractionDigits, int fraction, bool noise, char extra)
    {
        var text = fractionDigits % 4 == 0
            ? whole.Get.ToString(CultureInfo.InvariantCulture)
            : $"{whole.Get}.{Math.Abs((long)fraction).ToString(CultureInfo.InvariantCulture).PadLeft(fractionDigits % 12, '0')}";
        if (noise)
        {
            text = text.Insert((fraction & 0x7FFF_FFFF) % (text.Length + 1), extra.ToString());
        }

        var trimmed = text.Trim(' ', '\t');
        var parsed = decimal.TryParse(trimmed, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && value >= 0 && decimal.Ceiling(value) <= long.MaxValue;

        FieldParsers.TryBillableSeconds(text, out var fromText, out _).Should().Be(parsed, text);
        FieldParsers.TryBillableSeconds(Encoding.UTF8.GetBytes(text), out var fromBytes).Should().Be(parsed, text);
        if (parsed)
        {
            fromText.Should().Be((long)decimal.Ceiling(value), text);
            fromBytes.Should().Be(fromText, text);
        }
    }

    [Theory]
    [InlineData("1234", 1234L)]
    [InlineData("12345678", 12_345_678L)]
    [InlineData("3995.324", 3996L)]
    [InlineData("0.000", 0L)]
    [InlineData("00.0001", 1L)]
    [InlineData("9999.999", 10_000L)]
    [InlineData("7.000000", 7L)]
    [InlineData("1.0000001", 2L)] // nine bytes: the loop
    [InlineData("12.5", 13L)]
    [InlineData(".123", 1L)] // not read as a word: the decimal reading takes it
    [InlineData("123.", 123L)]
    [InlineData("1.2.3", null)]
    [InlineData("12a4", null)]
    [InlineData("1234567/", null)]
    [InlineData("12:45", null)]
    public void Seconds_FourToEightBytes_ReadAsOneWord(string text, long? expected)
    {
        // Expected values: the decimal's ceiling, worked out by hand.
        var read = FieldParsers.TryBillableSeconds(Encoding.UTF8.GetBytes(text), out var seconds);

        read.Should().Be(expected is not null, text);
        if (expected is { } value)
        {
            seconds.Should().Be(value, text);
        }
    }

    [Theory]
    [InlineData("real-time", "real-time")]
    [InlineData(" Real-Time ", "real-time")]
    [InlineData("recording-file", "recording-file")]
    [InlineData("real-time-large-model", "real-time-large-model")]
    [InlineData("RECORDING-FILE-LARGE-MODEL", "recording-file-large-model")]
    [InlineData("real-time\u00a0", "real-time")]
    [InlineData("real_time", null)]
    [InlineData("", null)]
    [InlineData("réal-time", null)]
    public void Service_TextAndBytes_FindTheSameId(string text, string? expected)
    {
        FieldParsers.Service(text, AsrService.All)?.Id.Should().Be(expected);
        FieldParsers.Service(text, AsrService.All).Should().BeSameAs(FieldParsers.Service(Encoding.UTF8.GetBytes(text), AsrService.All));
        (FieldParsers.Service(text, AsrService.All) is null).Should().Be(expected is null);
    }

    [Property(MaxTest = 500)]
    public void Separators_AreEveryCommaQuoteAndLineBreakByte(byte[] noise, int seed)
    {
        // Mostly separators, so that vectors hold none, a few, or more than four.
        var random = new Random(seed);
        var text = (noise ?? []).Concat(Enumerable.Range(0, random.Next(200)).Select(_ => (byte)",\n\"\rab"[random.Next(6)])).ToArray();
        random.Shuffle(text);
        var positions = new int[text.Length + CsvSeparators.Slack];

        var count = CsvSeparators.Find(text, positions);

        var expected = Enumerable.Range(0, text.Length).Where(i => text[i] is (byte)',' or (byte)'\n' or (byte)'"' or (byte)'\r');
        positions.Take(count).Should().Equal(expected);
    }

    [Fact]
    public void Separators_NeedTheSlack()
    {
        var act = () => CsvSeparators.Find(new byte[10], new int[10 + CsvSeparators.Slack - 1]);

        act.Should().Throw<ArgumentOutOfRangeException>().WithParameterName("positions");
    }

    [Property(MaxTest = 2000)]
    public void SameBytes_IsSequenceEqual(byte[] a, byte[] b, byte flip, bool same)
    {
        a ??= [];
        var other = same ? [.. a] : (b ?? []);
        if (same && other.Length > 0 && flip % 3 == 0)
        {
            other[flip % other.Length] ^= (byte)(1 << (flip % 8)); // one bit off, anywhere
        }

        FieldParsers.SameBytes(a, other).Should().Be(a.AsSpan().SequenceEqual(other));
    }

    [Theory]
    [InlineData("9f86d081884c7d65")]
    [InlineData("计费-0001")]
    [InlineData("")]
    public void IdDigest_OfTextIsTheDigestOfItsUtf8(string id)
    {
        IdLog.Digest(id.AsSpan()).Should().Be(IdLog.Digest(Encoding.UTF8.GetBytes(id)));
        IdLog.Digest(id.AsSpan()).Should().NotBe(IdLog.Digest((id + "x").AsSpan()));
    }
}
