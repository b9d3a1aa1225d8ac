using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using Parquet.Meta;

namespace AsrBilling.Parquet;

/// <summary>
/// A UTF-8 column chunk decoded by <see cref="ColumnChunk"/>: every text's bytes read where they lie in the chunk's
/// pages, not copied, and a dictionary's texts also decoded to characters once each, in one array. Takes PLAIN,
/// DELTA_LENGTH_BYTE_ARRAY and dictionary pages.
/// </summary>
internal sealed class TextChunk : ColumnChunk
{
    private long[] _lengths = [];

    // The dictionary's texts, each from _dictionaryStarts[i] to _dictionaryStarts[i + 1].
    private char[] _dictionary = [];
    private int[] _dictionaryStarts = [0];

    // Where the dictionary's texts lie in the pages (UTF-8), for look-ups by their bytes.
    private int[] _dictionaryUtf8Starts = [];
    private int[] _dictionaryUtf8Lengths = [];

    // Where the texts of values written in place lie in the pages (UTF-8), in order; most are ids, read as
    // bytes, so characters are made only for a text asked for (_decoded).
    private int[] _plainStarts = [];
    private int[] _plainLengths = [];
    private char[] _decoded = [];
    private int _plainCount;

    // Whether every page of texts read so far is ASCII, lengths included (a length from 128 on is not): then so is every text.
    private bool _ascii;

    /// <summary>How many texts the chunk's dictionary holds.</summary>
    public int DictionarySize => Math.Max(DictionaryCount, 0);

    /// <summary>A value's index in the chunk's dictionary, or -1 for a value written in place.</summary>
    public int Code(int value) => DictionaryCount < 0 ? -1 : Math.Max(Refs[value], -1);

    /// <summary>The dictionary indices of values <paramref name="first"/> on, where every value of the chunk is of the dictionary.</summary>
    public ReadOnlySpan<int> Codes(int first, int count) => Refs.AsSpan(first, count);

    /// <summary>The UTF-8 bytes of the dictionary's text <paramref name="code"/>.</summary>
    public ReadOnlySpan<byte> DictionaryUtf8(int code) => Pages.AsSpan(_dictionaryUtf8Starts[code], _dictionaryUtf8Lengths[code]);

    /// <summary>Whether every text of the chunk is ASCII: one check of each page's bytes, not one of each text.</summary>
    public bool IsAscii => _ascii;

    /// <summary>How many of the chunk's values are written in place rather than as dictionary indices.</summary>
    public int PlainCount => _plainCount;

    /// <summary>A value's UTF-8 bytes, as the file holds them.</summary>
    public ReadOnlySpan<byte> Utf8(int value)
    {
        var r = RefOf(value);
        return r >= 0 ? DictionaryUtf8(r) : Pages.AsSpan(_plainStarts[~r], _plainLengths[~r]);
    }

    /// <summary>A value's dictionary index, or the complement of its place among the values written in place.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private int RefOf(int value) => DictionaryCount < 0 ? ~value : Refs[value];

    /// <summary>The UTF-8 bytes of the <paramref name="plain"/>th value written in place (of a chunk whose values all are, value i's is the ith).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public ReadOnlySpan<byte> PlainUtf8(int plain) => Pages.AsSpan(_plainStarts[plain], _plainLengths[plain]);

    /// <summary>A value's text. A text written in place is decoded from its bytes when asked for, into a buffer the next such call reuses.</summary>
    public ReadOnlySpan<char> Text(int value)
    {
        var r = RefOf(value);
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

    protected override bool ReadsInPlace => true;

    protected override bool Accepts(global::Parquet.Meta.Type physical) => physical == global::Parquet.Meta.Type.BYTE_ARRAY;

    protected override void Begin(int rows)
    {
        (_plainCount, _ascii) = (0, true);
        Arrays.GrowUninitialized(ref _plainStarts, rows);
        Arrays.GrowUninitialized(ref _plainLengths, rows);
    }

    protected override bool DictionaryValues(ReadOnlySpan<byte> page, int start, int count)
    {
        // Each text takes its 4-byte length at least: a count the page cannot hold is refused before room is made for it.
        if (count < 0 || count > page.Length / 4)
        {
            return false;
        }

        _ascii &= System.Text.Ascii.IsValid(page);
        Arrays.Grow(ref _dictionaryStarts, count + 1);
        Arrays.Grow(ref _dictionaryUtf8Starts, count);
        Arrays.Grow(ref _dictionaryUtf8Lengths, count);
        if (!PlainPlaces(page, start, _dictionaryUtf8Starts.AsSpan(0, count), _dictionaryUtf8Lengths.AsSpan(0, count)))
        {
            return false;
        }

        // A dictionary's texts are few and asked for as characters: decoded once, here. A UTF-8 byte is never more than one UTF-16 character.
        if (_dictionary.Length < page.Length)
        {
            _dictionary = new char[Math.Max(page.Length, 2 * _dictionary.Length)];
        }

        var used = _dictionaryStarts[0] = 0;
        for (var i = 0; i < count; i++)
        {
            used += System.Text.Encoding.UTF8.GetChars(DictionaryUtf8(i), _dictionary.AsSpan(used));
            _dictionaryStarts[i + 1] = used;
        }

        return true;
    }

    protected override bool Values(ReadOnlySpan<byte> data, int start, Encoding encoding, int first, int count)
    {
        if (encoding is not (Encoding.PLAIN or Encoding.DELTA_LENGTH_BYTE_ARRAY))
        {
            return false;
        }

        // A chunk's values are at most its rows (ColumnChunk), for which Begin made room.
        _ascii &= System.Text.Ascii.IsValid(data);
        var firstPlain = _plainCount;
        var starts = _plainStarts.AsSpan(firstPlain, count);
        var lengths = _plainLengths.AsSpan(firstPlain, count);
        if (!(encoding == Encoding.PLAIN ? PlainPlaces(data, start, starts, lengths) : LengthPlaces(data, start, starts, lengths)))
        {
            return false;
        }

        // A chunk without a dictionary has every value written in place, in order: value i is the ith (RefOf), nothing to write.
        if (DictionaryCount >= 0)
        {
            var refs = Refs.AsSpan(first, count);
            for (var i = 0; i < count; i++)
            {
                refs[i] = ~(firstPlain + i);
            }
        }

        _plainCount += count;
        return true;
    }

    /// <summary>Finds where <paramref name="starts"/>.Length PLAIN byte arrays lie: <paramref name="data"/> is in the pages from <paramref name="start"/>.</summary>
    // Fully optimized at its first call: a loop run once per page or row group would stay in its precompiled code.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static bool PlainPlaces(ReadOnlySpan<byte> data, int start, Span<int> starts, Span<int> lengths)
    {
        var pos = 0;
        for (var i = 0; i < starts.Length; i++)
        {
            if (data.Length - pos < 4 || BinaryPrimitives.ReadInt32LittleEndian(data[pos..]) is var length && (length < 0 || length > data.Length - pos - 4))
            {
                return false;
            }

            (starts[i], lengths[i]) = (start + pos + 4, length);
            pos += 4 + length;
        }

        return true;
    }

    /// <summary>As <see cref="PlainPlaces"/>, for DELTA_LENGTH_BYTE_ARRAY: the lengths first, then all the bytes.</summary>
    // Fully optimized at its first call: a loop run once per page or row group would stay in its precompiled code.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private bool LengthPlaces(ReadOnlySpan<byte> data, int start, Span<int> starts, Span<int> lengths)
    {
        var count = starts.Length;
        Arrays.GrowUninitialized(ref _lengths, count);
        var deltas = _lengths.AsSpan(0, count);
        if (!HybridRle.TryDecodeDeltas(data, deltas, out var consumed))
        {
            return false;
        }

        var (bytes, pos) = (data.Length - consumed, 0);
        for (var i = 0; i < count; i++)
        {
            if (deltas[i] < 0 || deltas[i] > bytes - pos)
            {
                return false;
            }

            (starts[i], lengths[i]) = (start + consumed + pos, (int)deltas[i]);
            pos += lengths[i];
        }

        return true;
    }
}
