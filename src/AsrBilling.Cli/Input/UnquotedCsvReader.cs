using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Text.Unicode;

namespace AsrBilling.Cli.Input;

/// <summary>
/// Splits UTF-8 CSV records that hold no quote character into fields, in place, a block at a time,
/// and hands the rest of the stream to Sylvan at the first record it does not take: one with a
/// quote, one with more than <see cref="MaxRecordBytes"/> bytes, or any record of a block that is not
/// valid UTF-8. It reads records as Sylvan does: <c>,</c> between fields; <c>\n</c>, <c>\r\n</c> or a
/// lone <c>\r</c> ending a record; a blank line is a record of one empty field; a UTF-8 byte-order
/// mark at the very start is skipped. (Sylvan 1.4.4 reads a lone <c>\r</c> as a line break in most
/// places but not all, depending on the text after it; this reader always does.)
/// </summary>
/// <remarks>
/// Written by hand because the library was the bottleneck of <c>bill</c>. Sylvan reads text that a
/// <see cref="System.IO.StreamReader"/> has turned into UTF-16; splitting the 10-million-row sample
/// that way took 74 ns a row (BenchmarkDotNet, one thread, every field touched), and a vectorized
/// splitter over the UTF-16 text did no better (97 ns). Finding the separators in the UTF-8 bytes
/// themselves, 32 at a time, and handing out fields as byte spans, does; see
/// <c>CsvSplittingBenchmarks</c> for the figures.
/// </remarks>
internal sealed class UnquotedCsvReader
{
    /// <summary>The longest record this reader takes; longer ones go to Sylvan, which rejects those beyond its buffer.</summary>
    public const int MaxRecordBytes = 1 << 12;

    private const int BlockBytes = 1 << 20;
    private const int VectorSlack = 64;

    private readonly Stream _stream;
    private readonly byte[] _bytes = new byte[BlockBytes + 1];
    private readonly int[] _separators = new int[BlockBytes + 1 + VectorSlack];
    private int[] _fieldEnds = new int[16];

    private int _byteCount;      // bytes read into _bytes
    private int _blockStart;     // the current block, whole lines, is _bytes[_blockStart.._blockEnd]
    private int _blockEnd;
    private int _separatorCount;
    private int _next;           // the next separator to look at
    private int _lineStart;      // where the next record starts
    private int _recordStart;
    private int _recordEnd;
    private bool _started;
    private bool _streamEnded;

    /// <summary>Creates a reader over a stream of CSV records, without a header.</summary>
    public UnquotedCsvReader(Stream stream) => _stream = stream;

    /// <summary>How many fields the current record has.</summary>
    public int FieldCount { get; private set; }

    /// <summary>
    /// After <see cref="Read"/> returned false: the rest of the stream from the first record this
    /// reader did not take, for Sylvan to read; or null when the stream was read to its end. It
    /// never starts with the stream's byte-order mark, so read it without skipping one.
    /// </summary>
    public Stream? Rest { get; private set; }

    /// <summary>The current record as read, without its line break: valid UTF-8.</summary>
    public ReadOnlySpan<byte> Record => _bytes.AsSpan(_recordStart, _recordEnd - _recordStart);

    /// <summary>The UTF-8 text of field <paramref name="ordinal"/> of the current record.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public ReadOnlySpan<byte> Field(int ordinal)
    {
        var start = ordinal == 0 ? _recordStart : _fieldEnds[ordinal - 1] + 1;
        return _bytes.AsSpan(start, _fieldEnds[ordinal] - start);
    }

    /// <summary>Moves to the next record.</summary>
    /// <returns>False at the end of the stream, or at a record for Sylvan (see <see cref="Rest"/>).</returns>
    public bool Read()
    {
        while (true)
        {
            if (_next < _separatorCount)
            {
                return NextRecord();
            }

            if (Rest is not null || !NextBlock())
            {
                return false;
            }
        }
    }

    private bool NextRecord()
    {
        var start = _lineStart;
        var separators = _separators;
        var bytes = _bytes;
        var fieldEnds = _fieldEnds;
        var next = _next;
        var fields = 0;
        while (true)
        {
            // Every block ends with a line break, so this loop ends inside the block.
            var at = separators[next++];
            var c = bytes[at];
            if (fields == fieldEnds.Length)
            {
                Array.Resize(ref _fieldEnds, fields * 2);
                fieldEnds = _fieldEnds;
            }

            fieldEnds[fields++] = at;
            if (c == ',')
            {
                continue;
            }

            if (c == '"' || at - start > MaxRecordBytes)
            {
                HandOverAt(start);
                return false;
            }

            // A line break: \n, \r, or \r\n (whose \n is the next separator).
            _recordStart = start;
            _recordEnd = at;
            FieldCount = fields;
            if (c == '\r' && at + 1 < _blockEnd && bytes[at + 1] == '\n')
            {
                next++;
                at++;
            }

            _next = next;
            _lineStart = at + 1;
            return true;
        }
    }

    /// <summary>Reads the next block of whole lines and finds its separators; false at the end of the stream.</summary>
    private bool NextBlock()
    {
        var leftover = _byteCount - _blockEnd;
        _bytes.AsSpan(_blockEnd, leftover).CopyTo(_bytes);
        _byteCount = leftover;
        while (!_streamEnded && _byteCount < BlockBytes)
        {
            var read = _stream.Read(_bytes, _byteCount, BlockBytes - _byteCount);
            _streamEnded = read == 0;
            _byteCount += read;
        }

        _blockStart = _blockEnd = _separatorCount = _next = 0;
        if (_byteCount == 0)
        {
            return false;
        }

        if (!_started)
        {
            _started = true;
            _blockStart = _bytes.AsSpan(0, _byteCount).StartsWith("\uFEFF"u8) ? 3 : 0;
        }

        // The block ends after its last \n; failing that, after a \r known not to start a \r\n.
        var bytes = _bytes.AsSpan(0, _byteCount);
        var end = _streamEnded ? _byteCount - 1 : bytes.LastIndexOf((byte)'\n');
        if (end < 0)
        {
            end = bytes[..^1].LastIndexOf((byte)'\r');
        }

        if (end < 0 || !Utf8.IsValid(bytes[_blockStart..(end + 1)]))
        {
            // A line longer than a block (Sylvan reports it as too long), or bytes that are not UTF-8
            // (which Sylvan's reader replaces): Sylvan reads from here on.
            HandOverAt(_blockStart);
            return false;
        }

        _blockEnd = end + 1;
        if (_blockEnd <= _blockStart)
        {
            return false;
        }

        if (_bytes[_blockEnd - 1] is not (byte)'\n' and not (byte)'\r')
        {
            _bytes[_blockEnd] = (byte)'\n'; // the last line of the stream has no line break of its own: add one past the data
            _separatorCount = FindSeparators(_bytes.AsSpan(_blockStart, _blockEnd + 1 - _blockStart), _blockStart, _separators);
        }
        else
        {
            _separatorCount = FindSeparators(_bytes.AsSpan(_blockStart, _blockEnd - _blockStart), _blockStart, _separators);
        }

        _lineStart = _blockStart;
        return true;
    }

    /// <summary>Gives the stream to Sylvan from a record's first byte.</summary>
    private void HandOverAt(int offset)
    {
        Rest = new PrefixedStream(_bytes.AsMemory(offset, _byteCount - offset), _stream);
        _separatorCount = _next = 0;
    }

    /// <summary>Writes the index (plus <paramref name="offset"/>) of every comma, quote, CR and LF of the text to <paramref name="found"/>, in order.</summary>
    private static int FindSeparators(ReadOnlySpan<byte> text, int offset, int[] found)
    {
        var count = 0;
        var i = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            ref var start = ref MemoryMarshal.GetReference(text);
            ref var output = ref MemoryMarshal.GetArrayDataReference(found);
            Vector256<byte> comma = Vector256.Create((byte)','), quote = Vector256.Create((byte)'"'),
                lf = Vector256.Create((byte)'\n'), cr = Vector256.Create((byte)'\r');
            for (; i + Vector256<byte>.Count <= text.Length; i += Vector256<byte>.Count)
            {
                var chunk = Vector256.LoadUnsafe(ref start, (nuint)i);
                var mask = (Vector256.Equals(chunk, comma) | Vector256.Equals(chunk, quote) | Vector256.Equals(chunk, lf) | Vector256.Equals(chunk, cr)).ExtractMostSignificantBits();
                if (mask == 0)
                {
                    continue;
                }

                // Write four indexes unconditionally (the array has slack): most 32-byte chunks hold at most four.
                var bits = BitOperations.PopCount(mask);
                ref var into = ref Unsafe.Add(ref output, count);
                var at = offset + i;
                for (var k = 0; k < 4; k++)
                {
                    Unsafe.Add(ref into, k) = at + BitOperations.TrailingZeroCount(mask);
                    mask &= unchecked(mask - 1);
                }

                for (var k = 4; k < bits; k++)
                {
                    Unsafe.Add(ref into, k) = at + BitOperations.TrailingZeroCount(mask);
                    mask &= unchecked(mask - 1);
                }

                count += bits;
            }
        }

        for (; i < text.Length; i++)
        {
            if (text[i] is (byte)',' or (byte)'"' or (byte)'\n' or (byte)'\r')
            {
                found[count++] = offset + i;
            }
        }

        return count;
    }
}
