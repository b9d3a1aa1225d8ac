using System.Buffers.Binary;
using Parquet.Meta;

namespace AsrBilling.Parquet;

/// <summary>
/// A flat UTF-8 column chunk decoded without Parquet.Net: its pages are read and decompressed here and
/// every text is held in one array of characters (a dictionary's texts once each), not in an array per
/// value. Handles uncompressed and Snappy chunks of PLAIN, DELTA_LENGTH_BYTE_ARRAY and dictionary pages, versions 1 and 2; for
/// anything else <see cref="TryLoad"/> says no and the column is read by Parquet.Net
/// (ParquetReadBenchmarks shows the difference).
/// </summary>
internal sealed class TextChunk
{
    private byte[] _chunk = [];
    private byte[] _page = [];
    private int[] _levels = [];
    private int[] _lengths = [];

    // The dictionary's texts, each from _dictionaryStarts[i] to _dictionaryStarts[i + 1].
    private char[] _dictionary = [];
    private int[] _dictionaryStarts = [0];
    private int _dictionaryCount;

    // The texts of values written in place (PLAIN), in order.
    private char[] _plain = [];
    private int[] _plainStarts = [0];
    private int _plainCount;

    // Each value's dictionary index, or the complement of its place among the plain texts.
    private int[] _refs = [];

    /// <summary>How many texts the chunk's dictionary holds.</summary>
    public int DictionarySize => Math.Max(_dictionaryCount, 0);

    /// <summary>A value's index in the chunk's dictionary, or -1 for a value written in place.</summary>
    public int Code(int value) => Math.Max(_refs[value], -1);

    public ReadOnlySpan<char> Text(int value)
    {
        var r = _refs[value];
        return r >= 0
            ? _dictionary.AsSpan(_dictionaryStarts[r], _dictionaryStarts[r + 1] - _dictionaryStarts[r])
            : _plain.AsSpan(_plainStarts[~r], _plainStarts[~r + 1] - _plainStarts[~r]);
    }

    /// <summary>
    /// Decodes the chunk's <paramref name="rows"/> values, writing each row's place among the values (or
    /// -1 for a null) to <paramref name="index"/>; false, with nothing to use, when the chunk is not one
    /// this reader decodes or does not hold what its metadata says.
    /// </summary>
    public bool TryLoad(Stream file, ColumnMetaData meta, int maxDefinition, int rows, int[] index)
    {
        if (meta.Type != global::Parquet.Meta.Type.BYTE_ARRAY || meta.Codec is not (CompressionCodec.UNCOMPRESSED or CompressionCodec.SNAPPY)
            || maxDefinition > 1 || meta.NumValues != rows || meta.TotalCompressedSize is <= 0 or > int.MaxValue)
        {
            return false;
        }

        var start = meta.DictionaryPageOffset is > 0 and var d && d < meta.DataPageOffset ? d : meta.DataPageOffset;
        var size = (int)meta.TotalCompressedSize;
        if (start < 0 || start + size > file.Length)
        {
            return false;
        }

        Grow(ref _chunk, size);
        file.Seek(start, SeekOrigin.Begin);
        file.ReadExactly(_chunk, 0, size);
        Grow(ref _refs, rows);
        Grow(ref _levels, rows);
        (_dictionaryCount, _plainCount) = (-1, 0);
        var chunk = _chunk.AsSpan(0, size);
        int row = 0, value = 0;
        while (row < rows)
        {
            if (!PageHeader.TryRead(chunk, out var header, out var headerLength) || header.CompressedSize > chunk.Length - headerLength)
            {
                return false;
            }

            var payload = chunk.Slice(headerLength, header.CompressedSize);
            chunk = chunk[(headerLength + header.CompressedSize)..];
            var ok = header.Type switch
            {
                PageType.DICTIONARY_PAGE => _dictionaryCount < 0 && value == 0 && Dictionary(payload, header, meta.Codec),
                PageType.DATA_PAGE or PageType.DATA_PAGE_V2 => DataPage(payload, header, meta.Codec, maxDefinition, rows, index, ref row, ref value),
                PageType.INDEX_PAGE => true,
                _ => false,
            };
            if (!ok)
            {
                return false;
            }
        }

        return true;
    }

    private bool Dictionary(ReadOnlySpan<byte> payload, PageHeader header, CompressionCodec codec)
    {
        if (header.Encoding is not (Encoding.PLAIN or Encoding.PLAIN_DICTIONARY)
            || !TryDecompress(payload, header.UncompressedSize, codec, out var page))
        {
            return false;
        }

        _dictionaryCount = header.NumValues;
        Grow(ref _dictionaryStarts, _dictionaryCount + 1);
        var used = 0;
        return PlainTexts(page, _dictionaryCount, ref _dictionary, _dictionaryStarts, ref used);
    }

    private bool DataPage(ReadOnlySpan<byte> payload, PageHeader header, CompressionCodec codec, int maxDefinition, int rows, int[] index, ref int row, ref int value)
    {
        var count = header.NumValues;
        if (count > rows - row)
        {
            return false;
        }

        var levels = _levels.AsSpan(0, count);
        ReadOnlySpan<byte> values;
        if (header.Type == PageType.DATA_PAGE_V2)
        {
            // Levels are never compressed in a version 2 page; a flat column has no repetition levels.
            if (header.RepetitionBytes != 0 || header.DefinitionBytes > payload.Length
                || (maxDefinition > 0 && !HybridRle.TryDecode(payload[..header.DefinitionBytes], 1, levels)))
            {
                return false;
            }

            var rest = payload[header.DefinitionBytes..];
            if (!header.IsCompressed)
            {
                values = rest;
            }
            else if (!TryDecompress(rest, header.UncompressedSize - header.DefinitionBytes, codec, out values))
            {
                return false;
            }
        }
        else
        {
            if (!TryDecompress(payload, header.UncompressedSize, codec, out var page))
            {
                return false;
            }

            values = page;
            if (maxDefinition > 0)
            {
                if (header.DefinitionEncoding != Encoding.RLE || page.Length < 4
                    || BinaryPrimitives.ReadInt32LittleEndian(page) is var length && (length < 0 || length > page.Length - 4)
                    || !HybridRle.TryDecode(page.Slice(4, length), 1, levels))
                {
                    return false;
                }

                values = page[(4 + length)..];
            }
        }

        var present = 0;
        if (maxDefinition == 0)
        {
            for (var i = 0; i < count; i++)
            {
                index[row + i] = value + i;
            }

            present = count;
        }
        else
        {
            for (var i = 0; i < count; i++)
            {
                index[row + i] = levels[i] == 1 ? value + present++ : -1;
            }
        }

        var refs = _refs.AsSpan(value, present);
        switch (header.Encoding)
        {
            case Encoding.PLAIN or Encoding.DELTA_LENGTH_BYTE_ARRAY:
                var first = _plainCount;
                if (_plainStarts.Length < first + present + 1)
                {
                    Array.Resize(ref _plainStarts, Math.Max(first + present + 1, _plainStarts.Length * 2));
                }

                var used = _plainStarts[first];
                var starts = _plainStarts.AsSpan(first, present + 1);
                if (!(header.Encoding == Encoding.PLAIN
                    ? PlainTexts(values, present, ref _plain, starts, ref used)
                    : LengthTexts(values, present, ref _plain, starts, ref used)))
                {
                    return false;
                }

                for (var i = 0; i < present; i++)
                {
                    refs[i] = ~(first + i);
                }

                _plainCount += present;
                break;
            case Encoding.PLAIN_DICTIONARY or Encoding.RLE_DICTIONARY:
                if (_dictionaryCount < 0 || (present > 0 && (values.Length == 0 || !HybridRle.TryDecode(values[1..], values[0], refs))))
                {
                    return false;
                }

                foreach (var r in refs)
                {
                    if ((uint)r >= (uint)_dictionaryCount)
                    {
                        return false;
                    }
                }

                break;
            default:
                return false;
        }

        (row, value) = (row + count, value + present);
        return true;
    }

    /// <summary>Decodes <paramref name="count"/> PLAIN byte arrays into characters from <paramref name="used"/> on, writing where each ends after <paramref name="starts"/>[0].</summary>
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

            used += System.Text.Encoding.UTF8.GetChars(bytes.Slice(pos, lengths[i]), chars.AsSpan(used));
            starts[i + 1] = used;
            pos += lengths[i];
        }

        return true;
    }

    private bool TryDecompress(ReadOnlySpan<byte> payload, int size, CompressionCodec codec, out ReadOnlySpan<byte> page)
    {
        page = default;
        if (codec == CompressionCodec.UNCOMPRESSED)
        {
            page = payload;
            return payload.Length == size;
        }

        if (size < 0)
        {
            return false;
        }

        Grow(ref _page, size);
        var output = _page.AsSpan(0, size);
        page = output;
        try
        {
            return Snappier.Snappy.TryDecompress(payload, output, out var written) && written == size;
        }
        catch (InvalidDataException)
        {
            // Not Snappy data: Parquet.Net reads the chunk and names the problem.
            return false;
        }
    }

    private static void Grow<T>(ref T[] array, int length)
    {
        if (array.Length < length)
        {
            array = new T[Math.Max(length, array.Length * 2)];
        }
    }
}
