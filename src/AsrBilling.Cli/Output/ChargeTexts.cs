using System.Buffers;
using System.Buffers.Text;
using System.Runtime.InteropServices;
using System.Text.Encodings.Web;
using System.Text.Json;
using AsrBilling.Bulk;
using NodaTime;

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

    // WriteDailyCharges' state: the block it reads charges into, the joined head of the last (account, service),
    // and the joined texts of each tier and price version met, made once.
    private readonly JavaScriptEncoder _encoder = encoder ?? JavaScriptEncoder.Default;
    private BillChargeBlock? _block;
    private byte[] _head = new byte[256];
    private int _headLength;
    private (int Account, AsrService? Service) _headKey = (-1, null);
    private readonly Dictionary<PriceTier, byte[]> _middles = new(ReferenceEqualityComparer.Instance);
    private readonly Dictionary<PriceTable, byte[]> _tails = new(ReferenceEqualityComparer.Instance);
    private (PriceTier? Tier, byte[] Text) _middle = (null, []);
    private (PriceTable? Table, byte[] Text) _tail = (null, []);

    // Dates' texts, direct-mapped by the date's hash: a bill's charges run over few dates, each account's in order.
    private readonly PeriodTexts _days = new();

    private static ReadOnlySpan<byte> AccountStart => "{\"account\":\""u8;

    private static ReadOnlySpan<byte> ServiceStart => "\",\"service\":\""u8;

    private static ReadOnlySpan<byte> DateStart => "\",\"date\":\""u8;

    private static ReadOnlySpan<byte> BillableSeconds => "\",\"billableSeconds\":"u8;

    private static ReadOnlySpan<byte> AllowanceSeconds => ",\"allowanceSeconds\":"u8;

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

    /// <summary>
    /// Writes charges [<paramref name="start"/>, <paramref name="end"/>) of a bill whose charges are all daily
    /// ones without packs, each <see cref="DailyCharge"/>'s object for it: an element of the charges
    /// array, after a comma unless it is the bill's first. The charges are read column-wise a block at a time,
    /// and the texts a run of charges shares (account and service, tier, price version) are joined once, so
    /// that a charge is five copies and three numbers, with nothing allocated per charge (ChargeJsonBenchmarks).
    /// </summary>
    /// <param name="bill">The bill.</param>
    /// <param name="start">The first charge to write.</param>
    /// <param name="end">The charge after the last to write.</param>
    /// <param name="buffer">Where the bytes go.</param>
    /// <exception cref="ArgumentException">A charge's table counts tiers by month: its object has its days too.</exception>
    public void WriteDailyCharges(Bill bill, int start, int end, IBufferWriter<byte> buffer)
    {
        var block = _block ??= new BillChargeBlock();
        var accounts = bill.DailyTotals.Accounts;
        for (var at = start; at < end; at += OutputBlocks.Charges)
        {
            bill.ReadCharges(at, Math.Min(OutputBlocks.Charges, end - at), block);
            WriteBlock(block, accounts, buffer, commaFirst: at > 0);
        }
    }

    private void WriteBlock(BillChargeBlock block, IReadOnlyList<string> accounts, IBufferWriter<byte> buffer, bool commaFirst)
    {
        var accountIndexes = block.AccountIndexes;
        var services = block.Services;
        var dates = block.Dates;
        var seconds = block.BillableSeconds;
        var tables = block.Tables;
        var tiers = block.Tiers;
        var fees = block.Fees;
        var allowances = block.AllowanceSeconds;
        for (var i = 0; i < block.Count; i++)
        {
            if (accountIndexes[i] != _headKey.Account || !ReferenceEquals(services[i], _headKey.Service))
            {
                Head(accounts[accountIndexes[i]], services[i]);
                _headKey = (accountIndexes[i], services[i]);
            }

            if (!ReferenceEquals(tiers[i], _middle.Tier))
            {
                _middle = (tiers[i], Middle(tiers[i]));
            }

            if (!ReferenceEquals(tables[i], _tail.Table))
            {
                _tail = (tables[i], Tail(tables[i]));
            }

            var date = DateBytes(dates[i]);
            var head = _head.AsSpan(0, _headLength);
            var (middle, tail) = (_middle.Text, _tail.Text);
            var to = buffer.GetSpan(1 + head.Length + date.Length + BillableSeconds.Length + 20 + middle.Length + DecimalText.MaxLength + AllowanceSeconds.Length + 31 + tail.Length);
            var at = 0;
            if (i > 0 || commaFirst)
            {
                to[at++] = (byte)',';
            }

            at = Put(to, at, head);
            at = Put(to, at, date);
            at = Put(to, at, BillableSeconds);
            at += Written(Utf8Formatter.TryFormat(seconds[i], to[at..], out var digits), digits);
            at = Put(to, at, middle);
            at += DecimalText.Format(fees[i], to[at..]);
            if (allowances[i] > 0)
            {
                at = Put(to, at, AllowanceSeconds);
                at += Written(Utf8Formatter.TryFormat(allowances[i], to[at..], out digits), digits);
            }

            buffer.Advance(Put(to, at, tail));
        }
    }

    /// <summary>Joins <c>{"account":"A","service":"S","date":"</c> into the head buffer.</summary>
    private void Head(string account, AsrService service)
    {
        var serviceText = Cached(ref _service, service.Id).EncodedUtf8Bytes;

        // An escaped character takes at most six bytes (\uXXXX).
        var room = AccountStart.Length + (6 * account.Length) + ServiceStart.Length + serviceText.Length + DateStart.Length;
        if (_head.Length < room)
        {
            _head = new byte[Math.Max(room, 2 * _head.Length)];
        }

        var at = Put(_head, 0, AccountStart);
        at += EncodeAccount(account, _head.AsSpan(at));
        at = Put(_head, at, ServiceStart);
        at = Put(_head, at, serviceText);
        _headLength = Put(_head, at, DateStart);
    }

    /// <summary>An account escaped as the writer would, into <paramref name="to"/>: ASCII that the encoder leaves as it is is copied, with no escaped text made per account.</summary>
    private int EncodeAccount(string account, Span<byte> to)
    {
        if (System.Text.Ascii.IsValid(account))
        {
            var length = System.Text.Encoding.ASCII.GetBytes(account, to);
            if (_encoder.FindFirstCharacterToEncodeUtf8(to[..length]) < 0)
            {
                return length;
            }
        }

        var encoded = Cached(ref _account, account).EncodedUtf8Bytes;
        encoded.CopyTo(to);
        return encoded.Length;
    }

    /// <summary><c>,"tier":N,"unitPrice":P,"fee":</c> of a tier, made once.</summary>
    private byte[] Middle(PriceTier tier)
    {
        ref var text = ref CollectionsMarshal.GetValueRefOrAddDefault(_middles, tier, out var exists);
        if (!exists)
        {
            Span<byte> number = stackalloc byte[11];
            var length = Written(Utf8Formatter.TryFormat(tier.Number, number, out var written), written);
            text = Joined(",\"tier\":"u8, number[..length], ",\"unitPrice\":"u8, UnitPrice(tier), ",\"fee\":"u8);
        }

        return text!;
    }

    /// <summary><c>,"priceVersion":"V"}</c> of a daily table, made once.</summary>
    private byte[] Tail(PriceTable table)
    {
        if (!_tails.TryGetValue(table, out var text))
        {
            if (table.Rules.Window != TierWindow.Day)
            {
                throw new ArgumentException("A charge of a monthly window has its days too: write it as a whole object.", nameof(table));
            }

            _tails[table] = text = Joined(",\"priceVersion\":\""u8, Version(table).EncodedUtf8Bytes, "\"}"u8, [], []);
        }

        return text;
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

    /// <summary>Five texts joined into one array.</summary>
    private static byte[] Joined(ReadOnlySpan<byte> a, ReadOnlySpan<byte> b, ReadOnlySpan<byte> c, ReadOnlySpan<byte> d, ReadOnlySpan<byte> e)
    {
        var joined = new byte[a.Length + b.Length + c.Length + d.Length + e.Length];
        var at = Put(joined, 0, a);
        at = Put(joined, at, b);
        at = Put(joined, at, c);
        at = Put(joined, Put(joined, at, d), e);
        return joined;
    }

    /// <summary>A date's text as <see cref="IsoDate.Format"/> writes it, made once per date (no character of it is escaped).</summary>
    private byte[] DateBytes(LocalDate date) => _days.Of(date, TierWindow.Day);

    private static int Put(Span<byte> to, int at, ReadOnlySpan<byte> bytes)
    {
        bytes.CopyTo(to[at..]);
        return at + bytes.Length;
    }

    private static int Written(bool formatted, int written) =>
        formatted ? written : throw new InvalidOperationException("A number did not fit in its room."); // the room is counted above
}
