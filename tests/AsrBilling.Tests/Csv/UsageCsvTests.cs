using System.Globalization;
using System.Text;
using AsrBilling.Csv;

namespace AsrBilling.Tests.Csv;

/// <summary>The public face of the CSV package: what a .NET app that references AsrBilling.Csv sees.</summary>
public sealed class UsageCsvTests : IDisposable
{
    // Billing days in Asia/Shanghai. acme real-time 2025-09-01: 3600 s + 0.2 s (bills 1 s) = 3601 s at
    // 1.40 USD/h = 1.40038… -> 1.40; beta's 20:00Z is 04:00 on 2025-09-02: 1800 s of recording file at
    // 1.00 USD/h = 0.50. Total 1.90 USD.
    private const string Usage = """
        id,account,service,start,duration_seconds,tag
        a,acme,real-time,2025-09-01T02:00:00Z,3600,
        b,acme,real-time,2025-09-01T03:00:00Z,0.2,support
        c,beta,recording-file,2025-09-01T20:00:00Z,1800,sales

        """;

    private readonly string _dir = Directory.CreateTempSubdirectory("asr-billing-csv-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void Read_File_BillsToTheTotalWorkedOutByHand()
    {
        var path = Write("usage.csv", Usage);
        var options = new UsageCsvOptions { Billing = BillingOptions.Default, KeepRejects = true };

        var result = UsageCsv.Read(path, options);
        var bill = PriceCalculator.Compute(result.Totals, options.Billing);

        bill.Total.Should().Be(new Money(1.90m, "USD"));
        bill.Charges.Select(c => c.Fee.Amount).Should().Equal(1.40m, 0.50m);
        (result.RowsRead, result.RowsBilled, result.DuplicatesIgnored, result.Rejects.Count).Should().Be((3L, 3L, 0L, 0));
    }

    [Fact]
    public void TagSeconds_AreSummedOnlyWhenAsked()
    {
        var path = Write("usage.csv", Usage);

        var plain = UsageCsv.Read(path);
        var tagged = UsageCsv.Read(path, new UsageCsvOptions { TagSeconds = true });

        plain.Totals.HasTagSeconds.Should().BeFalse();
        plain.Totals.Should().OnlyContain(t => t.TagSeconds.Count == 0);
        tagged.Totals.Select(t => string.Join(",", t.TagSeconds.Select(p => $"{p.Key}={p.Value}"))).Should().Equal("support=1", "sales=1800");
    }

    [Fact]
    public void Read_Stream_LeavesItOpen_AndNamesItInErrors()
    {
        using var stream = new MemoryStream(Encoding.UTF8.GetBytes("service,start,duration_seconds\nreal-time,2025-09-01T02:00:00Z,60\n"));

        var result = UsageCsv.Read(stream);

        result.RowsBilled.Should().Be(1);
        stream.CanRead.Should().BeTrue();
        using var empty = new MemoryStream();
        FluentActions.Invoking(() => UsageCsv.Read(empty, new UsageCsvOptions { SourceName = "the upload" }))
            .Should().Throw<UsageCsvException>().WithMessage("the upload is empty*").Which.Line.Should().Be(0);
    }

    [Fact]
    public void ABadRow_ThrowsWithItsLineAndColumn_OrIsKeptAsAReject()
    {
        var path = Write("bad.csv", "service,start,duration_seconds\nreal-time,2025-09-01T02:00:00Z,60\nreal-time,2025-09-01T02:00:00Z,-5\n");

        var error = FluentActions.Invoking(() => UsageCsv.Read(path)).Should().Throw<UsageCsvException>().Which;
        var kept = UsageCsv.Read(path, new UsageCsvOptions { KeepRejects = true });

        (error.Line, error.Column).Should().Be((3L, "duration_seconds"));
        error.Should().BeAssignableTo<AsrBillingException>();
        kept.Rejects.Should().ContainSingle().Which.Should().Match<RejectedRow>(r =>
            r.Line == 3 && r.Row == "real-time,2025-09-01T02:00:00Z,-5" && r.Reason.StartsWith("duration_seconds: ", StringComparison.Ordinal));
        kept.RowsBilled.Should().Be(1);
    }

    [Fact]
    public void DailyTotals_AreReadAsTheyAre()
    {
        var path = Write("totals.csv", "account,service,date,billable_seconds\nacme,real-time,2025-09-01,1134000\n");

        var result = UsageCsv.Read(path, new UsageCsvOptions { DailyTotals = true });

        PriceCalculator.Compute(result.Totals).Total.Should().Be(new Money(378.00m, "USD")); // 315 h × 1.20
    }

    [Fact]
    public void DailyTotals_WithColumnsTheReaderDoesNotUse_AreRead()
    {
        var path = Write("totals.csv", "region,account,service,date,engine,billable_seconds\neu,acme,real-time,2025-09-01,clickhouse,1134000\n");

        var result = UsageCsv.Read(path, new UsageCsvOptions { DailyTotals = true });

        PriceCalculator.Compute(result.Totals).Total.Should().Be(new Money(378.00m, "USD")); // 315 h × 1.20
    }

    [Fact]
    public void Options_OutOfRange_AreRefused()
    {
        var path = Write("usage.csv", Usage);

        FluentActions.Invoking(() => UsageCsv.Read(path, new UsageCsvOptions { Threads = 0 })).Should().Throw<ArgumentOutOfRangeException>().WithParameterName("Threads");
        FluentActions.Invoking(() => UsageCsv.Read(path, new UsageCsvOptions { ChunkBytes = 0 })).Should().Throw<ArgumentOutOfRangeException>().WithParameterName("ChunkBytes");
        FluentActions.Invoking(() => UsageCsv.Read(Path.Combine(_dir, "missing.csv"))).Should().Throw<UsageCsvException>().WithMessage("*no such file*");
    }

    [Fact]
    public void Progress_ReportsEveryByteAfterTheHeader()
    {
        var path = Write("usage.csv", Usage);
        var reports = new List<UsageCsvProgress>();

        UsageCsv.Read(path, new UsageCsvOptions { Progress = new SyncProgress(reports.Add) });

        var dataBytes = Encoding.UTF8.GetByteCount(Usage) - "id,account,service,start,duration_seconds,tag\n".Length;
        reports.Should().NotBeEmpty();
        reports[^1].Should().Be(new UsageCsvProgress(dataBytes, dataBytes));
    }

    [Fact]
    public void AFileReachedByLinks_IsReadAsItsTarget_WholeAndInRanges()
    {
        // The link's own length is that of its target's name: ranges sized by it left one thread the whole file.
        var path = Write("usage.csv", Usage);
        var link = Path.Combine(_dir, "link.csv");
        var linkToLink = Path.Combine(_dir, "link-to-link.csv");
        File.CreateSymbolicLink(link, path);
        File.CreateSymbolicLink(linkToLink, link);
        var reports = new List<UsageCsvProgress>();

        var result = UsageCsv.Read(linkToLink, new UsageCsvOptions { Progress = new SyncProgress(reports.Add), Threads = 2, ChunkBytes = 40, MinChunkBytes = 40 });

        var dataBytes = Encoding.UTF8.GetByteCount(Usage) - "id,account,service,start,duration_seconds,tag\n".Length;
        reports[^1].Should().Be(new UsageCsvProgress(dataBytes, dataBytes));
        PriceCalculator.Compute(result.Totals).Total.Should().Be(new Money(1.90m, "USD"));
        File.CreateSymbolicLink(Path.Combine(_dir, "dangling.csv"), Path.Combine(_dir, "gone.csv"));
        FluentActions.Invoking(() => UsageCsv.Read(Path.Combine(_dir, "dangling.csv"))).Should().Throw<UsageCsvException>().WithMessage("*dangling.csv*no such file*");
    }

    private string Write(string name, string text)
    {
        var path = Path.Combine(_dir, name);
        File.WriteAllText(path, text.ReplaceLineEndings("\n"));
        return path;
    }

    /// <summary>Reports on the caller's thread, unlike <see cref="Progress{T}"/>.</summary>
    private sealed class SyncProgress(Action<UsageCsvProgress> report) : IProgress<UsageCsvProgress>
    {
        public void Report(UsageCsvProgress value) => report(value);
    }
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void OnePass_OverManyIds_FindsARepeatOfTheFirst(bool seekable)
    {
        // 150,000 ids, more than the id table first holds, then id r0 again: line 150,002 repeats line 2.
        var text = new StringBuilder("id,account,service,start,duration_seconds,tag\n");
        for (var i = 0; i < 150_000; i++)
        {
            text.Append(CultureInfo.InvariantCulture, $"r{i},acme,real-time,2025-09-01T02:00:00Z,1,\n");
        }

        text.Append("r0,acme,real-time,2025-09-01T02:00:00Z,1,\n");
        var bytes = Encoding.UTF8.GetBytes(text.ToString());
        Stream Input() => seekable ? new MemoryStream(bytes) : new NonSeekableStream(bytes);

        FluentActions.Invoking(() => UsageCsv.Read(Input(), new UsageCsvOptions { Threads = 1 })).Should().Throw<UsageCsvException>()
            .WithMessage("line 150002, column id: duplicate id 'r0', first seen on line 2");
        var ignored = UsageCsv.Read(Input(), new UsageCsvOptions { Threads = 1, Billing = BillingOptions.Default.WithDuplicates(DuplicatePolicy.Ignore) });
        ignored.DuplicatesIgnored.Should().Be(1);
        ignored.Totals.Should().ContainSingle().Which.BillableSeconds.Should().Be(150_000);
    }

    private sealed class NonSeekableStream(byte[] bytes) : MemoryStream(bytes)
    {
        public override bool CanSeek => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => base.Position; set => throw new NotSupportedException(); }

        public override long Seek(long offset, SeekOrigin loc) => throw new NotSupportedException();
    }
}
