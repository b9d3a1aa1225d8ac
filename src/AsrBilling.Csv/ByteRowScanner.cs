using System.Buffers;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text;

namespace AsrBilling.Csv;

/// <summary>
/// Splits and parses plain rows (no quote) as UTF-8 bytes, and hands each to the worker's
/// <see cref="RowSink"/>. A row the byte parsers cannot take whole (a bad field, an unusual shape, a
/// repeated id to report) goes to the <see cref="TextRowReader"/> as one line, and a quote hands the
/// rest of the range to it. Both paths give the same totals, rows and messages.
/// </summary>
/// <remarks>
/// The methods every row goes through are compiled fully optimized at their first call, and the small
/// ones they call are inlined by request, because tiering them up slows each thread's first range.
/// </remarks>
internal sealed class ByteRowScanner
{
    /// <summary>The byte path's buffer: 128 KB, with its separators, stays in a core's L2 cache.</summary>
    private const int BufferBytes = 1 << 17;
    private readonly RowSink _sink;
    private readonly TextRowReader _text;
    private readonly IReadOnlyList<AsrService> _services;
    private readonly AsrService?[] _pricedByLength;
    private readonly FieldParsers.DateCache _dates;
    private readonly bool _collectRepeats;
    // Lines between asking for an id's slot in the id table and checking the id: enough for the memory to arrive.
    private const int IdLinesAhead = 8;

    private readonly int _id;
    private readonly int _account;
    private readonly int _service;
    private readonly int _start;
    private readonly int _duration;
    private readonly int _tag;
    private readonly byte[] _buffer = new byte[BufferBytes];
    private readonly int[] _separators = new int[BufferBytes + CsvSeparators.Slack];
    private readonly int[] _ends;

    // The starts whose billing date the calendar holds; a row outside goes to the text path for its reason.
    private readonly long _firstStart;
    private readonly long _lastStart;

    public ByteRowScanner(RowSink sink, TextRowReader text, CsvLayout layout, IReadOnlyList<AsrService> services, FieldParsers.DateCache dates)
    {
        (_sink, _text, _services, _dates, _collectRepeats) = (sink, text, services, dates, sink.CollectsRepeats);
        _pricedByLength = FieldParsers.PricedByLength(services);
        (_id, _account, _service, _start, _duration, _tag) =
            (layout["id"], layout["account"], layout["service"], layout["start"], layout["duration_seconds"], layout["tag"]);
        _ends = new int[layout.FieldCount];
        (_firstStart, _lastStart) = (sink.FirstStartTicks, sink.LastStartTicks);
    }

    /// <summary>What the byte path did with a row.</summary>
    private enum Outcome
    {
        /// <summary>Billed, ignored as a duplicate, or not asked for: go on.</summary>
        Done,

        /// <summary>The row is bad and rejects are not kept: stop reading.</summary>
        Stop,

        /// <summary>The byte parsers cannot take the row whole: read it as text.</summary>
        AsText,
    }

    /// <summary>Reads plain rows as bytes; returns the rest of the stream when Sylvan must take over, else null.</summary>
    public PrefixedStream? ReadBytes(Stream stream)
    {
        var (buffer, separators, ends) = (_buffer, _separators, _ends);
        var filled = 0;
        var end = false;
        while (true)
        {
            while (!end && filled < buffer.Length)
            {
                var read = stream.Read(buffer, filled, buffer.Length - filled);
                end = read == 0;
                filled += read;
            }

            var usable = buffer.AsSpan(0, filled).LastIndexOf((byte)'\n') + 1;
            if (end && usable < filled && filled < buffer.Length)
            {
                buffer[filled++] = (byte)'\n'; // the last line has no line break
                usable = filled;
            }

            if (usable == 0)
            {
                // Nothing left, or a line longer than the buffer, which Sylvan reads.
                return filled == 0 ? null : new PrefixedStream(buffer.AsMemory(0, filled), stream);
            }

            var (stop, textAt) = ReadLines(buffer.AsSpan(0, usable), separators, ends);
            if (textAt >= 0)
            {
                return new PrefixedStream(buffer.AsMemory(textAt, filled - textAt), stream);
            }

            if (stop)
            {
                return null;
            }

            buffer.AsSpan(usable, filled - usable).CopyTo(buffer);
            filled -= usable;
            if (end && filled == 0)
            {
                return null;
            }
        }
    }

    /// <summary>
    /// Reads whole lines: whether to stop, and where in the text Sylvan must take over (a quote on
    /// the line that starts there), or -1.
    /// </summary>
    // Fully optimized at its first call rather than tiered up (see the remarks on ByteRowScanner).
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private (bool Stop, int TextAt) ReadLines(ReadOnlySpan<byte> text, int[] separators, int[] ends)
    {
        var result = ReadLinesCore(text, separators, ends);
        return _sink.FlushPending(text) ? result : (true, -1);
    }

    // Fully optimized at its first call rather than tiered up (see the remarks on ByteRowScanner).
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private (bool Stop, int TextAt) ReadLinesCore(ReadOnlySpan<byte> text, int[] separators, int[] ends)
    {
        var sink = _sink;
        var count = CsvSeparators.Find(text, separators);
        var lineStart = 0;

        // Ids checked as they are read go to a large table: each one's slot is asked for some lines ahead.
        var (aheadAt, aheadStart, aheadLines) = (_id >= 0 && sink.ChecksIdsInline ? 0 : count, 0, 0);
        for (var k = 0; k < count;)
        {
            for (; aheadLines < IdLinesAhead && aheadAt < count; aheadLines++)
            {
                (aheadAt, aheadStart) = PrefetchIdAhead(text, separators, count, aheadAt, aheadStart);
            }

            aheadLines--;
            var fields = 0;
            int at, next;
            while (true)
            {
                at = separators[k++];
                var separator = text[at];
                if (separator == (byte)',')
                {
                    if (fields < ends.Length)
                    {
                        ends[fields] = at;
                    }

                    fields++;
                }
                else if (separator == (byte)'\n')
                {
                    next = at + 1;
                    break;
                }
                else if (separator == (byte)'"')
                {
                    return (false, lineStart);
                }
                else if (text[at + 1] == (byte)'\n')
                {
                    // \r\n; the text ends with \n, so a \r is never its last byte.
                    k++;
                    next = at + 2;
                    break;
                }

                // A lone \r is part of its field.
            }

            if (fields < ends.Length)
            {
                ends[fields] = at;
            }

            fields++;
            var line = sink.NextLine();
            var lineText = text[lineStart..at];
            var outcome = Outcome.Done;
            if (fields != 1 || !IsBlankLine(lineText))
            {
                if (sink.CountRowAndStop())
                {
                    return (true, -1);
                }

                outcome = fields == ends.Length ? BytesRow(text, lineStart, ends, line) : Outcome.AsText;
                if (outcome == Outcome.AsText)
                {
                    // The rows before it are added first, so that the first bad row in file order stops the read.
                    outcome = sink.FlushPending(text) && _text.TextRow(lineText, line) ? Outcome.Done : Outcome.Stop;
                }
            }

            if (outcome == Outcome.Stop)
            {
                return (true, -1);
            }

            lineStart = next;
        }

        return (false, -1);
    }

    /// <summary>
    /// Asks for the id table's slot of the id on the line that starts at <paramref name="start"/>, its separators
    /// from <paramref name="at"/> on; returns where the next line's separators and bytes start (<paramref name="count"/>
    /// once a quote makes the fields uncertain). A wrong guess only asks for memory that is not used.
    /// </summary>
    private (int At, int Start) PrefetchIdAhead(ReadOnlySpan<byte> text, int[] separators, int count, int at, int start)
    {
        for (var (field, fieldStart) = (0, start); at < count; at++)
        {
            var end = separators[at];
            var separator = text[end];
            if (separator == (byte)'"')
            {
                return (count, start);
            }

            if (separator == (byte)'\r')
            {
                continue;
            }

            if (field++ == _id)
            {
                _sink.PrefetchId(text[fieldStart..end]);
            }

            if (separator == (byte)'\n')
            {
                return (at + 1, end + 1);
            }

            fieldStart = end + 1;
        }

        return (count, start);
    }

    /// <summary>
    /// Bills a plain row from its bytes. Nothing is changed before the row is known to be taken
    /// (billed or ignored): a row read again as text is never counted twice.
    /// </summary>
    // Fully optimized at its first call rather than tiered up (see the remarks on ByteRowScanner).
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private Outcome BytesRow(ReadOnlySpan<byte> text, int lineStart, int[] ends, long line)
    {
        if (_collectRepeats)
        {
            // Reading again for repeated keys: a row without one is done, unparsed, unless it bills 0 s;
            // the text path checks and collects the others as the first read did.
            return TryTrim(Field(text, lineStart, ends, _id), out var key)
                && (key.IsEmpty || (System.Text.Unicode.Utf8.IsValid(key) && !_sink.IsRepeatedKey(IdLog.Digest(key))))
                && !(FieldParsers.TryBillableSeconds(Field(text, lineStart, ends, _duration), out var zero) && zero == 0)
                ? Outcome.Done
                : Outcome.AsText;
        }

        var service = FieldParsers.Service(Field(text, lineStart, ends, _service), _services, _pricedByLength);
        if (service is null
            || !FieldParsers.TryUnixTicks(Field(text, lineStart, ends, _start), _dates, out var start)
            || start < _firstStart || start > _lastStart
            || !FieldParsers.TryBillableSeconds(Field(text, lineStart, ends, _duration), out var seconds)
            || !TryTrim(Field(text, lineStart, ends, _account), out var account)
            || !TryTrim(Field(text, lineStart, ends, _tag), out var tag)
            || !TryTrim(Field(text, lineStart, ends, _id), out var id)
            || !System.Text.Unicode.Utf8.IsValid(id))
        {
            return Outcome.AsText;
        }

        if (!id.IsEmpty)
        {
            var check = _sink.CheckId(IdLog.Digest(id), line);
            if (check != IdCheck.New)
            {
                // A repeat to report goes to the text path, which names the id and its first line.
                return check == IdCheck.Ignored ? Outcome.Done : Outcome.AsText;
            }
        }

        return _sink.Add(text, Offset(text, account), account.Length, Offset(text, tag), tag.Length, service, start, seconds, line, lineStart, ends[^1])
            ? Outcome.Done
            : Outcome.Stop;
    }

    /// <summary>A field's bytes, or empty for a column the file does not have.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ReadOnlySpan<byte> Field(ReadOnlySpan<byte> text, int lineStart, int[] ends, int column) => column switch
    {
        < 0 => default,
        0 => text[lineStart..ends[0]],
        _ => text[(ends[column - 1] + 1)..ends[column]],
    };

    /// <summary>
    /// Trims white space as <see cref="MemoryExtensions.Trim(ReadOnlySpan{char})"/> does on the
    /// decoded text: ASCII white space here, and false when a character at either end is not
    /// ASCII and is white space, for the text path to trim.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool TryTrim(ReadOnlySpan<byte> field, out ReadOnlySpan<byte> trimmed)
    {
        // Most fields start and end with printable ASCII: nothing to trim, nothing to decode.
        if (field.IsEmpty || (IsPrintableAscii(field[0]) && IsPrintableAscii(field[^1])))
        {
            trimmed = field;
            return true;
        }

        return TryTrimSlow(field, out trimmed);
    }

    private static bool IsPrintableAscii(byte value) => unchecked((uint)(value - 0x21)) < 0x7F - 0x21;

    private static bool TryTrimSlow(ReadOnlySpan<byte> field, out ReadOnlySpan<byte> trimmed)
    {
        trimmed = field[Ascii.Trim(field)];
        return trimmed.IsEmpty
            || ((trimmed[0] < 0x80 || !IsWhiteSpace(Rune.DecodeFromUtf8(trimmed, out var first, out _), first))
                && (trimmed[^1] < 0x80 || !IsWhiteSpace(Rune.DecodeLastFromUtf8(trimmed, out var last, out _), last)));
    }

    private static bool IsWhiteSpace(OperationStatus status, Rune rune) => status == OperationStatus.Done && Rune.IsWhiteSpace(rune);

    private static bool IsBlankLine(ReadOnlySpan<byte> line) => line[Ascii.Trim(line)].IsEmpty || (!Ascii.IsValid(line) && string.IsNullOrWhiteSpace(CsvInput.NoBom.GetString(line)));

    /// <summary>Where a field (a slice of the text, or empty) starts in the text.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int Offset(ReadOnlySpan<byte> text, ReadOnlySpan<byte> field) =>
        field.IsEmpty ? 0 : (int)Unsafe.ByteOffset(ref MemoryMarshal.GetReference(text), ref MemoryMarshal.GetReference(field));
}
