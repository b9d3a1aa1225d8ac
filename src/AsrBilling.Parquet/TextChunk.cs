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

    // The dictionary's texts as the file holds them (UTF-8), for look-ups by their bytes.
    private byte[] _dictionaryUtf8 = [];
    private int[] _dictionaryUtf8Starts = [0];

    // The texts of values written in place (PLAIN), in order, as the file holds them (UTF-8); most are
    // ids, read as bytes, so characters are made only for a text asked for (_decoded).
    private byte[] _plainUtf8 = [];
    private int[] _plainUtf8Starts = [0];
    private char[] _decoded = [];
    private int _plainCount;

    /// <summary>How many texts the chunk's dictionary holds.</summary>
    public int DictionarySize => Math.Max(DictionaryCount, 0);

    /// <summary>A value's index in the chunk's dictionary, or -1 for a value written in place.</summary>
    public int Code(int value) => Math.Max(Refs[value], -1);

    /// <summary>The UTF-8 bytes of the dictionary's text <paramref name="code"/>.</summary>
    public ReadOnlySpan<byte> DictionaryUtf8(int code) =>
        _dictionaryUtf8.AsSpan(_dictionaryUtf8Starts[code], _dictionaryUtf8Starts[code + 1] - _dictionaryUtf8Starts[code]);

    /// <summary>A value's UTF-8 bytes, as the file holds them.</summary>
    public ReadOnlySpan<byte> Utf8(int value)
    {
        var r = Refs[value];
        return r >= 0 ? DictionaryUtf8(r) : _plainUtf8.AsSpan(_plainUtf8Starts[~r], _plainUtf8Starts[~r + 1] - _plainUtf8Starts[~r]);
    }

    /// <summary>A value's text. A text written in place is decoded from its bytes when asked for, into a buffer the next such call reuses.</summary>
    public ReadOnlySpan<char> Text(int value)
    {
        var r = Refs[value];
        if (r >= 0)
        {
            return _dictionary.AsSpan(_dictionaryStarts[r], _dictionaryStarts[r + 1] - _dictionaryStarts[r]);
        }

        var bytes = Utf8(value);
        if (_decoded.Length < bytes.Length)
        {
            _decoded = new char[Math.Max(bytes.Length, 2 * _decoded.Length)];
        }

        return _decoded.AsSpan(0, System.Text.Encoding.UTF8.GetChars(bytes, _decoded));
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

        Arrays.Grow(ref _dictionaryStarts, count + 1);
        Arrays.Grow(ref _dictionaryUtf8Starts, count + 1);
        var usedUtf8 = 0;
        if (!PlainTexts(page, count, new Store(ref _dictionaryUtf8, _dictionaryUtf8Starts, ref usedUtf8)))
        {
            return false;
        }

        // A dictionary's texts are few and asked for as characters: decoded once, here. A UTF-8 byte is never more than one UTF-16 character.
        if (_dictionary.Length < usedUtf8)
        {
            _dictionary = new char[Math.Max(usedUtf8, 2 * _dictionary.Length)];
        }

        var used = _dictionaryStarts[0] = 0;
        for (var i = 0; i < count; i++)
        {
            used += System.Text.Encoding.UTF8.GetChars(DictionaryUtf8(i), _dictionary.AsSpan(used));
            _dictionaryStarts[i + 1] = used;
        }

        return true;
    }

    protected override bool Values(ReadOnlySpan<byte> data, Encoding encoding, int first, int count)
    {
        if (encoding is not (Encoding.PLAIN or Encoding.DELTA_LENGTH_BYTE_ARRAY))
        {
            return false;
        }

        var firstPlain = _plainCount;
        if (_plainUtf8Starts.Length < firstPlain + count + 1)
        {
            Array.Resize(ref _plainUtf8Starts, Math.Max(firstPlain + count + 1, _plainUtf8Starts.Length * 2));
        }

        var usedUtf8 = _plainUtf8Starts[firstPlain];
        var store = new Store(ref _plainUtf8, _plainUtf8Starts.AsSpan(firstPlain, count + 1), ref usedUtf8);
        if (!(encoding == Encoding.PLAIN ? PlainTexts(data, count, store) : LengthTexts(data, count, store)))
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

    /// <summary>Decodes <paramref name="count"/> PLAIN byte arrays into <paramref name="store"/>.</summary>
    // Fully optimized at its first call: a loop run once per page or row group would stay in its precompiled code.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static bool PlainTexts(ReadOnlySpan<byte> data, int count, Store store)
    {
        store.Room(data.Length);
        var pos = 0;
        for (var i = 0; i < count; i++)
        {
            if (data.Length - pos < 4 || BinaryPrimitives.ReadInt32LittleEndian(data[pos..]) is var length && (length < 0 || length > data.Length - pos - 4))
            {
                return false;
            }

            store.Add(i, data.Slice(pos + 4, length));
            pos += 4 + length;
        }

        return true;
    }

    /// <summary>As <see cref="PlainTexts"/>, for DELTA_LENGTH_BYTE_ARRAY: the lengths first, then all the bytes.</summary>
    // Fully optimized at its first call: a loop run once per page or row group would stay in its precompiled code.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private bool LengthTexts(ReadOnlySpan<byte> data, int count, Store store)
    {
        Arrays.Grow(ref _lengths, count);
        var lengths = _lengths.AsSpan(0, count);
        if (!HybridRle.TryDecodeDeltas(data, lengths, out var consumed))
        {
            return false;
        }

        var bytes = data[consumed..];
        store.Room(bytes.Length);
        var pos = 0;
        for (var i = 0; i < count; i++)
        {
            if (lengths[i] < 0 || lengths[i] > bytes.Length - pos)
            {
                return false;
            }

            var length = (int)lengths[i];
            store.Add(i, bytes.Slice(pos, length));
            pos += length;
        }

        return true;
    }

    /// <summary>Where texts are written: the UTF-8 bytes the file holds, each from its start to the next.</summary>
    private readonly ref struct Store(ref byte[] utf8, Span<int> starts, ref int used)
    {
        private readonly ref byte[] _utf8 = ref utf8;
        private readonly Span<int> _starts = starts;
        private readonly ref int _used = ref used;

        /// <summary>Makes room for texts of <paramref name="bytes"/> bytes in all.</summary>
        public void Room(int bytes)
        {
            if (_utf8.Length - _used < bytes)
            {
                Array.Resize(ref _utf8, Math.Max(_used + bytes, _utf8.Length * 2));
            }

            _starts[0] = _used;
        }

        public void Add(int i, ReadOnlySpan<byte> text)
        {
            text.CopyTo(_utf8.AsSpan(_used));
            _used += text.Length;
            _starts[i + 1] = _used;
        }
    }
}
