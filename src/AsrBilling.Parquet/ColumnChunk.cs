using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using Parquet.Meta;

namespace AsrBilling.Parquet;

/// <summary>
/// A flat column chunk decoded without Parquet.Net: its pages are read and decompressed here, levels and
/// dictionary indices decoded, and the values handed to <see cref="TextChunk"/> or <see cref="NumberChunk"/>.
/// Handles uncompressed and Snappy chunks of PLAIN and dictionary pages (and what a subclass adds),
/// versions 1 and 2; for anything else <see cref="TryLoad"/> says no and the column is read by Parquet.Net
/// (ParquetReadBenchmarks shows the difference).
/// </summary>
internal abstract class ColumnChunk
{
    // The most bytes one byte of Snappy data can stand for: a 3-byte copy of 64 bytes.
    private const int SnappyMostPerByte = 22;

    private readonly ChunkBuffer _ownBuffer = new();
    private byte[] _pages = [];
    private int _pagesUsed;
    private int[] _levels = [];

    /// <summary>How many values the chunk's dictionary holds; -1 before its dictionary page.</summary>
    protected int DictionaryCount { get; private set; } = -1;

    /// <summary>Each value's dictionary index, where a dictionary page holds it; a subclass may use the others.</summary>
    protected int[] Refs { get; private set; } = [];

    /// <summary>
    /// The chunk's pages, decompressed: the data given to <see cref="Values"/> lies here from the start it is given, until
    /// the next chunk is loaded where the subclass <see cref="ReadsInPlace"/> (each page after the one before), else until the next page.
    /// </summary>
    protected byte[] Pages => _pages;

    /// <summary>
    /// Makes room for the decompressed pages of a chunk of up to <paramref name="bytes"/> bytes, the largest the file's
    /// footer gives for the column: grown page by page, a group a little larger than the ones before doubled the buffer, first-touched anew.
    /// </summary>
    public void Reserve(long bytes) => Arrays.Reserve(ref _pages, bytes);

    /// <summary>Whether the subclass reads values where they lie after <see cref="Values"/> returns, so every page of a chunk is kept.</summary>
    protected virtual bool ReadsInPlace => false;

    /// <summary>
    /// Whether the chunk loaded last has no nulls: then row i is value i, and the index given to <see cref="TryLoad"/>
    /// was not written. Most writers mark columns optional that never hold a null.
    /// </summary>
    public bool Dense { get; private set; }

    /// <summary>
    /// Decodes the chunk's <paramref name="rows"/> values, writing each row's place among the values (or
    /// -1 for a null) to <paramref name="index"/>; false, with nothing to use, when the chunk is not one
    /// this reader decodes or does not hold what its metadata says. The chunk's bytes are read into <c>buffer</c>, as they lie
    /// in the file (a reader's columns, decoded one at a time, share one); without it, into the chunk's own.
    /// </summary>
    public bool TryLoad(Stream file, ColumnMetaData meta, int maxDefinition, int rows, int[] index, ChunkBuffer? buffer = null)
    {
        if (!Accepts(meta.Type) || meta.Codec is not (CompressionCodec.UNCOMPRESSED or CompressionCodec.SNAPPY)
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

        buffer ??= _ownBuffer;
        Arrays.GrowUninitialized(ref buffer.Bytes, size);
        file.Seek(start, SeekOrigin.Begin);
        file.ReadExactly(buffer.Bytes, 0, size);
        var refs = Refs;
        Arrays.GrowUninitialized(ref refs, rows);
        Refs = refs;
        Arrays.GrowUninitialized(ref _levels, rows);
        DictionaryCount = -1;
        _pagesUsed = 0;
        Dense = true;
        Begin(rows);
        var chunk = buffer.Bytes.AsSpan(0, size);
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
                PageType.DICTIONARY_PAGE => DictionaryCount < 0 && value == 0 && Dictionary(payload, header, meta.Codec),
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

    /// <summary>Whether the chunk's physical type is one the subclass decodes.</summary>
    protected abstract bool Accepts(global::Parquet.Meta.Type physical);

    /// <summary>A new chunk of <paramref name="rows"/> values begins.</summary>
    protected abstract void Begin(int rows);

    /// <summary>Reads the dictionary page's <paramref name="count"/> PLAIN values; where the subclass <see cref="ReadsInPlace"/>, <paramref name="page"/> lies in <see cref="Pages"/> from <paramref name="start"/>.</summary>
    protected abstract bool DictionaryValues(ReadOnlySpan<byte> page, int start, int count);

    /// <summary>
    /// Reads <paramref name="count"/> values written in place (not as dictionary indices), the first being value
    /// <paramref name="first"/>; where the subclass <see cref="ReadsInPlace"/>, <paramref name="data"/> lies in <see cref="Pages"/> from <paramref name="start"/>.
    /// </summary>
    protected abstract bool Values(ReadOnlySpan<byte> data, int start, Encoding encoding, int first, int count);

    /// <summary>Values <paramref name="first"/> on are dictionary indices, in <see cref="Refs"/>, checked against the dictionary.</summary>
    protected virtual void FromDictionary(int first, int count)
    {
    }

    private bool Dictionary(ReadOnlySpan<byte> payload, PageHeader header, CompressionCodec codec)
    {
        if (header.Encoding is not (Encoding.PLAIN or Encoding.PLAIN_DICTIONARY)
            || !TryDecompress(payload, header.UncompressedSize, codec, out var page, out var start))
        {
            return false;
        }

        DictionaryCount = header.NumValues;
        return DictionaryValues(page, start, DictionaryCount);
    }

    // Fully optimized at its first call: a loop run once per page or row group would stay in its precompiled code.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private bool DataPage(ReadOnlySpan<byte> payload, PageHeader header, CompressionCodec codec, int maxDefinition, int rows, int[] index, ref int row, ref int value)
    {
        var count = header.NumValues;
        if (count > rows - row)
        {
            return false;
        }

        ReadOnlySpan<byte> values;
        ReadOnlySpan<byte> definitions;
        int valuesStart;
        if (header.Type == PageType.DATA_PAGE_V2)
        {
            // Levels are never compressed in a version 2 page; a flat column has no repetition levels.
            if (header.RepetitionBytes != 0 || header.DefinitionBytes > payload.Length)
            {
                return false;
            }

            definitions = payload[..header.DefinitionBytes];
            var rest = payload[header.DefinitionBytes..];
            if (!TryDecompress(rest, header.UncompressedSize - header.DefinitionBytes, header.IsCompressed ? codec : CompressionCodec.UNCOMPRESSED, out values, out valuesStart))
            {
                return false;
            }
        }
        else
        {
            if (!TryDecompress(payload, header.UncompressedSize, codec, out var page, out valuesStart))
            {
                return false;
            }

            values = page;
            definitions = default;
            if (maxDefinition > 0)
            {
                if (header.DefinitionEncoding != Encoding.RLE || page.Length < 4
                    || BinaryPrimitives.ReadInt32LittleEndian(page) is var length && (length < 0 || length > page.Length - 4))
                {
                    return false;
                }

                definitions = page.Slice(4, length);
                values = page[(4 + length)..];
                valuesStart += 4 + length;
            }
        }

        var present = count;
        if (maxDefinition > 0 && !HybridRle.IsRunOf(definitions, 1, count))
        {
            var levels = _levels.AsSpan(0, count);
            if (!HybridRle.TryDecode(definitions, 1, levels))
            {
                return false;
            }

            present = 0;
            foreach (var level in levels)
            {
                present += level == 1 ? 1 : 0;
            }

            if (present < count)
            {
                if (Dense)
                {
                    // The first null: the rows before it are written as what they were, values in order.
                    Dense = false;
                    for (var i = 0; i < row; i++)
                    {
                        index[i] = i;
                    }
                }

                for (int i = 0, next = value; i < count; i++)
                {
                    index[row + i] = levels[i] == 1 ? next++ : -1;
                }
            }
        }

        if (present == count && !Dense)
        {
            for (var i = 0; i < count; i++)
            {
                index[row + i] = value + i;
            }
        }

        if (header.Encoding is Encoding.PLAIN_DICTIONARY or Encoding.RLE_DICTIONARY)
        {
            var refs = Refs.AsSpan(value, present);
            if (DictionaryCount < 0 || (present > 0 && (values.Length == 0 || !HybridRle.TryDecode(values[1..], values[0], refs))))
            {
                return false;
            }

            foreach (var r in refs)
            {
                if (unchecked((uint)r) >= (uint)DictionaryCount)
                {
                    return false;
                }
            }

            FromDictionary(value, present);
        }
        else if (!Values(values, valuesStart, header.Encoding, value, present))
        {
            return false;
        }

        (row, value) = (row + count, value + present);
        return true;
    }

    /// <summary>
    /// Places a page's <paramref name="size"/> bytes in <see cref="Pages"/>, decompressed: after the chunk's pages before it
    /// where the subclass <see cref="ReadsInPlace"/>, else at the start; <paramref name="page"/> is them, from <paramref name="start"/>.
    /// An uncompressed page that is not read in place is used where it lies in the chunk, not copied (<paramref name="start"/> is then 0).
    /// </summary>
    private bool TryDecompress(ReadOnlySpan<byte> payload, int size, CompressionCodec codec, out ReadOnlySpan<byte> page, out int start)
    {
        page = default;
        start = ReadsInPlace ? _pagesUsed : 0;
        try
        {
            // The length Snappy data begins with must be the header's, and no more than its bytes can hold, before room for it
            // is made: a header may claim any size.
            if (size < 0 || (long)start + size > Array.MaxLength
                || (codec == CompressionCodec.UNCOMPRESSED ? payload.Length : Snappier.Snappy.GetUncompressedLength(payload)) != size
                || (codec != CompressionCodec.UNCOMPRESSED && size > (long)payload.Length * SnappyMostPerByte))
            {
                return false;
            }

            if (codec == CompressionCodec.UNCOMPRESSED && !ReadsInPlace)
            {
                page = payload;
                return true;
            }

            if (_pages.Length - start < size)
            {
                // The pages placed so far are kept: values read before may lie in them.
                var pages = HugePages.NewUninitialized<byte>(Arrays.Room(start + size, _pages.Length));
                _pages.AsSpan(0, start).CopyTo(pages);
                _pages = pages;
            }

            var output = _pages.AsSpan(start, size);
            page = output;
            _pagesUsed = start + size;
            if (codec == CompressionCodec.UNCOMPRESSED)
            {
                payload.CopyTo(output);
                return true;
            }

            return Snappier.Snappy.TryDecompress(payload, output, out var written) && written == size;
        }
        catch (Exception e) when (e is InvalidDataException or ArgumentException)
        {
            // Not Snappy data: Parquet.Net reads the chunk and names the problem.
            return false;
        }
    }
}

/// <summary>The bytes of a column chunk as they lie in the file, read before its pages are decompressed: not needed after, so the columns a reader decodes one at a time share one.</summary>
internal sealed class ChunkBuffer
{
    /// <summary>The bytes; as long as the largest chunk read so far.</summary>
    public byte[] Bytes = [];

    /// <summary>Makes room for a chunk of <paramref name="bytes"/> bytes, the largest the file's footer gives.</summary>
    public void Reserve(long bytes) => Arrays.Reserve(ref Bytes, bytes);
}
