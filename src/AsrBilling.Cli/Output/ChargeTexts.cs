using System.Buffers;
using System.Buffers.Text;
using System.Runtime.InteropServices;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace AsrBilling.Cli.Output;

/// <summary>
/// The texts a chunk of charges repeats, escaped or formatted once: charges come by account, and
/// share services, dates, tiers and versions (escaping and formatting them per charge was most of the JSON's cost).
/// </summary>
/// <param name="encoder">The encoder of the writer the charges go to.</param>
internal sealed class ChargeTexts(JavaScriptEncoder? encoder)
{
    private readonly Dictionary<string, JsonEncodedText> _encoded = new(ReferenceEqualityComparer.Instance);
    private readonly Dictionary<PriceTier, byte[]> _unitPrices = new(ReferenceEqualityComparer.Instance);
    private readonly Dictionary<PriceTable, JsonEncodedText> _versions = new(ReferenceEqualityComparer.Instance);
    private byte[] _charge = new byte[512];
    private (string? Text, JsonEncodedText Encoded) _last, _account, _service, _date;
    private (PriceTier? Tier, byte[] Text) _unitPrice = (null, []);
    private (PriceTable? Table, JsonEncodedText Text) _version;
    private readonly byte[] _dateBytes = new byte[10];

    /// <summary>A text escaped as the writer would (the bill's strings are shared objects, so they are known by reference).</summary>
    public JsonEncodedText Encoded(string text) => Cached(ref _last, text);

    /// <summary>A tier's unit price as the writer formats a decimal.</summary>
    public byte[] UnitPrice(PriceTier tier)
    {
        if (ReferenceEquals(tier, _unitPrice.Tier))
        {
            return _unitPrice.Text;
        }

        ref var text = ref CollectionsMarshal.GetValueRefOrAddDefault(_unitPrices, tier, out var exists);
        if (!exists)
        {
            var buffer = new System.Buffers.ArrayBufferWriter<byte>();
            using (var number = new Utf8JsonWriter(buffer))
            {
                number.WriteNumberValue(tier.UnitPrice.Amount);
            }

            text = buffer.WrittenSpan.ToArray();
        }

        _unitPrice = (tier, text!);
        return text!;
    }

    /// <summary>A price version's date, escaped.</summary>
    public JsonEncodedText Version(PriceTable table)
    {
        if (ReferenceEquals(table, _version.Table))
        {
            return _version.Text;
        }

        ref var text = ref CollectionsMarshal.GetValueRefOrAddDefault(_versions, table, out var exists);
        if (!exists)
        {
            text = JsonEncodedText.Encode(BillOutput.PriceVersion(table), encoder);
        }

        _version = (table, text);
        return text;
    }

    /// <summary>
    /// A charge of a daily window without packs as one JSON object, byte for byte what
    /// <see cref="BillOutput.WriteChargeObject"/> writes, valid until the next call; without its
    /// account and service when <paramref name="withKeys"/> is false (a day of a monthly line).
    /// </summary>
    /// <remarks>Formatted in place, not property by property: the writer's work per property was most of the time of a large bill's output (ChargeJsonBenchmarks).</remarks>
    public ReadOnlySpan<byte> DailyCharge(BillCharge charge, bool withKeys = true)
    {
        var texts = new DailyTexts(this, charge, withKeys);
        if (_charge.Length < texts.Room)
        {
            _charge = new byte[Math.Max(texts.Room, _charge.Length * 2)];
        }

        return _charge.AsSpan(0, Format(charge, texts, _charge));
    }

    /// <summary>Writes <see cref="DailyCharge"/>'s object straight into <paramref name="buffer"/>, after a comma when <paramref name="comma"/>: an element of the charges array.</summary>
    public void WriteDailyCharge(BillCharge charge, IBufferWriter<byte> buffer, bool comma)
    {
        var texts = new DailyTexts(this, charge, withKeys: true);
        var to = buffer.GetSpan(texts.Room + 1);
        var at = 0;
        if (comma)
        {
            to[at++] = (byte)',';
        }

        buffer.Advance(at + Format(charge, texts, to[at..]));
    }

    /// <summary>The texts of a daily charge, and the room its object needs.</summary>
    private readonly ref struct DailyTexts
    {
        public DailyTexts(ChargeTexts texts, BillCharge charge, bool withKeys)
        {
            // Charges come by account and service, one per date: each text has its own last-seen cache.
            WithKeys = withKeys;
            Account = withKeys ? texts.Cached(ref texts._account, charge.Account).EncodedUtf8Bytes : [];
            Service = withKeys ? texts.Cached(ref texts._service, charge.Service.Id).EncodedUtf8Bytes : [];
            Date = texts.DateText(charge.Period);
            Tier = charge.Tier;
            UnitPrice = texts.UnitPrice(Tier);
            Version = texts.Version(charge.Table).EncodedUtf8Bytes;

            // The texts, about 120 bytes of names and punctuation, and at most 20 + 11 + 31 + 31 of numbers.
            Room = Account.Length + Service.Length + Date.Length + UnitPrice.Length + Version.Length + 256;
        }

        public bool WithKeys { get; }

        public ReadOnlySpan<byte> Account { get; }

        public ReadOnlySpan<byte> Service { get; }

        public ReadOnlySpan<byte> Date { get; }

        public PriceTier Tier { get; }

        public ReadOnlySpan<byte> UnitPrice { get; }

        public ReadOnlySpan<byte> Version { get; }

        public int Room { get; }
    }

    /// <summary>Formats a daily charge's object into <paramref name="to"/>, which has its texts' room; returns its length.</summary>
    private static int Format(BillCharge charge, in DailyTexts texts, Span<byte> to)
    {
        var at = 0;
        if (texts.WithKeys)
        {
            at = Put(to, at, "{\"account\":\""u8);
            at = Put(to, at, texts.Account);
            at = Put(to, at, "\",\"service\":\""u8);
            at = Put(to, at, texts.Service);
            at = Put(to, at, "\",\"date\":\""u8);
        }
        else
        {
            at = Put(to, at, "{\"date\":\""u8);
        }

        at = Put(to, at, texts.Date);
        at = Put(to, at, "\",\"billableSeconds\":"u8);
        at += Written(Utf8Formatter.TryFormat(charge.BillableSeconds, to[at..], out var written), written);
        at = Put(to, at, ",\"tier\":"u8);
        at += Written(Utf8Formatter.TryFormat(texts.Tier.Number, to[at..], out written), written);
        at = Put(to, at, ",\"unitPrice\":"u8);
        at = Put(to, at, texts.UnitPrice);
        at = Put(to, at, ",\"fee\":"u8);
        at += DecimalText.Format(charge.Fee.Amount, to[at..]);
        var allowance = charge.AllowanceSeconds;
        if (allowance > 0)
        {
            at = Put(to, at, ",\"allowanceSeconds\":"u8);
            at += Written(Utf8Formatter.TryFormat(allowance, to[at..], out written), written);
        }

        at = Put(to, at, ",\"priceVersion\":\""u8);
        at = Put(to, at, texts.Version);
        return Put(to, at, "\"}"u8);
    }

    /// <summary>
    /// A daily charge's date: each charge has another, so its digits are copied as they are (no encoder escapes
    /// digits or '-') rather than found in the dictionary; any other text is escaped through it.
    /// </summary>
    private ReadOnlySpan<byte> DateText(string period)
    {
        if (period.Length != _dateBytes.Length)
        {
            return Cached(ref _date, period).EncodedUtf8Bytes;
        }

        for (var i = 0; i < period.Length; i++)
        {
            var c = period[i];
            if (!char.IsAsciiDigit(c) && c != '-')
            {
                return Cached(ref _date, period).EncodedUtf8Bytes;
            }

            _dateBytes[i] = (byte)c;
        }

        return _dateBytes;
    }

    /// <summary>A text escaped, through a cache of the last text of its kind before the shared dictionary.</summary>
    private JsonEncodedText Cached(ref (string? Text, JsonEncodedText Encoded) last, string text)
    {
        if (!ReferenceEquals(text, last.Text))
        {
            ref var encoded = ref CollectionsMarshal.GetValueRefOrAddDefault(_encoded, text, out var exists);
            if (!exists)
            {
                encoded = JsonEncodedText.Encode(text, encoder);
            }

            last = (text, encoded);
        }

        return last.Encoded;
    }

    private static int Put(Span<byte> to, int at, ReadOnlySpan<byte> bytes)
    {
        bytes.CopyTo(to[at..]);
        return at + bytes.Length;
    }

    private static int Written(bool formatted, int written) =>
        formatted ? written : throw new InvalidOperationException("A number did not fit in its room."); // the room is counted above
}
