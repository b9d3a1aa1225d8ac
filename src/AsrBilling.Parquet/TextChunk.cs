using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using Parquet.Meta;

namespace AsrBilling.Parquet;

/// <summary>
/// A UTF-8 column chunk decoded by <see cref="ColumnChunk"/>: every text in one array of characters (a
/// dictionary's texts once each), not in an array per value. Takes PLAIN, DELTA_LENGTH_BYTE_ARRAY and
/// dictionary pages.
/// </summary>
internal sealed class TextChunk : ColumnChunk
{
    private long[] _lengths = [];

    // The dictionary's texts, each from _dictionaryStarts[i] to _dictionaryStarts[i + 1].
    private char[] _dictionary = [];
    private int[] _dictionaryStarts = [0];

    // The texts of values written in place (PLAIN), in order.
    private char[] _plain = [];
    private int[] _plainStarts = [0];
    private int _plainCount;

    /// <summary>How many texts the chunk's dictionary holds.</summary>
    public int DictionarySize => Math.Max(DictionaryCount, 0);

    /// <summary>A value's index in the chunk's dictionary, or -1 for a value written in place.</summary>
    public int Code(int value) => Math.Max(Refs[value], -1);

    public ReadOnlySpan<char> Text(int value)
    {
        var r = Refs[value];
        return r >= 0
            ? _dictionary.AsSpan(_dictionaryStarts[r], _dictionaryStarts[r + 1] - _dictionaryStarts[r])
            : _plain.AsSpan(_plainStarts[~r], _plainStarts[~r + 1] - _plainStarts[~r]);
    }

    protected override bool Accepts(global::Parquet.Meta.Type physical) => physical == global::Parquet.Meta.Type.BYTE_ARRAY;

    protected override void Begin(int rows) => _plainCount = 0;

    protected override bool DictionaryValues(ReadOnlySpan<byte> page, int count)
    {
        // Each text takes its 4-byte length at least: a count the page cannot hold is refused before room is made for it.
        if (count < 0 || count > page.Length / 4)
        {
            return false;
        }

        Grow(ref _dictionaryStarts, count + 1);
        var used = 0;
        return PlainTexts(page, count, ref _dictionary, _dictionaryStarts, ref used);
    }

    protected override bool Values(ReadOnlySpan<byte> data, Encoding encoding, int first, int count)
    {
        if (encoding is not (Encoding.PLAIN or Encoding.DELTA_LENGTH_BYTE_ARRAY))
        {
            return false;
        }

        var firstPlain = _plainCount;
        if (_plainStarts.Length < firstPlain + count + 1)
        {
            Array.Resize(ref _plainStarts, Math.Max(firstPlain + count + 1, _plainStarts.Length * 2));
        }

        var used = _plainStarts[firstPlain];
        var starts = _plainStarts.AsSpan(firstPlain, count + 1);
        if (!(encoding == Encoding.PLAIN
            ? PlainTexts(data, count, ref _plain, starts, ref used)
            : LengthTexts(data, count, ref _plain, starts, ref used)))
        {
            return false;
        }

        var refs = Refs.AsSpan(first, count);
        for (var i = 0; i < count; i++)
        {
            refs[i] = ~(firstPlain + i);
        }

        _plainCount += count;
        return true;
    }

    /// <summary>Decodes <paramref name="count"/> PLAIN byte arrays into characters from <paramref name="used"/> on, writing where each ends after <paramref name="starts"/>[0].</summary>
    // Fully optimized at its first call: a loop run once per page or row group would stay in its precompiled code.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static bool PlainTexts(ReadOnlySpan<byte> data, int count, ref char[] chars, Span<int> starts, ref int used)
    {
        // A UTF-8 byte is never more than one UTF-16 character: room for all the page's bytes is room enough.
        if (chars.Length - used < data.Length)
        {
            Array.Resize(ref chars, Math.Max(used + data.Length, chars.Length * 2));
        }

        starts[0] = used;
        var pos = 0;
        for (var i = 0; i < count; i++)
        {
            if (data.Length - pos < 4 || BinaryPrimitives.ReadInt32LittleEndian(data[pos..]) is var length && (length < 0 || length > data.Length - pos - 4))
            {
                return false;
            }

            used += System.Text.Encoding.UTF8.GetChars(data.Slice(pos + 4, length), chars.AsSpan(used));
            starts[i + 1] = used;
            pos += 4 + length;
        }

        return true;
    }

    /// <summary>As <see cref="PlainTexts"/>, for DELTA_LENGTH_BYTE_ARRAY: the lengths first, then all the bytes.</summary>
    // Fully optimized at its first call: a loop run once per page or row group would stay in its precompiled code.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private bool LengthTexts(ReadOnlySpan<byte> data, int count, ref char[] chars, Span<int> starts, ref int used)
    {
        Grow(ref _lengths, count);
        var lengths = _lengths.AsSpan(0, count);
        if (!HybridRle.TryDecodeDeltas(data, lengths, out var consumed))
        {
            return false;
        }

        var bytes = data[consumed..];
        if (chars.Length - used < bytes.Length)
        {
            Array.Resize(ref chars, Math.Max(used + bytes.Length, chars.Length * 2));
        }

        starts[0] = used;
        var pos = 0;
        for (var i = 0; i < count; i++)
        {
            if (lengths[i] < 0 || lengths[i] > bytes.Length - pos)
            {
                return false;
            }

            var length = (int)lengths[i];
            used += System.Text.Encoding.UTF8.GetChars(bytes.Slice(pos, length), chars.AsSpan(used));
            starts[i + 1] = used;
            pos += length;
        }

        return true;
    }
}
