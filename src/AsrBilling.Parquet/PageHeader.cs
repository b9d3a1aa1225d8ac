using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Parquet.Meta;

namespace AsrBilling.Parquet;

/// <summary>
/// The fields of a Parquet page header that a flat text column's pages need, read from Thrift's compact
/// protocol (Parquet.Net keeps its own reader internal). Fields it does not need are skipped.
/// </summary>
internal struct PageHeader
{
    public PageType Type;
    public int UncompressedSize;
    public int CompressedSize;
    public int NumValues;
    public Encoding Encoding;
    public Encoding DefinitionEncoding;
    public int DefinitionBytes;
    public int RepetitionBytes;
    public bool IsCompressed;

    /// <summary>Reads a header from the start of <paramref name="data"/>; false when it is not a well-formed header.</summary>
    public static bool TryRead(ReadOnlySpan<byte> data, out PageHeader header, out int length)
    {
        var h = new PageHeader { IsCompressed = true, Type = (PageType)(-1), UncompressedSize = -1, CompressedSize = -1 };
        var reader = new CompactReader(data);
        var seen = false;
        reader.Fields((ref CompactReader r, short id, int type) =>
        {
            switch (id, type)
            {
                case (1, CompactReader.Int32): h.Type = (PageType)r.I32(); break;
                case (2, CompactReader.Int32): h.UncompressedSize = r.I32(); break;
                case (3, CompactReader.Int32): h.CompressedSize = r.I32(); break;
                case (5 or 7 or 8, CompactReader.Struct):
                    seen = true;
                    var v2 = id == 8;
                    r.Fields((ref CompactReader p, short field, int kind) =>
                    {
                        switch (field, kind, v2)
                        {
                            case (1, CompactReader.Int32, _): h.NumValues = p.I32(); break;
                            case (2, CompactReader.Int32, false): h.Encoding = (Encoding)p.I32(); break;
                            case (3, CompactReader.Int32, false): h.DefinitionEncoding = (Encoding)p.I32(); break;
                            case (4, CompactReader.Int32, true): h.Encoding = (Encoding)p.I32(); break;
                            case (5, CompactReader.Int32, true): h.DefinitionBytes = p.I32(); break;
                            case (6, CompactReader.Int32, true): h.RepetitionBytes = p.I32(); break;
                            case (7, CompactReader.True or CompactReader.False, true): h.IsCompressed = kind == CompactReader.True; break;
                            default: p.Skip(kind); break;
                        }
                    });
                    break;
                default: r.Skip(type); break;
            }
        });
        (header, length) = (h, reader.Position);
        return !reader.Bad && h.UncompressedSize >= 0 && h.CompressedSize >= 0 && h.NumValues >= 0
            && h.DefinitionBytes >= 0 && h.RepetitionBytes >= 0 && (seen || h.Type == PageType.INDEX_PAGE);
    }
}

/// <summary>
/// Thrift's compact protocol over bytes in memory: a bad or truncated input sets <see cref="Bad"/> instead
/// of throwing, but values nested too deep throw <see cref="InvalidDataException"/>.
/// </summary>
internal ref struct CompactReader(ReadOnlySpan<byte> data)
{
    public const int True = 1, False = 2, Int32 = 5, Struct = 12;
    private const int MaxDepth = 32;

    private readonly ReadOnlySpan<byte> _data = data;
    private int _depth;

    /// <summary>Handles one field of a struct, given its id and compact type; it must read or skip the value.</summary>
    public delegate void Field(ref CompactReader reader, short id, int type);

    public int Position { get; private set; }

    public bool Bad { get; private set; }

    /// <summary>Reads a struct's fields up to its stop byte.</summary>
    public void Fields(Field field)
    {
        if (++_depth > MaxDepth)
        {
            throw TooDeep();
        }

        short id = 0;
        while (!Bad)
        {
            var head = Byte();
            if (head == 0)
            {
                break;
            }

            id = unchecked((head >> 4) is var delta and > 0 ? (short)(id + delta) : (short)I32());
            field(ref this, id, head & 0x0F);
        }

        _depth--;
    }

    public int I32()
    {
        var value = unchecked((uint)Varint());
        return (int)(value >> 1) ^ -(int)(value & 1);
    }

    /// <summary>Skips a value of a compact type; in a list, booleans take a byte each.</summary>
    public void Skip(int type, bool inList = false)
    {
        switch (type)
        {
            case True or False when !inList: break;
            case True or False or 3: Byte(); break;
            case 4 or Int32 or 6: Varint(); break;
            case 7: Advance(8); break;
            case 8: Advance(Varint()); break;
            case 9 or 10 or 11 when ++_depth > MaxDepth:
                throw TooDeep();
            case 9 or 10:
                var head = Byte();
                var size = (head >> 4) is 15 ? Varint() : (ulong)(head >> 4);
                for (ulong i = 0; i < size && !Bad; i++)
                {
                    Skip(head & 0x0F, inList: true);
                }

                _depth--;
                break;
            case 11:
                var count = Varint();
                var kinds = count > 0 ? Byte() : 0;
                for (ulong i = 0; i < count && !Bad; i++)
                {
                    Skip(kinds >> 4, inList: true);
                    Skip(kinds & 0x0F, inList: true);
                }

                _depth--;
                break;
            case Struct: Fields(static (ref CompactReader r, short _, int kind) => r.Skip(kind)); break;
            default: Bad = true; break;
        }
    }

    // Named here rather than left to Parquet.Net, whose reader skips nested values by unbounded recursion.
    private static InvalidDataException TooDeep() => new($"a page header nests values more than {MaxDepth} levels deep");

    private byte Byte()
    {
        if (Position >= _data.Length)
        {
            Bad = true;
            return 0;
        }

        return _data[Position++];
    }

    private ulong Varint()
    {
        ulong value = 0;
        for (var shift = 0; shift < 64 && !Bad; shift += 7)
        {
            var b = Byte();
            value |= (ulong)(b & 0x7F) << shift;
            if ((b & 0x80) == 0)
            {
                return value;
            }
        }

        Bad = true;
        return 0;
    }

    private void Advance(ulong count)
    {
        if (count > (ulong)(_data.Length - Position))
        {
            Bad = true;
            return;
        }

        Position += (int)count;
    }
}

/// <summary>Parquet's RLE / bit-packed hybrid encoding of levels and dictionary indices.</summary>
internal static class HybridRle
{
    /// <summary>Fills <paramref name="output"/> with values of <paramref name="bitWidth"/> bits; false when the data runs out or is malformed.</summary>
    // Fully optimized at its first call: a loop run once per page or row group would stay in its precompiled code.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static bool TryDecode(ReadOnlySpan<byte> data, int bitWidth, Span<int> output)
    {
        if (bitWidth is < 0 or > 32)
        {
            return false;
        }

        var (pos, n, byteWidth) = (0, 0, (bitWidth + 7) / 8);
        var mask = bitWidth == 32 ? ulong.MaxValue >> 32 : (1UL << bitWidth) - 1;
        while (n < output.Length)
        {
            if (!TryVarint(data, ref pos, out var header))
            {
                return false;
            }

            if ((header & 1) == 0)
            {
                var count = (int)Math.Min(header >> 1, (ulong)(output.Length - n));
                if (count == 0 || data.Length - pos < byteWidth)
                {
                    return false;
                }

                var value = 0;
                for (var b = 0; b < byteWidth; b++)
                {
                    value |= unchecked(data[pos + b] << (8 * b));
                }

                pos += byteWidth;
                output.Slice(n, count).Fill(value);
                n += count;
                continue;
            }

            // A last bit-packed run may be cut short of its padding: only the values whose bits are there are read.
            // A run longer than the output needs is read only as far as it does.
            var groups = Math.Min(header >> 1, (ulong)output.Length);
            var available = Math.Min(groups * (ulong)bitWidth, (ulong)(data.Length - pos));
            var run = data.Slice(pos, (int)available);
            var values = (int)Math.Min(groups * 8, (ulong)(output.Length - n));
            if (values == 0 || (bitWidth > 0 && (long)values * bitWidth > run.Length * 8L))
            {
                return false;
            }

            // Values whose 8 bytes from their first are all in the run are read at once; the last few byte by byte.
            var decoded = output.Slice(n, values);
            var whole = bitWidth == 0 || run.Length < 8 ? 0 : (int)Math.Min(values, (((((long)run.Length - 7) * 8) - 1) / bitWidth) + 1);
            ref var start = ref MemoryMarshal.GetReference(run);
            for (var i = 0; i < whole; i++)
            {
                var bit = (long)i * bitWidth;
                decoded[i] = unchecked((int)((Unsafe.ReadUnaligned<ulong>(ref Unsafe.Add(ref start, (nint)(bit >> 3))) >> (int)(bit & 7)) & mask));
            }

            for (var i = whole; i < values; i++)
            {
                var bit = (long)i * bitWidth;
                decoded[i] = unchecked((int)((Read64(run, (int)(bit >> 3)) >> (int)(bit & 7)) & mask));
            }

            n += values;
            pos += (int)available;
        }

        return true;
    }

    /// <summary>
    /// Whether 1-bit levels are one RLE run of <paramref name="value"/> for all <paramref name="count"/> of them, as writers
    /// encode a page without nulls; false for any other encoding of them, which <see cref="TryDecode"/> then reads.
    /// </summary>
    public static bool IsRunOf(ReadOnlySpan<byte> data, int value, int count)
    {
        var pos = 0;
        return TryVarint(data, ref pos, out var header) && (header & 1) == 0 && header >> 1 >= (ulong)count
            && pos < data.Length && data[pos] == value;
    }

    /// <summary>
    /// Fills <paramref name="output"/> from Parquet's DELTA_BINARY_PACKED encoding (integers, and the
    /// lengths of a DELTA_LENGTH_BYTE_ARRAY page) and gives the bytes it took; false when malformed.
    /// </summary>
    // Fully optimized at its first call: a loop run once per page or row group would stay in its precompiled code.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static bool TryDecodeDeltas(ReadOnlySpan<byte> data, Span<long> output, out int consumed)
    {
        consumed = 0;
        var pos = 0;
        if (!TryVarint(data, ref pos, out var blockSize) || !TryVarint(data, ref pos, out var miniblocks) || !TryVarint(data, ref pos, out var total)
            || !TryVarint(data, ref pos, out var first) || miniblocks == 0 || blockSize == 0 || blockSize % 128 != 0 || blockSize / miniblocks % 32 != 0
            || blockSize > 1 << 20 || miniblocks > blockSize || total != (ulong)output.Length)
        {
            return false;
        }

        var perMiniblock = (int)(blockSize / miniblocks);
        long value = (long)(first >> 1) ^ -(long)(first & 1);
        var n = 0;
        if (output.Length > 0)
        {
            output[n++] = value;
        }

        while (n < output.Length)
        {
            if (!TryVarint(data, ref pos, out var zigzag) || data.Length - pos < (int)miniblocks)
            {
                return false;
            }

            var minDelta = (long)(zigzag >> 1) ^ -(long)(zigzag & 1);
            var widths = data.Slice(pos, (int)miniblocks);
            pos += (int)miniblocks;
            for (var m = 0; m < widths.Length && n < output.Length; m++)
            {
                int width = widths[m];
                var bytes = perMiniblock * width / 8;
                if (width > 64 || data.Length - pos < bytes)
                {
                    return false;
                }

                var run = data.Slice(pos, bytes);
                var mask = width == 64 ? ulong.MaxValue : (1UL << width) - 1;
                for (var i = 0; i < perMiniblock && n < output.Length; i++)
                {
                    var bit = (long)i * width;
                    // Deltas wrap around as in the writer's 64-bit arithmetic.
                    value = unchecked(value + minDelta + (long)Bits(run, bit, width, mask));
                    output[n++] = value;
                }

                pos += bytes;
            }
        }

        consumed = pos;
        return true;
    }

    /// <summary>The <paramref name="width"/> bits (up to 64) from bit <paramref name="bit"/> on, little-endian.</summary>
    private static ulong Bits(ReadOnlySpan<byte> run, long bit, int width, ulong mask)
    {
        var (at, shift) = ((int)(bit >> 3), (int)(bit & 7));
        var value = Read64(run, at) >> shift;
        if (shift + width > 64 && at + 8 < run.Length)
        {
            value |= (ulong)run[at + 8] << (64 - shift);
        }

        return value & mask;
    }

    /// <summary>Eight bytes little-endian from <paramref name="at"/>, zeros past the end.</summary>
    private static ulong Read64(ReadOnlySpan<byte> run, int at)
    {
        if (run.Length - at >= 8)
        {
            return BinaryPrimitives.ReadUInt64LittleEndian(run[at..]);
        }

        ulong value = 0;
        for (var b = 0; at + b < run.Length; b++)
        {
            value |= (ulong)run[at + b] << (8 * b);
        }

        return value;
    }

    private static bool TryVarint(ReadOnlySpan<byte> data, ref int pos, out ulong value)
    {
        value = 0;
        for (var shift = 0; shift < 64 && pos < data.Length; shift += 7)
        {
            var b = data[pos++];
            value |= (ulong)(b & 0x7F) << shift;
            if ((b & 0x80) == 0)
            {
                return true;
            }
        }

        return false;
    }
}
