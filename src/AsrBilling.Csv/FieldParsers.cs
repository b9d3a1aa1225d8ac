using System.Buffers;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Text;
using NodaTime;

namespace AsrBilling.Csv;

/// <summary>
/// Parsers for CSV fields that never allocate on the common path and say exactly what is wrong.
/// </summary>
internal static partial class FieldParsers
{
    private const long TicksPerSecond = 10_000_000L;

    /// <summary>The largest offset from UTC NodaTime reads: ±18:00.</summary>
    private const int MaxOffsetMinutes = 18 * 60;

    private static readonly long MinUnixTicks = Instant.MinValue.ToUnixTimeTicks();
    private static readonly long MaxUnixTicks = Instant.MaxValue.ToUnixTimeTicks();

    /// <summary>The longest field the parsers read in place; a longer one is not one of their shapes.</summary>
    private const int Narrow = 64;

    private static readonly AsrService?[] ByLength = KnownByLength();

    private static readonly byte[]?[] Utf8IdByLength = [.. ByLength.Select(s => s is null ? null : Encoding.UTF8.GetBytes(s.Id))];

    /// <summary>The service of a price book with an id: the well-known ids by an exact compare first, then any id of the book, ignoring ASCII case and spaces.</summary>
    public static AsrService? Service(ReadOnlySpan<char> text, IReadOnlyList<AsrService> services)
    {
        Span<byte> ascii = stackalloc byte[Narrow];
        return TryNarrow(text, ascii, out var bytes) ? Service(bytes, services) : AnyService(Text(text).Trim(), services);
    }

    /// <summary>The same as <see cref="Service(ReadOnlySpan{char}, IReadOnlyList{AsrService})"/>, over the field's UTF-8 bytes.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static AsrService? Service(ReadOnlySpan<byte> text, IReadOnlyList<AsrService> services) =>
        Known(text) is { } known ? Priced(known, services) : AnyService(Encoding.UTF8.GetString(text).Trim(), services);

    /// <summary>
    /// The same as <see cref="Service(ReadOnlySpan{byte}, IReadOnlyList{AsrService})"/>, with the book's
    /// built-in services looked up by id length (<see cref="PricedByLength"/>) rather than searched for on every row.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static AsrService? Service(ReadOnlySpan<byte> text, IReadOnlyList<AsrService> services, AsrService?[] pricedByLength) =>
        Known(text) is { } known ? pricedByLength[known.Id.Length] : AnyService(Encoding.UTF8.GetString(text).Trim(), services);

    /// <summary>The built-in services a book prices, by the length of their ids (null where it prices none).</summary>
    public static AsrService?[] PricedByLength(IReadOnlyList<AsrService> services) => [.. ByLength.Select(s => s is null ? null : Priced(s, services))];

    /// <summary>The built-in service whose id the bytes are exactly, or null.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static AsrService? Known(ReadOnlySpan<byte> text)
    {
        var exact = (uint)text.Length < (uint)Utf8IdByLength.Length ? Utf8IdByLength[text.Length] : null;
        return exact is not null && SameBytes(text, exact) ? ByLength[text.Length] : null;
    }

    /// <summary>A built-in service when the book prices it, else null: its rows are bad rows of their service column.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static AsrService? Priced(AsrService service, IReadOnlyList<AsrService> services)
    {
        for (var i = 0; i < services.Count; i++)
        {
            if (ReferenceEquals(services[i], service) || services[i].Equals(service))
            {
                return service;
            }
        }

        return null;
    }

    private static AsrService?[] KnownByLength()
    {
        var known = new AsrService?[AsrService.All.Max(s => s.Id.Length) + 1];
        foreach (var service in AsrService.All)
        {
            known[service.Id.Length] = service;
        }

        return known;
    }

    // Its own method: a lambda's captured variable in Service would allocate its closure on every
    // call, the exact matches included (measured: one allocation a row of a bill).
    private static AsrService? AnyService(string trimmed, IReadOnlyList<AsrService> services) =>
        services.FirstOrDefault(s => trimmed.Equals(s.Id, StringComparison.OrdinalIgnoreCase));

    public static string UnknownService(ReadOnlySpan<char> text, IEnumerable<AsrService> services)
    {
        var (id, valid) = (Text(text), string.Join(", ", services.Select(s => s.Id)));
        return AsrService.All.Any(s => s.Id.Equals(id.Trim(), StringComparison.OrdinalIgnoreCase))
            ? $"the price book has no prices for '{id}'; it prices: {valid}"
            : $"unknown service id '{id}'; valid ids: {valid}";
    }

    /// <summary>The text as a string.</summary>
    public static string Text(ReadOnlySpan<char> text) => new(text);

    /// <summary>
    /// Whether two byte strings are equal. Fields of 4 to 16 bytes (ids, accounts, tags) are compared
    /// as two overlapping words each, in line; the span compare is a call, three of them a row.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool SameBytes(ReadOnlySpan<byte> a, ReadOnlySpan<byte> b)
    {
        if (a.Length != b.Length)
        {
            return false;
        }

        return a.Length switch
        {
            > 16 and <= 32 => MemoryMarshal.Read<Vector128<byte>>(a) == MemoryMarshal.Read<Vector128<byte>>(b) && MemoryMarshal.Read<Vector128<byte>>(a[^16..]) == MemoryMarshal.Read<Vector128<byte>>(b[^16..]),
            >= 8 and <= 16 => MemoryMarshal.Read<ulong>(a) == MemoryMarshal.Read<ulong>(b) && MemoryMarshal.Read<ulong>(a[^8..]) == MemoryMarshal.Read<ulong>(b[^8..]),
            >= 4 and < 8 => MemoryMarshal.Read<uint>(a) == MemoryMarshal.Read<uint>(b) && MemoryMarshal.Read<uint>(a[^4..]) == MemoryMarshal.Read<uint>(b[^4..]),
            _ => a.SequenceEqual(b),
        };
    }

    /// <summary>The stack buffer a caller of <see cref="Utf8"/> offers: room for 85 characters of any script.</summary>
    public const int StackBytes = 256;

    /// <summary>A field read as text, as UTF-8 in the caller's buffer, or in a new array when it does not fit.</summary>
    public static ReadOnlySpan<byte> Utf8(ReadOnlySpan<char> text, Span<byte> buffer)
    {
        if (Encoding.UTF8.GetMaxByteCount(text.Length) > buffer.Length)
        {
            buffer = new byte[Encoding.UTF8.GetByteCount(text)];
        }

        return buffer[..Encoding.UTF8.GetBytes(text, buffer)];
    }

    /// <summary>The text without leading and trailing spaces and tabs.</summary>
    public static ReadOnlySpan<char> Trim(ReadOnlySpan<char> text) => text.Trim(" \t");

    /// <summary>The bytes without leading and trailing spaces and tabs.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ReadOnlySpan<byte> Trim(ReadOnlySpan<byte> text)
    {
        var start = 0;
        var end = text.Length;
        while (start < end && text[start] is (byte)' ' or (byte)'\t')
        {
            start++;
        }

        while (end > start && text[end - 1] is (byte)' ' or (byte)'\t')
        {
            end--;
        }

        return text[start..end];
    }

    /// <summary>
    /// The text as ASCII bytes in a caller's buffer, for the parsers that read bytes; false when it is
    /// longer than the buffer or not ASCII, which no fast shape is.
    /// </summary>
    private static bool TryNarrow(ReadOnlySpan<char> text, Span<byte> buffer, out ReadOnlySpan<byte> bytes)
    {
        if (text.Length <= buffer.Length && Ascii.FromUtf16(text, buffer, out var written) == OperationStatus.Done)
        {
            bytes = buffer[..written];
            return true;
        }

        bytes = default;
        return false;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int C(byte value) => value;
}
