using AsrBilling.Bulk;
using NodaTime;
using Sylvan.Data.Csv;

namespace AsrBilling.Csv;

/// <summary>
/// Reads usage rows as text: the rest of a byte range with Sylvan, or one line the byte path handed
/// over. Each row is parsed, and its id and usage go to the worker's <see cref="RowSink"/>.
/// </summary>
internal sealed class TextRowReader
{
    private readonly RowSink _sink;
    private readonly IReadOnlyList<AsrService> _services;
    private readonly FieldParsers.DateCache _dates;
    private readonly bool _collectRepeats;
    private readonly int _fieldCount;
    private readonly int _id;
    private readonly int _account;
    private readonly int _service;
    private readonly int _start;
    private readonly int _duration;
    private readonly int _tag;

    public TextRowReader(RowSink sink, CsvLayout layout, IReadOnlyList<AsrService> services, FieldParsers.DateCache dates)
    {
        (_sink, _services, _dates, _collectRepeats) = (sink, services, dates, sink.CollectsRepeats);
        _fieldCount = layout.FieldCount;
        (_id, _account, _service, _start, _duration, _tag) =
            (layout["id"], layout["account"], layout["service"], layout["start"], layout["duration_seconds"], layout["tag"]);
    }

    /// <summary>Reads the rest of the range as text, with Sylvan.</summary>
    public void ReadText(Stream stream)
    {
        using var reader = CsvInput.OpenData(stream, out var malformed);
        if (reader is null)
        {
            _sink.FailMalformed(malformed!);
            return;
        }

        while (true)
        {
            try
            {
                if (!reader.Read())
                {
                    break;
                }
            }
            catch (Exception e) when (e is CsvFormatException or CsvRecordTooLargeException)
            {
                // The reader cannot go on past malformed CSV: this stops the run even when keeping rejects.
                _sink.FailMalformed(CsvInput.MalformedReason(e));
                break;
            }

            var line = _sink.NextLine();
            if (CsvInput.IsBlank(reader))
            {
                continue;
            }

            if (_sink.CountRowAndStop() || !Row(new SylvanRow(reader), line))
            {
                break;
            }
        }
    }

    /// <summary>Reads one line without quotes as text: its fields are the text between commas.</summary>
    /// <returns>False to stop reading: the row is bad and rejects are not kept.</returns>
    public bool TextRow(ReadOnlySpan<byte> line, long number) => Row(new LineRow(CsvInput.NoBom.GetString(line)), number);

    /// <summary>
    /// Reads one row into the aggregator, or records why it cannot be billed. Its own method, so
    /// that the JIT optimizes it fully once it is hot (the loop around it runs as on-stack-replaced code).
    /// </summary>
    /// <returns>False to stop reading: the row is bad and rejects are not kept.</returns>
    private bool Row<TRow>(TRow row, long line)
        where TRow : struct, ITextRow
    {
        string? column = null, error;
        AsrService? service = null;
        Instant start = default;
        long seconds = 0;
        if (row.FieldCount != _fieldCount)
        {
            error = $"expected {_fieldCount} fields, found {row.FieldCount}";
        }
        else if ((service = FieldParsers.Service(row.Field(_service), _services)) is null)
        {
            (column, error) = ("service", FieldParsers.UnknownService(row.Field(_service), _services));
        }
        else if (!FieldParsers.TryInstant(row.Field(_start), _dates, out start, out error)
            || (error = _sink.Unbillable(service, start)) is not null)
        {
            column = "start";
        }
        else if (!FieldParsers.TryBillableSeconds(row.Field(_duration), out seconds, out error))
        {
            column = "duration_seconds";
        }
        else if (_id >= 0 && row.Field(_id).Trim() is { IsEmpty: false } idText)
        {
            var digest = IdLog.Digest(idText);
            if (!_collectRepeats)
            {
                var check = _sink.CheckId(digest, line);
                if (check == IdCheck.Ignored)
                {
                    return true;
                }

                if (check == IdCheck.Repeated)
                {
                    (column, error) = ("id", _sink.DuplicateReason(idText, digest));
                }
            }
            else if (_sink.IsRepeatedKey(digest))
            {
                var (account, tag) = KeyTexts(row);
                _sink.AddCandidate(new RepeatCandidate(line, idText.ToString(), row.Raw(), account, tag, service!, start, seconds));
                return true;
            }
        }

        if (_collectRepeats)
        {
            // The first read billed or reported the row; a valid row of 0 s is noted, for the day it keeps in the totals.
            if (error is null && seconds == 0)
            {
                var (account, tag) = KeyTexts(row);
                _sink.AddZeroRow(new RepeatCandidate(line, string.Empty, string.Empty, account, tag, service!, start, 0));
            }

            return true;
        }

        if (error is null)
        {
            if ((error = _sink.Add(KeyOf(row), service!, start, seconds)) is null)
            {
                return true;
            }

            column = "duration_seconds";
        }

        return _sink.Fail(line, column, error, _sink.KeepRejects ? row.Raw() : null);
    }

    /// <summary>The key of a row read as text: the same as of its fields' UTF-8 bytes.</summary>
    private UsageKey KeyOf<TRow>(TRow row)
        where TRow : struct, ITextRow
    {
        Span<byte> accountBuffer = stackalloc byte[FieldParsers.StackBytes];
        Span<byte> tagBuffer = stackalloc byte[FieldParsers.StackBytes];
        var account = _account < 0 ? default : FieldParsers.Utf8(row.Field(_account).Trim(), accountBuffer);
        var tag = _tag < 0 ? default : FieldParsers.Utf8(row.Field(_tag).Trim(), tagBuffer);
        return _sink.KeyOf(account, tag);
    }

    /// <summary>The account and tag a row read as text is billed under, as <see cref="RowSink.KeyOf"/> names them.</summary>
    private (string Account, string? Tag) KeyTexts<TRow>(TRow row)
        where TRow : struct, ITextRow
    {
        Span<byte> buffer = stackalloc byte[FieldParsers.StackBytes];
        var account = _account < 0 ? null : _sink.Intern(FieldParsers.Utf8(row.Field(_account).Trim(), buffer));
        var tag = _tag < 0 || !_sink.TagSeconds ? null : _sink.Intern(FieldParsers.Utf8(row.Field(_tag).Trim(), buffer));
        return (account ?? string.Empty, tag);
    }

    /// <summary>A row read as text: its fields, and the row as it was written, for a reject.</summary>
    private interface ITextRow
    {
        int FieldCount { get; }

        ReadOnlySpan<char> Field(int index);

        string Raw();
    }

    /// <summary>The row Sylvan has just read.</summary>
    private readonly struct SylvanRow(CsvDataReader reader) : ITextRow
    {
        public int FieldCount => reader.RowFieldCount;

        public ReadOnlySpan<char> Field(int index) => reader.GetFieldSpan(index);

        public string Raw() => CsvInput.RawRow(reader);
    }

    /// <summary>A line without quotes or line breaks: its fields are the text between commas.</summary>
    private readonly struct LineRow(string line) : ITextRow
    {
        private readonly int[] _commas = [.. line.Select((c, i) => (c, i)).Where(p => p.c == ',').Select(p => p.i)];

        public int FieldCount => _commas.Length + 1;

        public ReadOnlySpan<char> Field(int index) =>
            line.AsSpan()[(index == 0 ? 0 : _commas[index - 1] + 1)..(index < _commas.Length ? _commas[index] : line.Length)];

        public string Raw() => line;
    }
}
