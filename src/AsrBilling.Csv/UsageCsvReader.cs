using System.Buffers;
using System.Collections.Immutable;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text;
using AsrBilling.Bulk;
using NodaTime;
using Sylvan.Data.Csv;

namespace AsrBilling.Csv;

/// <summary>
/// Reads a usage CSV (<c>id,account,service,start,duration_seconds,tag</c>, any order) into daily
/// totals. Rows without quotes are split and parsed as UTF-8 bytes; from a quote on, Sylvan reads the
/// rest of the byte range. A large file is split at line breaks into ranges of about
/// <see cref="UsageCsvOptions.ChunkBytes"/>, which one worker per core takes in turn, each with its own
/// <see cref="UsageAggregator"/>; the workers' aggregators are merged.
/// </summary>
/// <remarks>
/// <para>
/// Line numbers count CSV records, the header being line 1; they equal physical lines unless a
/// quoted field holds a line break. A split can only fall inside such a field if an odd number of
/// quotes comes before it: the readers count quotes as they go, and when a split turns out to be
/// inside quotes the file is read again by one worker.
/// </para>
/// <para>
/// Duplicate ids: one worker checks each id as it reads it. Parallel workers log 64-bit id keys
/// (<see cref="IdLog"/>), which are checked after reading. When a key repeats, the file is read
/// again for the rows with a repeated key: their ids are compared as text, the first occurrence in
/// file order is kept, and the usage of every repeat is taken out of the totals, so that a
/// duplicate is never billed.
/// </para>
/// </remarks>
internal sealed class UsageCsvReader
{
    private const int HeaderLimit = 1 << 16;

    /// <summary>The longest row read, in characters: a longer one is an error, not a reason to run out of memory.</summary>
    private const int MaxRecordChars = 1 << 20;

    private readonly UsageCsvOptions _csv;
    private readonly BillingOptions _options;
    private readonly IReadOnlyList<AsrService> _services;
    private readonly bool _keepRejects;
    private readonly bool _tagSeconds;
    private readonly int _threads;
    private readonly bool _readBytes;
    private ProgressCounter? _progress;

    /// <summary>Creates a reader.</summary>
    /// <param name="options">The billing options, rejects, threads, progress and chunk sizes.</param>
    public UsageCsvReader(UsageCsvOptions options)
    {
        options.Validate();
        _csv = options;
        _readBytes = options.ReadBytes;
        _options = options.Billing;
        _services = _options.PriceBook.Services;
        _keepRejects = options.KeepRejects;
        _tagSeconds = options.TagSeconds;
        _threads = options.Threads;
    }

    /// <summary>Creates a reader; for tests.</summary>
    internal UsageCsvReader(BillingOptions options, bool keepRejects, int threads, bool readBytes = true)
        : this(new UsageCsvOptions { Billing = options, KeepRejects = keepRejects, Threads = threads, ReadBytes = readBytes, TagSeconds = true })
    {
    }

    /// <summary>The most byte ranges a file is split into.</summary>
    private const int MaxChunks = 1024;

    public UsageCsvResult ReadUsage(CsvSource source)
    {
        var (layout, headerBytes, rest) = ReadHeader(source, CsvLayout.UsageColumns, CsvLayout.UsageRequired, "usage");
        var chunks = source.Length is { } length && rest is null ? Plan(source, headerBytes, length) : null;
        if (chunks is { Count: > 1 })
        {
            var parallel = ReadParallel(source, layout, chunks);
            if (parallel is not null)
            {
                return parallel;
            }

            rest = null; // a split fell inside a quoted field: read the file again in one pass
        }

        _progress = StartProgress(source.Length is { } size ? size - headerBytes : null);
        using var stream = new CountingStream(rest ?? OpenAt(source, headerBytes, long.MaxValue), _progress);
        var worker = new Worker(this, layout, inlineDuplicates: true);
        var read = worker.Run(stream, firstLine: 2, shouldStop: null);
        if (read.FirstError is { } failure)
        {
            throw new UsageCsvException(failure.Line, failure.Column, failure.Reason);
        }

        return new UsageCsvResult(worker.Aggregator.ToDailyTotalTable(), read.Rows, read.DuplicatesIgnored, read.Rejects);
    }

    public UsageCsvResult ReadDailyTotals(CsvSource source)
    {
        var (layout, headerBytes, rest) = ReadHeader(source, CsvLayout.TotalsColumns, CsvLayout.TotalsRequired, "daily-total");
        using var stream = rest ?? OpenAt(source, headerBytes, long.MaxValue);
        using var reader = OpenData(stream, out var malformed) ?? throw new UsageCsvException(2, null, malformed!);
        var totals = new List<DailyTotal>();
        var rejects = new List<RejectedRow>();
        long line = 1, rows = 0;
        int account = layout["account"], service = layout["service"], date = layout["date"], seconds = layout["billable_seconds"];
        while (Read(reader, line))
        {
            line++;
            if (IsBlank(reader))
            {
                continue;
            }

            rows++;
            string? column = null, error = null;
            AsrService? parsedService = null;
            LocalDate parsedDate = default;
            long parsedSeconds = 0;
            if (reader.RowFieldCount != layout.FieldCount)
            {
                error = $"expected {layout.FieldCount} fields, found {reader.RowFieldCount}";
            }
            else if ((parsedService = FieldParsers.Service(reader.GetFieldSpan(service), _options.PriceBook.Services)) is null)
            {
                (column, error) = ("service", FieldParsers.UnknownService(reader.GetFieldSpan(service), _options.PriceBook.Services));
            }
            else if (!FieldParsers.TryDate(reader.GetFieldSpan(date), out parsedDate, out error))
            {
                column = "date";
            }
            else if (!FieldParsers.TryWholeSeconds(reader.GetFieldSpan(seconds), out parsedSeconds, out error))
            {
                column = "billable_seconds";
            }

            if (error is null)
            {
                totals.Add(new DailyTotal(account >= 0 ? reader.GetFieldSpan(account).Trim().ToString() : null, parsedService!, parsedDate, parsedSeconds));
                continue;
            }

            if (!_keepRejects)
            {
                throw new UsageCsvException(line, column, error);
            }

            rejects.Add(new RejectedRow(line, Reason(column, error), RawRow(reader)));
        }

        return new UsageCsvResult(DailyTotalTable.From(totals), rows, 0, rejects);
    }

    private ProgressCounter? StartProgress(long? totalBytes) => _csv.Progress is { } progress ? new ProgressCounter(progress, totalBytes) : null;

    private static string Reason(string? column, string reason) => column is null ? reason : $"{column}: {reason}";

    /// <summary>UTF-8 that keeps a byte-order mark in the data as a character, wherever a range starts.</summary>
    private static readonly UTF8Encoding NoBom = new(encoderShouldEmitUTF8Identifier: false);

    /// <summary>Sylvan's options; the delimiter is fixed, or Sylvan would guess it from the first record.</summary>
    private static CsvDataReaderOptions DataOptions(bool hasHeaders = false) =>
        new() { HasHeaders = hasHeaders, BufferSize = 1 << 16, MaxBufferSize = MaxRecordChars, Delimiter = ',' };

    private static bool IsBlank(CsvDataReader reader) => reader.RowFieldCount == 1 && reader.GetFieldSpan(0).IsWhiteSpace();

    private static string RawRow(CsvDataReader reader) => reader.GetRawRecordSpan().TrimEnd("\r\n").ToString();

    private static bool Read(CsvDataReader reader, long lineBefore)
    {
        try
        {
            return reader.Read();
        }
        catch (Exception e) when (e is CsvFormatException or CsvRecordTooLargeException)
        {
            throw new UsageCsvException(lineBefore + 1, null, MalformedReason(e));
        }
    }

    /// <summary>Opens Sylvan over data rows; null, with the reason, when the first row is malformed (Sylvan reads it at once).</summary>
    private static CsvDataReader? OpenData(Stream stream, out string? malformed)
    {
        try
        {
            malformed = null;
            return CsvDataReader.Create(new StreamReader(stream, NoBom, false, 1 << 16), DataOptions());
        }
        catch (Exception e) when (e is CsvFormatException or CsvRecordTooLargeException)
        {
            malformed = MalformedReason(e);
            return null;
        }
    }

    private static string MalformedReason(Exception e) =>
        e is CsvRecordTooLargeException ? $"the row is longer than {MaxRecordChars:N0} characters" : $"malformed CSV: {e.Message}";

    private static Stream OpenAt(CsvSource source, long offset, long length)
    {
        var stream = source.Open();
        stream.Seek(offset, SeekOrigin.Begin);
        return length == long.MaxValue ? stream : new RangeStream(stream, length);
    }

    /// <summary>Reads line 1 and checks its columns; for a stream, returns the stream positioned after it.</summary>
    private static (CsvLayout Layout, long HeaderBytes, Stream? Remainder) ReadHeader(CsvSource source, string[] known, string[] required, string kind)
    {
        var stream = source.Open();
        var buffer = new byte[HeaderLimit];
        var filled = 0;
        int newline;
        while ((newline = buffer.AsSpan(0, filled).IndexOf((byte)'\n')) < 0 && filled < buffer.Length)
        {
            var read = stream.Read(buffer, filled, buffer.Length - filled);
            if (read == 0)
            {
                break;
            }

            filled += read;
        }

        var end = newline < 0 ? filled : newline;
        var bom = buffer.AsSpan(0, end).StartsWith("\uFEFF"u8) ? 3 : 0;
        var headerText = Encoding.UTF8.GetString(buffer, bom, end - bom).TrimEnd('\r');
        if (string.IsNullOrWhiteSpace(headerText))
        {
            stream.Dispose();
            throw new UsageCsvException(
                0,
                null,
                $"{source.Name} is empty: expected a header row such as {string.Join(",", known)}");
        }

        if (newline < 0 && filled == buffer.Length)
        {
            stream.Dispose();
            throw new UsageCsvException(0, null, $"line 1 of {source.Name} is longer than {HeaderLimit / 1024} KB: is it a CSV file?");
        }

        using var header = CsvDataReader.Create(new StringReader(headerText), DataOptions(hasHeaders: true));
        var names = Enumerable.Range(0, header.FieldCount).Select(header.GetName).ToList();
        var layout = CsvLayout.Parse(names, known, required, kind);
        var headerBytes = newline < 0 ? filled : newline + 1;
        if (source.Length is not null)
        {
            stream.Dispose();
            return (layout, headerBytes, null);
        }

        return (layout, headerBytes, new PrefixedStream(buffer.AsMemory(headerBytes, filled - headerBytes), stream));
    }

    /// <summary>
    /// Splits the data after the header into byte ranges that start on a line: about
    /// <see cref="UsageCsvOptions.ChunkBytes"/> each, and at least one per thread. Threads take the next range as they
    /// finish one, so that a thread slowed by another process does not hold up the end.
    /// </summary>
    private List<(long Start, long End)>? Plan(CsvSource source, long headerBytes, long length)
    {
        var data = length - headerBytes;
        var threads = (int)Math.Min(_threads, data / _csv.MinChunkBytes);
        if (threads < 2)
        {
            return null;
        }

        var count = (int)Math.Clamp(data / _csv.ChunkBytes, threads, MaxChunks);
        var starts = new List<long> { headerBytes };
        using var stream = source.Open();
        var buffer = new byte[1 << 12];
        for (var k = 1; k < count; k++)
        {
            var at = Math.Max(headerBytes + (data * k / count), starts[^1]);
            stream.Seek(at, SeekOrigin.Begin);
            long next = length;
            int read;
            while ((read = stream.Read(buffer)) > 0)
            {
                var newline = buffer.AsSpan(0, read).IndexOf((byte)'\n');
                if (newline >= 0)
                {
                    next = at + newline + 1;
                    break;
                }

                at += read;
            }

            starts.Add(next);
        }

        return [.. starts.Select((start, k) => (start, k + 1 < starts.Count ? starts[k + 1] : length)).Where(r => r.Item2 > r.start)];
    }

    private UsageCsvResult? ReadParallel(CsvSource source, CsvLayout layout, List<(long Start, long End)> chunks)
    {
        var firstErrorChunk = int.MaxValue;
        var reads = new ChunkRead?[chunks.Count];
        _progress = StartProgress(chunks[^1].End - chunks[0].Start);
        var workers = ForEachChunk(chunks, () => new Worker(this, layout, inlineDuplicates: false), (worker, k) =>
        {
            // A chunk after the first bad one is not needed: the run stops there.
            if (Volatile.Read(ref firstErrorChunk) < k)
            {
                return;
            }

            var (start, end) = chunks[k];
            using var stream = new CountingStream(OpenAt(source, start, end - start), _progress);
            reads[k] = worker.Run(stream, firstLine: 0, shouldStop: () => Volatile.Read(ref firstErrorChunk) < k);
            if (reads[k]!.FirstError is not null)
            {
                InterlockedMin(ref firstErrorChunk, k);
            }
        });

        // Chunks after the first bad one may be missing: nothing after it is reported.
        var read = reads.Select(r => r ?? ChunkRead.Skipped).ToArray();

        // A split inside a quoted field has an odd number of quotes before it.
        long quotes = 0;
        for (var k = 0; k + 1 < read.Length; k++)
        {
            quotes += read[k].Quotes;
            if (quotes % 2 != 0)
            {
                return null;
            }
        }

        // Chunk k numbers its lines from 0; its first line is line firstLines[k] of the file.
        var firstLines = new long[read.Length];
        firstLines[0] = 2;
        for (var k = 1; k < read.Length; k++)
        {
            firstLines[k] = firstLines[k - 1] + read[k - 1].Lines;
        }

        // The first bad row in file order: a chunk's first error, or a repeated id. Every row before
        // the first error was read, so every repeat before it is known.
        var errors = read.Select((r, k) => r.FirstError is { } e ? e with { Line = e.Line + firstLines[k] } : null).OfType<RowError>().ToList();

        // The duplicate finder (on every core) and the merge (on one) overlap; the merge is wasted
        // only when the run fails.
        var findRepeatedKeys = Task.Run(() => IdLog.FindRepeatedKeys([.. workers.Select(w => w.Ids!)]));
        var totals = Merge(workers);
        var repeatedKeys = findRepeatedKeys.GetAwaiter().GetResult();
        var repeats = repeatedKeys.Count > 0 ? ReadRepeats(source, layout, chunks, firstLines, repeatedKeys) : (Totals: DailyTotalTable.Empty, Rows: []);
        if (!_keepRejects && _options.Duplicates == DuplicatePolicy.Reject && repeats.Rows.Count > 0)
        {
            var repeat = repeats.Rows.MinBy(r => r.Line)!;
            errors.Add(new RowError(repeat.Line, "id", repeat.Reason));
        }

        if (errors.Count > 0)
        {
            var first = errors.MinBy(e => e.Line)!;
            throw new UsageCsvException(first.Line, first.Column, first.Reason);
        }

        var rejects = new List<RejectedRow>();
        for (var k = 0; k < read.Length; k++)
        {
            rejects.AddRange(read[k].Rejects.Select(r => r with { Line = r.Line + firstLines[k] }));
        }

        long ignored = 0;
        if (repeats.Rows.Count > 0)
        {
            totals = Subtract(totals, repeats.Totals);
            if (_options.Duplicates == DuplicatePolicy.Ignore)
            {
                ignored = repeats.Rows.Count;
            }
            else
            {
                rejects.AddRange(repeats.Rows.Select(r => r with { Reason = "id: " + r.Reason }));
            }
        }

        rejects.Sort((a, b) => a.Line.CompareTo(b.Line));
        return new UsageCsvResult(totals, read.Sum(r => r.Rows), ignored, rejects);
    }

    /// <summary>The daily totals of the workers' aggregators together.</summary>
    private static DailyTotalTable Merge(Worker[] workers)
    {
        var merged = workers[0].Aggregator;
        foreach (var worker in workers.Skip(1))
        {
            merged.Merge(worker.Aggregator);
        }

        return merged.ToDailyTotalTable();
    }

    /// <summary>
    /// Runs the body over every chunk with one worker per thread: each thread takes the next chunk in
    /// file order as it finishes one. Rethrows a worker's own exception unwrapped.
    /// </summary>
    private Worker[] ForEachChunk(List<(long Start, long End)> chunks, Func<Worker> create, Action<Worker, int> body)
    {
        var workers = new Worker[Math.Min(Math.Max(_threads, 1), chunks.Count)];
        var next = -1;
        RunAll(workers.Length, t =>
        {
            var worker = workers[t] = create();
            for (int k; (k = Interlocked.Increment(ref next)) < chunks.Count;)
            {
                body(worker, k);
            }
        });
        return workers;
    }

    /// <summary>Runs one action per worker in parallel, and rethrows a worker's own exception unwrapped.</summary>
    private static void RunAll(int count, Action<int> body)
    {
        try
        {
            Parallel.For(0, count, new ParallelOptions { MaxDegreeOfParallelism = count }, body);
        }
        catch (AggregateException e) when (e.InnerExceptions.Count >= 1)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(e.InnerExceptions[0]).Throw();
        }
    }

    private static string DuplicateReason(ReadOnlySpan<char> id, long firstLine) => $"duplicate id '{id}', first seen on line {firstLine}";

    /// <summary>
    /// Reads the file again for the rows whose id key repeats, and compares their ids as text: each
    /// row whose id came earlier in the file is a repeat. Returns the repeats' usage, to take out of
    /// the totals, and the repeats themselves, with the line of their id's first occurrence.
    /// </summary>
    private (DailyTotalTable Totals, List<RejectedRow> Rows) ReadRepeats(
        CsvSource source, CsvLayout layout, List<(long Start, long End)> chunks, long[] firstLines, HashSet<ulong> repeatedKeys)
    {
        var found = new List<RepeatCandidate>[chunks.Count];
        ForEachChunk(chunks, () => new Worker(this, layout, inlineDuplicates: false, repeatedKeys), (worker, k) =>
        {
            var (start, end) = chunks[k];
            using var stream = new CountingStream(OpenAt(source, start, end - start), null);
            found[k] = worker.Run(stream, firstLines[k], shouldStop: null).Candidates;
        });

        var repeats = new UsageAggregator(_options);
        var rows = new List<RejectedRow>();
        foreach (var occurrences in found.SelectMany(f => f).GroupBy(c => c.Id, StringComparer.Ordinal))
        {
            var first = occurrences.Min(c => c.Line);
            foreach (var repeat in occurrences.Where(c => c.Line != first))
            {
                repeats.Add(repeats.GetKey(repeat.Account, repeat.Tag), repeat.Service, repeat.Start, repeat.Seconds);
                rows.Add(new RejectedRow(repeat.Line, DuplicateReason(repeat.Id, first), repeat.Raw));
            }
        }

        return (repeats.ToDailyTotalTable(), rows);
    }

    /// <summary>The totals less the repeats' usage; rare (only files with repeated ids), so built through <see cref="DailyTotal"/>s.</summary>
    private static DailyTotalTable Subtract(DailyTotalTable totals, DailyTotalTable repeats)
    {
        var remove = repeats.ToDictionary(t => (t.Account, t.Service, t.Date));
        return DailyTotalTable.From(totals.Select(t =>
        {
            if (!remove.TryGetValue((t.Account, t.Service, t.Date), out var r))
            {
                return t;
            }

            var tags = t.TagSeconds.Select(p => KeyValuePair.Create(p.Key, p.Value - r.TagSeconds.GetValueOrDefault(p.Key))).Where(p => p.Value > 0);
            return new DailyTotal(t.Account, t.Service, t.Date, t.BillableSeconds - r.BillableSeconds, tags);
        }));
    }

    private static void InterlockedMin(ref int target, int value)
    {
        int current;
        while (value < (current = Volatile.Read(ref target)) && Interlocked.CompareExchange(ref target, value, current) != current)
        {
        }
    }

    internal sealed record RowError(long Line, string? Column, string Reason);

    /// <summary>A valid row whose id key repeats: its id, its text, and the usage it adds.</summary>
    private sealed record RepeatCandidate(long Line, string Id, string Raw, string Account, string? Tag, AsrService Service, Instant Start, long Seconds);

    /// <summary>What reading one chunk gave, its lines numbered as <see cref="Worker.Run"/> was told.</summary>
    /// <param name="Lines">Lines read, blank ones included: the line numbers the chunk takes up.</param>
    /// <param name="Rows">Data rows read (blank lines are not rows).</param>
    /// <param name="Quotes">Quote characters in the chunk's bytes: their parity tells whether a split was inside a quoted field.</param>
    /// <param name="DuplicatesIgnored">Rows ignored as repeated ids (one worker checking ids as it reads).</param>
    /// <param name="Rejects">Bad rows kept as rejects.</param>
    /// <param name="Candidates">The rows whose id key repeats, when reading the file again for them.</param>
    /// <param name="FirstError">The bad row that stopped the chunk, if any.</param>
    private sealed record ChunkRead(long Lines, long Rows, long Quotes, long DuplicatesIgnored, List<RejectedRow> Rejects, List<RepeatCandidate> Candidates, RowError? FirstError)
    {
        /// <summary>A chunk not read, after a bad row in an earlier one.</summary>
        public static ChunkRead Skipped { get; } = new(0, 0, 0, 0, [], [], null);
    }

    /// <summary>
    /// Reads byte ranges of usage rows, one after another, into its own aggregator and id log. Plain
    /// rows (no quote) are split and parsed as UTF-8 bytes; a row the byte parsers cannot take whole
    /// (a bad field, an unusual shape, a repeated id to report) is read again as text, and a quote
    /// hands the rest of the range to Sylvan. Both paths give the same totals, rows and messages.
    /// </summary>
    /// <remarks>
    /// The methods every row goes through (<see cref="ReadLines"/>, <see cref="BytesRow"/>, the
    /// parsers, <see cref="UsageAggregatorBulk.AddAtUnixTicks"/>) are compiled
    /// fully optimized at their first call, and the small ones they call are inlined by request. Tiered
    /// up the usual way (unoptimized, then instrumented, then optimized with the profile), the first
    /// 8 MB range of each thread took 125–220 ms against 20–35 ms for the others; compiled at once,
    /// 65–150 ms (110–145 ms before the small callees that only the profile had inlined were marked).
    /// The profile-guided code was 3–5% faster once warm (the same bill repeated in one process).
    /// On the 10-million-row sample, 21 alternating whole runs: 1.69 s to 1.60 s wall, 3.12 s to
    /// 3.00 s CPU.
    /// </remarks>
    private sealed class Worker
    {
        /// <summary>The byte path's buffer: 128 KB, with its separators, stays in a core's L2 cache.</summary>
        private const int BufferBytes = 1 << 17;
        private readonly UsageCsvReader _owner;
        private readonly CsvLayout _layout;
        private readonly int _id;
        private readonly int _account;
        private readonly int _service;
        private readonly int _start;
        private readonly int _duration;
        private readonly int _tag;
        private readonly HashSet<ulong>? _repeatedKeys;
        private readonly Dictionary<string, string> _strings = new(StringComparer.Ordinal);
        private readonly Dictionary<IdLog.IdDigest, long>? _seen;
        private readonly KeyTable _keys;
        private readonly PendingRows _pending = new();
        private readonly FieldParsers.DateCache _dates = new();
        private readonly byte[] _buffer = new byte[BufferBytes];
        private readonly int[] _separators = new int[BufferBytes + CsvSeparators.Slack];
        private readonly int[] _ends;

        // The chunk being read: where its lines start, when to stop early.
        private long _firstLine;
        private Func<bool>? _shouldStop;

        /// <param name="owner">The reader.</param>
        /// <param name="layout">The columns.</param>
        /// <param name="inlineDuplicates">Whether this worker checks ids as it reads (one worker), or logs them (several).</param>
        /// <param name="repeatedKeys">When given, nothing is billed or reported: the worker only collects the valid rows whose id key is one of these.</param>
        public Worker(UsageCsvReader owner, CsvLayout layout, bool inlineDuplicates, HashSet<ulong>? repeatedKeys = null)
        {
            _owner = owner;
            _layout = layout;
            (_id, _account, _service, _start, _duration, _tag) =
                (layout["id"], layout["account"], layout["service"], layout["start"], layout["duration_seconds"], layout["tag"]);
            _ends = new int[layout.FieldCount];
            _repeatedKeys = repeatedKeys;
            Aggregator = new UsageAggregator(owner._options);
            _keys = new KeyTable((account, tag) => Aggregator.GetKey(account, tag));
            if (inlineDuplicates)
            {
                _seen = [];
            }
            else if (repeatedKeys is null)
            {
                Ids = new IdLog(owner._csv.IdKeyMask);
            }
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

        /// <summary>The totals of every chunk this worker read.</summary>
        public UsageAggregator Aggregator { get; }

        /// <summary>The id keys of every chunk this worker read.</summary>
        public IdLog? Ids { get; }

        // The counts of the chunk being read; see ChunkRead.
        private long Rows { get; set; }

        private long Lines { get; set; }

        private long DuplicatesIgnored { get; set; }

        private List<RejectedRow> Rejects { get; set; } = [];

        private List<RepeatCandidate> Candidates { get; set; } = [];

        private RowError? FirstError { get; set; }

        /// <summary>Reads one chunk into this worker's aggregator and id log.</summary>
        /// <param name="counting">The chunk's bytes.</param>
        /// <param name="firstLine">The line number of the chunk's first line, or 0 to number from 0 (fixed up when the chunks before are counted).</param>
        /// <param name="shouldStop">Asked now and then: true stops the chunk early.</param>
        public ChunkRead Run(CountingStream counting, long firstLine, Func<bool>? shouldStop)
        {
            (_firstLine, _shouldStop) = (firstLine, shouldStop);
            (Rows, Lines, DuplicatesIgnored, Rejects, Candidates, FirstError) = (0, 0, 0, [], [], null);
            if (!_owner._readBytes)
            {
                ReadText(counting);
            }
            else if (ReadBytes(counting) is { } rest)
            {
                ReadText(rest);
            }

            return new ChunkRead(Lines, Rows, counting.Quotes, DuplicatesIgnored, Rejects, Candidates, FirstError);
        }

        /// <summary>Reads plain rows as bytes; returns the rest of the stream when Sylvan must take over, else null.</summary>
        private PrefixedStream? ReadBytes(Stream stream)
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
        // Fully optimized at its first call rather than tiered up (see the remarks on UsageCsvReader.Worker).
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private (bool Stop, int TextAt) ReadLines(ReadOnlySpan<byte> text, int[] separators, int[] ends)
        {
            var result = ReadLinesCore(text, separators, ends);
            return FlushPending(text) ? result : (true, -1);
        }

        // Fully optimized at its first call rather than tiered up (see the remarks on UsageCsvReader.Worker).
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private (bool Stop, int TextAt) ReadLinesCore(ReadOnlySpan<byte> text, int[] separators, int[] ends)
        {
            var count = CsvSeparators.Find(text, separators);
            var lineStart = 0;
            for (var k = 0; k < count;)
            {
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
                Lines++;
                var lineText = text[lineStart..at];
                var line = _firstLine + Lines - 1;
                var outcome = Outcome.Done;
                if (fields != 1 || !IsBlankLine(lineText))
                {
                    Rows++;
                    if ((Rows & 0xFFFF) == 0 && _shouldStop?.Invoke() == true)
                    {
                        return (true, -1);
                    }

                    outcome = fields == ends.Length ? BytesRow(text, lineStart, ends, line) : Outcome.AsText;
                    if (outcome == Outcome.AsText)
                    {
                        // The rows before it are added first, so that the first bad row in file order stops the read.
                        outcome = FlushPending(text) && TextRow(lineText, line) ? Outcome.Done : Outcome.Stop;
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
        /// Bills a plain row from its bytes. Nothing is changed before the row is known to be taken
        /// (billed or ignored): a row read again as text is never counted twice.
        /// </summary>
        // Fully optimized at its first call rather than tiered up (see the remarks on UsageCsvReader.Worker).
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private Outcome BytesRow(ReadOnlySpan<byte> text, int lineStart, int[] ends, long line)
        {
            if (_repeatedKeys is not null)
            {
                // Reading again for repeated keys: a row without one is done, unparsed; the text path
                // checks and collects the others as the first read did.
                return TryTrim(Field(text, lineStart, ends, _id), out var key)
                    && (key.IsEmpty || (System.Text.Unicode.Utf8.IsValid(key) && !_repeatedKeys.Contains(IdLog.Key(IdLog.Digest(key), _owner._csv.IdKeyMask))))
                    ? Outcome.Done
                    : Outcome.AsText;
            }

            var service = FieldParsers.Service(Field(text, lineStart, ends, _service), _owner._services);
            if (service is null
                || !FieldParsers.TryUnixTicks(Field(text, lineStart, ends, _start), _dates, out var start)
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
                var digest = IdLog.Digest(id);
                if (_seen is null)
                {
                    Ids!.Add(digest);
                }
                else if (!_seen.TryAdd(digest, line))
                {
                    if (_owner._options.Duplicates != DuplicatePolicy.Ignore)
                    {
                        return Outcome.AsText; // the text path names the id and its first line
                    }

                    DuplicatesIgnored++;
                    return Outcome.Done;
                }
            }

            _pending.Add(Offset(text, account), account.Length, Offset(text, tag), tag.Length, service, start, seconds, line, lineStart, ends[^1]);
            return _pending.IsFull && !FlushPending(text) ? Outcome.Stop : Outcome.Done;
        }

        /// <summary>
        /// Adds the byte rows waiting in <see cref="_pending"/>, whose text is in <paramref name="text"/>;
        /// a row whose day would overflow is a bad row. False to stop reading.
        /// </summary>
        private bool FlushPending(ReadOnlySpan<byte> text)
        {
            var p = _pending;
            if (p.Count == 0)
            {
                return true;
            }

            var withTag = _owner._tagSeconds;
            for (var i = 0; i < p.Count; i++)
            {
                p.Hashes[i] = _keys.Prepare(text.Slice(p.Accounts[i], p.AccountLengths[i]), text.Slice(p.Tags[i], p.TagLengths[i]), withTag);
            }

            for (var i = 0; i < p.Count; i++)
            {
                p.Keys[i] = _keys.Get(p.Hashes[i], text.Slice(p.Accounts[i], p.AccountLengths[i]), text.Slice(p.Tags[i], p.TagLengths[i]), withTag);
            }

            var failed = Aggregator.AddBatch(p.Keys.AsSpan(0, p.Count), p.Services.AsSpan(0, p.Count), p.Ticks.AsSpan(0, p.Count), p.Seconds.AsSpan(0, p.Count), p.Overflowed);
            p.Count = 0;
            for (var f = 0; f < failed; f++)
            {
                var i = p.Overflowed[f];
                string message;
                try
                {
                    // Adding it alone throws the same overflow, with the account, service and date in its message.
                    Aggregator.AddAtUnixTicks(p.Keys[i], p.Services[i], p.Ticks[i], p.Seconds[i]);
                    continue;
                }
                catch (UsageOverflowException e)
                {
                    message = e.Message;
                }

                // Not read again as text: the id is already taken.
                var raw = _owner._keepRejects ? NoBom.GetString(text[p.Starts[i]..p.Ends[i]]) : null;
                if (!Fail(p.Lines[i], "duration_seconds", message, raw))
                {
                    return false;
                }
            }

            return true;
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

        private static bool IsBlankLine(ReadOnlySpan<byte> line) => line[Ascii.Trim(line)].IsEmpty || (!Ascii.IsValid(line) && string.IsNullOrWhiteSpace(NoBom.GetString(line)));

        /// <summary>Reads one line without quotes as text: its fields are the text between commas.</summary>
        private bool TextRow(ReadOnlySpan<byte> line, long number) => Row(new LineRow(NoBom.GetString(line)), number);

        /// <summary>Reads the rest of the range as text, with Sylvan.</summary>
        private void ReadText(Stream stream)
        {
            using var reader = OpenData(stream, out var malformed);
            if (reader is null)
            {
                FirstError = new RowError(_firstLine + Lines, null, malformed!);
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
                    FirstError = new RowError(_firstLine + Lines, null, MalformedReason(e));
                    break;
                }

                Lines++;
                if (IsBlank(reader))
                {
                    continue;
                }

                Rows++;
                if (((Rows & 0xFFFF) == 0 && _shouldStop?.Invoke() == true) || !Row(new SylvanRow(reader), _firstLine + Lines - 1))
                {
                    break;
                }
            }
        }

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
            if (row.FieldCount != _layout.FieldCount)
            {
                error = $"expected {_layout.FieldCount} fields, found {row.FieldCount}";
            }
            else if ((service = FieldParsers.Service(row.Field(_service), _owner._services)) is null)
            {
                (column, error) = ("service", FieldParsers.UnknownService(row.Field(_service), _owner._services));
            }
            else if (!FieldParsers.TryInstant(row.Field(_start), _dates, out start, out error))
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
                if (_repeatedKeys is not null)
                {
                    if (_repeatedKeys.Contains(IdLog.Key(digest, _owner._csv.IdKeyMask)))
                    {
                        var (account, tag) = KeyTexts(row);
                        Candidates.Add(new RepeatCandidate(line, idText.ToString(), row.Raw(), account, tag, service!, start, seconds));
                    }

                    return true;
                }

                if (_seen is null)
                {
                    Ids!.Add(digest);
                }
                else if (!_seen.TryAdd(digest, line))
                {
                    if (_owner._options.Duplicates == DuplicatePolicy.Ignore)
                    {
                        DuplicatesIgnored++;
                        return true;
                    }

                    (column, error) = ("id", DuplicateReason(idText, _seen[digest]));
                }
            }

            if (_repeatedKeys is not null)
            {
                return true; // the first read billed or reported the row
            }

            if (error is null)
            {
                try
                {
                    Aggregator.Add(KeyOf(row), service!, start, seconds);
                    return true;
                }
                catch (UsageOverflowException e)
                {
                    (column, error) = ("duration_seconds", e.Message);
                }
            }

            return Fail(line, column, error, _owner._keepRejects ? row.Raw() : null);
        }

        /// <summary>Keeps a bad row as a reject and returns true when its text is given (rejects are kept), or records it as the first error and returns false.</summary>
        private bool Fail(long line, string? column, string error, string? rawRow)
        {
            if (rawRow is not null)
            {
                Rejects.Add(new RejectedRow(line, Reason(column, error), rawRow));
                return true;
            }

            FirstError = new RowError(line, column, error);
            return false;
        }

        /// <summary>The key of a row read as text: the same as of its fields' UTF-8 bytes.</summary>
        private UsageKey KeyOf<TRow>(TRow row)
            where TRow : struct, ITextRow
        {
            Span<byte> accountBuffer = stackalloc byte[FieldParsers.StackBytes];
            Span<byte> tagBuffer = stackalloc byte[FieldParsers.StackBytes];
            var account = _account < 0 ? default : FieldParsers.Utf8(row.Field(_account).Trim(), accountBuffer);
            var tag = _tag < 0 ? default : FieldParsers.Utf8(row.Field(_tag).Trim(), tagBuffer);
            return KeyOf(account, tag);
        }

        /// <summary>The account and tag a row read as text is billed under, as <see cref="KeyOf(ReadOnlySpan{byte}, ReadOnlySpan{byte})"/> names them.</summary>
        private (string Account, string? Tag) KeyTexts<TRow>(TRow row)
            where TRow : struct, ITextRow
        {
            Span<byte> buffer = stackalloc byte[FieldParsers.StackBytes];
            var account = _account < 0 ? null : Intern(FieldParsers.Utf8(row.Field(_account).Trim(), buffer));
            var tag = _tag < 0 || !_owner._tagSeconds ? null : Intern(FieldParsers.Utf8(row.Field(_tag).Trim(), buffer));
            return (account ?? string.Empty, tag);
        }

        /// <summary>The aggregator's key of a row's account and, when tag seconds are kept, its tag, from their trimmed UTF-8 bytes.</summary>
        private UsageKey KeyOf(ReadOnlySpan<byte> account, ReadOnlySpan<byte> tag) =>
            _keys.Get(_keys.Prepare(account, tag, _owner._tagSeconds), account, tag, _owner._tagSeconds);

        /// <summary>Where a field (a slice of the text, or empty) starts in the text.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static int Offset(ReadOnlySpan<byte> text, ReadOnlySpan<byte> field) =>
            field.IsEmpty ? 0 : (int)Unsafe.ByteOffset(ref MemoryMarshal.GetReference(text), ref MemoryMarshal.GetReference(field));

        private string? Intern(ReadOnlySpan<byte> bytes)
        {
            if (bytes.IsEmpty)
            {
                return null;
            }

            var text = NoBom.GetString(bytes);
            ref var interned = ref CollectionsMarshal.GetValueRefOrAddDefault(_strings, text, out _);
            return interned ??= text;
        }

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

        public string Raw() => RawRow(reader);
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

/// <summary>Byte rows parsed and waiting to be added in one batch: their keys, usage, lines and where their text is.</summary>
internal sealed class PendingRows
{
    public const int Capacity = 64;

    public UsageKey[] Keys { get; } = new UsageKey[Capacity];

    public ulong[] Hashes { get; } = new ulong[Capacity];

    public int[] Accounts { get; } = new int[Capacity];

    public int[] AccountLengths { get; } = new int[Capacity];

    public int[] Tags { get; } = new int[Capacity];

    public int[] TagLengths { get; } = new int[Capacity];

    public AsrService[] Services { get; } = new AsrService[Capacity];

    public long[] Ticks { get; } = new long[Capacity];

    public long[] Seconds { get; } = new long[Capacity];

    public long[] Lines { get; } = new long[Capacity];

    public int[] Starts { get; } = new int[Capacity];

    public int[] Ends { get; } = new int[Capacity];

    public int[] Overflowed { get; } = new int[Capacity];

    public int Count { get; set; }

    public bool IsFull => Count == Capacity;

    /// <summary>Adds a row: its account and tag as offsets and lengths in the text, its usage, line, and where its text is.</summary>
    public void Add(int account, int accountLength, int tag, int tagLength, AsrService service, long ticks, long seconds, long line, int start, int end)
    {
        var i = Count++;
        (Accounts[i], AccountLengths[i], Tags[i], TagLengths[i]) = (account, accountLength, tag, tagLength);
        (Services[i], Ticks[i], Seconds[i], Lines[i], Starts[i], Ends[i]) = (service, ticks, seconds, line, start, end);
    }
}
