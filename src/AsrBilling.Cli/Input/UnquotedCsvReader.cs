using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Text;

namespace AsrBilling.Cli.Input;

/// <summary>
/// Splits CSV records that hold no quote character into fields, a block at a time, and hands the
/// rest of the stream to Sylvan at the first record it does not take: one with a quote, or with
/// more than <see cref="MaxRecordChars"/> characters. It reads records as Sylvan does: <c>,</c>
/// between fields; <c>\n</c>, <c>\r\n</c> or a lone <c>\r</c> ending a record; a blank line is a record
/// of one empty field; a UTF-8 byte-order mark at the very start is skipped. (Sylvan 1.4.4 reads a
/// lone <c>\r</c> as a line break in most places but not all, depending on the text after it; this
/// reader always does.)
/// </summary>
/// <remarks>
/// Written by hand because the library was the bottleneck of <c>bill</c>: on the 10-million-row
/// sample (770 MB), reading every field with Sylvan took 91–127 ns a row on one thread, this reader
/// 20–30 ns, of a whole run of about 200 ns a row.
/// It transcodes each block of whole lines to UTF-16 with <see cref="Encoding.UTF8"/> (the same
/// replacement of invalid bytes as the <see cref="StreamReader"/> in front of Sylvan), then finds
/// every separator with vector compares, and only then walks the records.
/// </remarks>
internal sealed class UnquotedCsvReader
{
    /// <summary>The longest record this reader takes; longer ones go to Sylvan, which rejects those beyond its buffer.</summary>
    public const int MaxRecordChars = 1 << 12;

    private const int BlockBytes = 1 << 20;
    private const int VectorSlack = 64;

    private readonly Stream _stream;
    private readonly byte[] _bytes = new byte[BlockBytes];
    private readonly char[] _chars = new char[BlockBytes + 1];
    private readonly int[] _separators = new int[BlockBytes + 1 + VectorSlack];
    private int[] _fieldEnds = new int[16];

    private int _byteCount;      // bytes in _bytes
    private int _blockStart;     // 3 after a byte-order mark at the start of the stream, else 0
    private int _blockBytes;     // the current block, whole lines, is _bytes[_blockStart.._blockBytes]
    private int _charCount;      // the block as text, in _chars
    private int _separatorCount;
    private int _next;           // the next separator to look at
    private int _lineStart;      // where the next record starts
    private int _recordStart;
    private int _recordEnd;
    private int _recordsInBlock;
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

    /// <summary>The text of field <paramref name="ordinal"/> of the current record.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public ReadOnlySpan<char> Field(int ordinal)
    {
        var start = ordinal == 0 ? _recordStart : _fieldEnds[ordinal - 1] + 1;
        return _chars.AsSpan(start, _fieldEnds[ordinal] - start);
    }

    /// <summary>The current record as read, without its line break.</summary>
    public ReadOnlySpan<char> Record => _chars.AsSpan(_recordStart, _recordEnd - _recordStart);

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
        var chars = _chars;
        var fields = 0;
        while (true)
        {
            // Every block ends with a line break, so this loop ends inside the block.
            var at = separators[_next++];
            var c = chars[at];
            if (fields == _fieldEnds.Length)
            {
                Array.Resize(ref _fieldEnds, fields * 2);
            }

            _fieldEnds[fields++] = at;
            if (c == ',')
            {
                continue;
            }

            if (c == '"' || at - start > MaxRecordChars)
            {
                HandOver();
                return false;
            }

            // A line break: \n, \r, or \r\n (whose \n is the next separator).
            _recordStart = start;
            _recordEnd = at;
            FieldCount = fields;
            if (c == '\r' && at + 1 < _charCount && chars[at + 1] == '\n')
            {
                _next++;
                at++;
            }

            _lineStart = at + 1;
            _recordsInBlock++;
            return true;
        }
    }

    /// <summary>Reads the next block of whole lines and finds its separators; false at the end of the stream.</summary>
    private bool NextBlock()
    {
        var leftover = _byteCount - _blockBytes;
        _bytes.AsSpan(_blockBytes, leftover).CopyTo(_bytes);
        _byteCount = leftover;
        while (!_streamEnded && _byteCount < BlockBytes)
        {
            var read = _stream.Read(_bytes, _byteCount, BlockBytes - _byteCount);
            _streamEnded = read == 0;
            _byteCount += read;
        }

        if (_byteCount == 0)
        {
            return false;
        }

        _blockStart = 0;
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

        if (end < 0)
        {
            // A line longer than a block: Sylvan reports it as too long.
            _blockBytes = 0;
            HandOverAt(_blockStart);
            return false;
        }

        _blockBytes = end + 1;
        if (_blockBytes <= _blockStart)
        {
            return false;
        }

        _charCount = Encoding.UTF8.GetChars(_bytes, _blockStart, _blockBytes - _blockStart, _chars, 0);
        if (_chars[_charCount - 1] is not '\n' and not '\r')
        {
            _chars[_charCount++] = '\n'; // the last line of the stream has no line break of its own
        }

        _separatorCount = FindSeparators(_chars.AsSpan(0, _charCount), _separators);
        _next = 0;
        _lineStart = 0;
        _recordsInBlock = 0;
        return true;
    }

    /// <summary>Gives the stream to Sylvan from the start of the current record.</summary>
    private void HandOver()
    {
        // Line breaks are ASCII and decode one to one, so the record starts after as many in the bytes.
        var bytes = _bytes.AsSpan(_blockStart, _blockBytes - _blockStart);
        var at = 0;
        for (var k = 0; k < _recordsInBlock; k++)
        {
            at += bytes[at..].IndexOfAny((byte)'\n', (byte)'\r');
            at += bytes[at] == '\r' && at + 1 < bytes.Length && bytes[at + 1] == '\n' ? 2 : 1;
        }

        HandOverAt(_blockStart + at);
    }

    private void HandOverAt(int offset)
    {
        Rest = new PrefixedStream(_bytes.AsMemory(offset, _byteCount - offset), _stream);
        _separatorCount = _next = 0;
    }

    /// <summary>Writes the index of every comma, quote, CR and LF of the text to <paramref name="found"/>, in order.</summary>
    private static int FindSeparators(ReadOnlySpan<char> text, int[] found)
    {
        var count = 0;
        var i = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            ref var start = ref Unsafe.As<char, ushort>(ref MemoryMarshal.GetReference(text));
            ref var output = ref MemoryMarshal.GetArrayDataReference(found);
            Vector256<ushort> comma = Vector256.Create((ushort)','), quote = Vector256.Create((ushort)'"'),
                lf = Vector256.Create((ushort)'\n'), cr = Vector256.Create((ushort)'\r');
            for (; i + (2 * Vector256<ushort>.Count) <= text.Length; i += 2 * Vector256<ushort>.Count)
            {
                var low = Vector256.LoadUnsafe(ref start, (nuint)i);
                var high = Vector256.LoadUnsafe(ref start, (nuint)(i + Vector256<ushort>.Count));
                var mask = (Vector256.Equals(low, comma) | Vector256.Equals(low, quote) | Vector256.Equals(low, lf) | Vector256.Equals(low, cr)).ExtractMostSignificantBits()
                    | ((Vector256.Equals(high, comma) | Vector256.Equals(high, quote) | Vector256.Equals(high, lf) | Vector256.Equals(high, cr)).ExtractMostSignificantBits() << Vector256<ushort>.Count);
                if (mask == 0)
                {
                    continue;
                }

                // Write four indexes unconditionally (the array has slack): most 32-char chunks hold at most four.
                var bits = BitOperations.PopCount(mask);
                ref var into = ref Unsafe.Add(ref output, count);
                for (var k = 0; k < 4; k++)
                {
                    Unsafe.Add(ref into, k) = i + BitOperations.TrailingZeroCount(mask);
                    mask &= unchecked(mask - 1);
                }

                for (var k = 4; k < bits; k++)
                {
                    Unsafe.Add(ref into, k) = i + BitOperations.TrailingZeroCount(mask);
                    mask &= unchecked(mask - 1);
                }

                count += bits;
            }
        }

        for (; i < text.Length; i++)
        {
            if (text[i] is ',' or '"' or '\n' or '\r')
            {
                found[count++] = i;
            }
        }

        return count;
    }
}
