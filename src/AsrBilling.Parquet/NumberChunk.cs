using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using Parquet.Meta;

namespace AsrBilling.Parquet;

/// <summary>
/// A column chunk of INT64, INT32, DOUBLE or FLOAT values decoded by <see cref="ColumnChunk"/>, each as a
/// 64-bit integer: INT32 sign-extended, floating-point numbers as their bits. Takes PLAIN,
/// DELTA_BINARY_PACKED (integers), BYTE_STREAM_SPLIT and dictionary pages.
/// </summary>
internal sealed class NumberChunk : ColumnChunk
{
    private long[] _dictionary = [];
    private long[] _values = [];

    // Where the chunk's values lie in its pages while they are those of one PLAIN page of 8-byte values (the usual chunk):
    // the first value's byte, and how many; -1 once they are in _values.
    private int _inPlace = -1;
    private int _inPlaceCount;

    /// <summary>The chunk's physical type, as the last <see cref="ColumnChunk.TryLoad"/> found it.</summary>
    public global::Parquet.Meta.Type Physical { get; private set; }

    /// <summary>A value as a 64-bit integer.</summary>
    public long Raw(int value) => _inPlace >= 0 ? BinaryPrimitives.ReadInt64LittleEndian(Pages.AsSpan(_inPlace + (8 * value), 8)) : _values[value];

    /// <summary>Values <paramref name="first"/> to <paramref name="first"/> + <paramref name="count"/> − 1 as the file holds them.</summary>
    public ReadOnlySpan<long> Raws(int first, int count) =>
        _inPlace >= 0 ? System.Runtime.InteropServices.MemoryMarshal.Cast<byte, long>(Pages.AsSpan(_inPlace + (8 * first), 8 * count)) : _values.AsSpan(first, count);

    /// <summary>Pages stay where they were placed until the next chunk: a PLAIN page of 8-byte values is read there, not copied.</summary>
    protected override bool ReadsInPlace => true;

    protected override bool Accepts(global::Parquet.Meta.Type physical)
    {
        Physical = physical;
        return physical is global::Parquet.Meta.Type.INT64 or global::Parquet.Meta.Type.INT32 or global::Parquet.Meta.Type.DOUBLE or global::Parquet.Meta.Type.FLOAT;
    }

    protected override void Begin(int rows)
    {
        _inPlace = -1;
        Arrays.GrowUninitialized(ref _values, rows);
    }

    protected override bool DictionaryValues(ReadOnlySpan<byte> page, int start, int count)
    {
        // A count the page cannot hold is refused before room is made for it.
        if (count < 0 || count > page.Length / 4)
        {
            return false;
        }

        Arrays.Grow(ref _dictionary, count);
        return Plain(page, _dictionary.AsSpan(0, count));
    }

    protected override bool Values(ReadOnlySpan<byte> data, int start, Encoding encoding, int first, int count)
    {
        if (first == 0 && encoding == Encoding.PLAIN && Physical is global::Parquet.Meta.Type.INT64 or global::Parquet.Meta.Type.DOUBLE && BitConverter.IsLittleEndian)
        {
            if (data.Length < 8 * count)
            {
                return false;
            }

            (_inPlace, _inPlaceCount) = (start, count);
            return true;
        }

        Materialize();
        return Decode(data, encoding, first, count);
    }

    private bool Decode(ReadOnlySpan<byte> data, Encoding encoding, int first, int count) => encoding switch
    {
        Encoding.PLAIN => Plain(data, _values.AsSpan(first, count)),
        Encoding.BYTE_STREAM_SPLIT => StreamSplit(data, _values.AsSpan(first, count)),
        Encoding.DELTA_BINARY_PACKED when Physical is global::Parquet.Meta.Type.INT64 or global::Parquet.Meta.Type.INT32 =>
            HybridRle.TryDecodeDeltas(data, _values.AsSpan(first, count), out _) && FitsInt32(_values.AsSpan(first, count)),
        _ => false,
    };

    // Fully optimized at its first call: a loop run once per page or row group would stay in its precompiled code.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    protected override void FromDictionary(int first, int count)
    {
        Materialize();
        for (var i = first; i < first + count; i++)
        {
            _values[i] = _dictionary[Refs[i]];
        }
    }

    // Fully optimized at its first call: a loop run once per page or row group would stay in its precompiled code.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private bool Plain(ReadOnlySpan<byte> data, Span<long> output)
    {
        var wide = Physical is global::Parquet.Meta.Type.INT64 or global::Parquet.Meta.Type.DOUBLE;
        if (data.Length < output.Length * (wide ? 8 : 4))
        {
            return false;
        }

        for (var i = 0; i < output.Length; i++)
        {
            output[i] = wide ? BinaryPrimitives.ReadInt64LittleEndian(data[(8 * i)..]) : BinaryPrimitives.ReadInt32LittleEndian(data[(4 * i)..]);
        }

        return true;
    }

    /// <summary>Copies values read in place into <see cref="_values"/>, before a later page of the chunk adds to them.</summary>
    private void Materialize()
    {
        if (_inPlace >= 0)
        {
            Plain(Pages.AsSpan(_inPlace, 8 * _inPlaceCount), _values.AsSpan(0, _inPlaceCount));
            _inPlace = -1;
        }
    }

    // Byte b of value i is at b * count + i: the streams of each byte, one after another.
    // Fully optimized at its first call: a loop run once per page or row group would stay in its precompiled code.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private bool StreamSplit(ReadOnlySpan<byte> data, Span<long> output)
    {
        var width = Physical is global::Parquet.Meta.Type.INT64 or global::Parquet.Meta.Type.DOUBLE ? 8 : 4;
        var count = output.Length;
        if (data.Length < count * width)
        {
            return false;
        }

        for (var i = 0; i < count; i++)
        {
            ulong bits = 0;
            for (var b = 0; b < width; b++)
            {
                bits |= (ulong)data[(b * count) + i] << (8 * b);
            }

            output[i] = width == 8 ? unchecked((long)bits) : unchecked((int)(uint)bits);
        }

        return true;
    }

    // An INT32 column's deltas must come back to 32-bit values.
    private bool FitsInt32(ReadOnlySpan<long> values)
    {
        if (Physical != global::Parquet.Meta.Type.INT32)
        {
            return true;
        }

        foreach (var v in values)
        {
            if (v is < int.MinValue or > int.MaxValue)
            {
                return false;
            }
        }

        return true;
    }
}
