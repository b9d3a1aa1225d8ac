using System.Buffers.Text;
using System.Runtime.InteropServices;
using System.Text;
using NodaTime;

namespace AsrBilling.Cli.Output;

/// <summary>
/// The CSV cells a chunk of lines repeats, escaped and encoded once: lines come by account and share
/// services, dates, keys and currencies, which are the bill's shared strings, so they are known by
/// reference (escaping and joining strings per line was most of a large CSV's cost).
/// </summary>
internal sealed class CsvCells
{
    private readonly Dictionary<string, byte[]> _cells = new(ReferenceEqualityComparer.Instance);
    private readonly Dictionary<PriceTier, byte[]> _unitPrices = new(ReferenceEqualityComparer.Instance);
    private (string? Text, byte[] Cell) _account, _service, _currency;
    private readonly PeriodTexts _periods = new();

    /// <summary>An account's cell.</summary>
    public byte[] Account(string account) => Cached(ref _account, account);

    /// <summary>A service id's cell.</summary>
    public byte[] Service(string id) => Cached(ref _service, id);

    /// <summary>A charge's period cell from its first date and window, as <see cref="BillCharge.Period"/> writes it: the date, or its month.</summary>
    public byte[] Period(LocalDate date, TierWindow window) => _periods.Of(date, window);

    /// <summary>A currency's cell.</summary>
    public byte[] Currency(string currency) => Cached(ref _currency, currency);

    /// <summary>Any other text's cell, such as a statement's key.</summary>
    public byte[] Cell(string text)
    {
        ref var cell = ref CollectionsMarshal.GetValueRefOrAddDefault(_cells, text, out var exists);
        if (!exists)
        {
            cell = Encoding.UTF8.GetBytes(CsvText.Cell(text));
        }

        return cell!;
    }

    /// <summary>A tier's unit price, as the runtime prints the decimal.</summary>
    public byte[] UnitPrice(PriceTier tier)
    {
        ref var text = ref CollectionsMarshal.GetValueRefOrAddDefault(_unitPrices, tier, out var exists);
        if (!exists)
        {
            text = Encoding.ASCII.GetBytes(BillOutput.Number(tier.UnitPrice.Amount));
        }

        return text!;
    }

    private byte[] Cached(ref (string? Text, byte[] Cell) last, string text)
    {
        if (!ReferenceEquals(text, last.Text))
        {
            last = (text, Cell(text));
        }

        return last.Cell;
    }
}

/// <summary>One CSV line written in place into a buffer's span, which the caller sized for it.</summary>
/// <param name="to">Room for the whole line.</param>
internal ref struct CsvLine(Span<byte> to)
{
    private readonly Span<byte> _to = to;

    /// <summary>How many bytes are written.</summary>
    public int Length { get; private set; }

    /// <summary>The longest number a line holds: a decimal's <see cref="DecimalText.MaxLength"/>.</summary>
    public const int MaxNumber = DecimalText.MaxLength;

    /// <summary>Writes bytes as they are, such as a cell.</summary>
    public void Put(ReadOnlySpan<byte> bytes)
    {
        bytes.CopyTo(_to[Length..]);
        Length += bytes.Length;
    }

    /// <summary>Writes the separator between cells.</summary>
    public void Comma() => _to[Length++] = (byte)',';

    /// <summary>Ends the line.</summary>
    public void End() => _to[Length++] = (byte)'\n';

    /// <summary>How many more bytes the line's span has room for.</summary>
    public readonly int Room => _to.Length - Length;

    /// <summary>Writes a whole number.</summary>
    public void Number(long value)
    {
        if (value >= 0)
        {
            Length += DecimalText.FormatWhole((ulong)value, _to[Length..]);
            return;
        }

        Utf8Formatter.TryFormat(value, _to[Length..], out var written);
        Length += written;
    }

    /// <summary>Writes a decimal as the runtime prints it.</summary>
    public void Number(decimal value) => Length += DecimalText.Format(value, _to[Length..]);

    /// <summary>Writes whole cents as the amount with two decimals that <see cref="Number(decimal)"/> writes for them (<c>-0.05</c>, <c>0.00</c>, <c>44.07</c>).</summary>
    public void Cents(long cents) => Length += DecimalText.FormatCents(cents, _to[Length..]);

    /// <summary>Writes a share of a whole, as <see cref="ShareText"/> prints it, dividing by the whole's <paramref name="divisor"/> from <see cref="ShareText.DivisorFor"/>.</summary>
    public void Share(long part, long whole, RepeatedDivisor divisor) => Length += ShareText.Format(part, whole, divisor, _to[Length..]);
}

/// <summary>
/// The ASCII text of a charge's period (<see cref="IsoDate.Format"/> for a day, <see cref="IsoDate.FormatMonth"/> for a
/// month), made once per period in a small direct-mapped cache: lines come by account, each through the same few dates.
/// The text needs no escaping as a CSV cell or a JSON string (digits and hyphens only).
/// </summary>
internal sealed class PeriodTexts
{
    private readonly (LocalDate Date, TierWindow Window, byte[]? Text)[] _slots = new (LocalDate, TierWindow, byte[]?)[512];

    /// <summary>The text of the period that starts on <paramref name="date"/> in <paramref name="window"/>.</summary>
    public byte[] Of(LocalDate date, TierWindow window)
    {
        ref var slot = ref _slots[unchecked((uint)date.GetHashCode() * 0x9E3779B9u) >> 23];
        if (slot.Text is null || slot.Date != date || slot.Window != window)
        {
            slot = (date, window, Encoding.ASCII.GetBytes(window == TierWindow.Day ? IsoDate.Format(date) : IsoDate.FormatMonth(date)));
        }

        return slot.Text;
    }
}
