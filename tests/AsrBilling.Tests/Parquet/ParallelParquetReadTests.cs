extern alias parquetpackage;

using parquetpackage::AsrBilling.Parquet;
using static AsrBilling.Tests.Parquet.ParquetTestFile;

namespace AsrBilling.Tests.Parquet;

/// <summary>
/// A file read from its path on several threads, row groups shared between workers and repeated ids found
/// after the read, against the same file read as a stream in one pass with ids checked as they come.
/// </summary>
public sealed class ParallelParquetReadTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("asr-parquet-parallel-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    public void DuplicatesAcrossRowGroups_AreFoundAfterTheRead_AsInOnePass(int threads)
    {
        // As Duplicates_FarApartAndAcrossRowGroups_AreCountedOnce: rows 0-22 first occurrences (276 s), rows 23-39 repeats.
        var rows = Enumerable.Range(0, 40).ToArray();
        var path = Save(Path.Combine(_dir, "repeats.parquet"), WriteGroups(
            7,
            Text("id", [.. rows.Select(i => $"r{i % 23}")]),
            Text("service", [.. rows.Select(_ => "real-time")]),
            Text("start", [.. rows.Select(_ => "2025-09-01T02:00:00Z")]),
            Text("duration_seconds", [.. rows.Select(i => $"{i + 1}")])));

        var error = FluentActions.Invoking(() => UsageParquet.Read(path, new UsageParquetOptions { Threads = threads })).Should().Throw<UsageParquetException>().Which;
        var ignored = UsageParquet.Read(path, new UsageParquetOptions { Threads = threads, Billing = BillingOptions.Default.WithDuplicates(DuplicatePolicy.Ignore) });

        error.Message.Should().Be("row 24, column id: duplicate id 'r0', first seen on row 1");
        (ignored.RowsRead, ignored.RowsBilled, ignored.DuplicatesIgnored).Should().Be((40L, 23L, 17L));
        ignored.Totals.Single().BillableSeconds.Should().Be(276);
    }

    [Theory]
    [InlineData(DuplicatePolicy.Ignore)]
    [InlineData(DuplicatePolicy.Reject)]
    public void RowsPastAGroupsFirstThousands_KeepTheirOwnIdsStartsAndSeconds(DuplicatePolicy duplicates)
    {
        // Three groups of 10,000 rows, which a worker prepares 4,096 rows at a time: every row 1 s with its own id, but
        // row 14,501 (the 4,501st of group 2) lasts -1 s, row 29,001 (the 9,001st of group 3) repeats row 9,501's id, and
        // row 27,001 lasts 0 s. Billed: 30,000 - 3 rows of 1 s = 29,997 s; the repeat is ignored or rejected.
        var rows = Enumerable.Range(0, 30_000).ToArray();
        var path = Save(Path.Combine(_dir, "slices.parquet"), WriteGroups(
            10_000,
            Text("id", [.. rows.Select(i => i == 29_000 ? "r9500" : $"r{i}")]),
            Text("service", [.. rows.Select(_ => "real-time")]),
            Text("start", [.. rows.Select(_ => "2025-09-01T02:00:00Z")]),
            Text("duration_seconds", [.. rows.Select(i => i switch { 14_500 => "-1", 27_000 => "0", _ => "1" })])));

        var result = UsageParquet.Read(path, new UsageParquetOptions { Threads = 2, KeepRejects = true, Billing = BillingOptions.Default.WithDuplicates(duplicates) });

        var repeatRejected = duplicates == DuplicatePolicy.Reject;
        result.Rejects.Select(r => (r.Row, r.Reason)).Should().Equal(
            new[] { (14_501L, "duration_seconds: the duration -1 is negative"), (29_001L, "id: duplicate id 'r9500', first seen on row 9501") }
                .Take(repeatRejected ? 2 : 1));
        (result.RowsRead, result.RowsBilled, result.DuplicatesIgnored).Should().Be((30_000L, 29_998L, repeatRejected ? 0L : 1L));
        result.Totals.Single().BillableSeconds.Should().Be(29_997);
    }

    [Fact]
    public void IdsSharingKeys_AreComparedAsText_AndNotTakenForRepeats()
    {
        // Keys cut to 4 bits: the 30 different ids share 16 keys at most, so every row is read again and compared.
        var rows = Enumerable.Range(0, 30).ToArray();
        var path = Save(Path.Combine(_dir, "shared-keys.parquet"), WriteGroups(
            4,
            Text("id", [.. rows.Select(i => $"id-{i}")]),
            Text("service", [.. rows.Select(_ => "real-time")]),
            Text("start", [.. rows.Select(_ => "2025-09-01T02:00:00Z")]),
            Text("duration_seconds", [.. rows.Select(_ => "10")])));

        var result = UsageParquet.Read(path, new UsageParquetOptions { Threads = 2, IdKeyMask = 0xF });

        (result.RowsRead, result.RowsBilled, result.DuplicatesIgnored, result.Rejects.Count).Should().Be((30L, 30L, 0L, 0));
        result.Totals.Single().BillableSeconds.Should().Be(300);
    }

    [Fact]
    public async Task ABadRow_BeforeAGroupThatCannotBeDecoded_IsWhatIsReported()
    {
        var rows = Enumerable.Range(0, 12).ToArray();
        var bytes = WriteGroups(
            2,
            Text("service", [.. rows.Select(_ => "real-time")]),
            Text("start", [.. rows.Select(_ => "2025-09-01T02:00:00Z")]),
            Text("duration_seconds", [.. rows.Select(i => i == 3 ? "-1" : "60")])).ToArray();
        await using (var reader = await global::Parquet.ParquetReader.CreateAsync(new MemoryStream(bytes), cancellationToken: TestContext.Current.CancellationToken))
        {
            foreach (var chunk in reader.Metadata!.RowGroups[4].Columns)
            {
                bytes.AsSpan((int)chunk.MetaData!.DataPageOffset, (int)chunk.MetaData.TotalCompressedSize).Fill(0xFF);
            }
        }

        var path = Path.Combine(_dir, "bad.parquet");
        await File.WriteAllBytesAsync(path, bytes, TestContext.Current.CancellationToken);

        FluentActions.Invoking(() => UsageParquet.Read(path, new UsageParquetOptions { Threads = 3 })).Should().Throw<UsageParquetException>()
            .WithMessage("row 4, column duration_seconds: the duration -1 is negative");
        FluentActions.Invoking(() => UsageParquet.Read(path, new UsageParquetOptions { Threads = 3, KeepRejects = true })).Should().Throw<UsageParquetException>()
            .Which.Message.Should().StartWith("cannot read ");
    }

    [Theory]
    [InlineData("apart")]
    [InlineData("repeat")]
    public void ADayThatOverflows_IsFoundAsInOnePass(string shape)
    {
        // 4.8e18 s twice on one day pass long.MaxValue (9.2e18). "apart": two ids, in two row groups, so that
        // only the merge of two workers' totals may see it; "repeat": one id twice, which one pass never adds twice.
        const string Big = "4800000000000000000";
        var columns = shape == "apart"
            ? new[]
            {
                Text("id", [.. Enumerable.Range(0, 9).Select(i => $"r{i}")]),
                Text("service", [.. Enumerable.Range(0, 9).Select(_ => "real-time")]),
                Text("start", [.. Enumerable.Range(0, 9).Select(i => $"2025-09-01T0{i}:00:00Z")]),
                Text("duration_seconds", [.. Enumerable.Range(0, 9).Select(i => i is 4 or 8 ? Big : "60")]),
            }
            : new[]
            {
                Text("id", "a", "a", "c", "d"),
                Text("service", "real-time", "real-time", "real-time", "real-time"),
                Text("start", "2025-09-01T02:00:00Z", "2025-09-01T03:00:00Z", "2025-09-05T02:00:00Z", "2025-09-06T02:00:00Z"),
                Text("duration_seconds", Big, Big, "60", "60"),
            };
        var path = Save(Path.Combine(_dir, $"overflow-{shape}.parquet"), WriteGroups(shape == "apart" ? 5 : 2, columns));
        foreach (var keep in new[] { true, false })
        {
            foreach (var policy in new[] { DuplicatePolicy.Reject, DuplicatePolicy.Ignore })
            {
                var billing = BillingOptions.Default.WithDuplicates(policy);
                using var stream = new MemoryStream(File.ReadAllBytes(path));
                var single = Outcome(() => UsageParquet.Read(stream, new UsageParquetOptions { KeepRejects = keep, Billing = billing }));
                var parallel = Outcome(() => UsageParquet.Read(path, new UsageParquetOptions { KeepRejects = keep, Billing = billing, Threads = 2 }));

                parallel.Should().Be(single, $"rejects kept: {keep}, duplicates: {policy}");
            }
        }
    }

    [Fact]
    public void RandomFiles_ReadInParallel_GiveWhatOnePassGives()
    {
        var random = new Random(20261206);
        for (var run = 0; run < 60; run++)
        {
            var count = random.Next(1, 70);
            var pick = (string?[] values) => Enumerable.Range(0, count).Select(_ => values[random.Next(values.Length)]).ToArray();
            var columns = new[]
            {
                Text("id", pick(["a", "b", " a", "c", "d", string.Empty, null, "e", "f", "g", "h", "i", "j", "k", "l", "m"])),
                Text("account", pick(["acme", "beta", string.Empty, null, " acme "])),
                Text("service", pick(["real-time", "real-time", "recording-file", "recording-file", "bogus"])),
                Text("start", pick(["2025-09-01T02:00:00Z", "2025-09-02T20:00:00Z", "2025-09-03T10:00:00+08:00", "2025-09-01T02:00:00Z", "not a date"])),
                Text("duration_seconds", pick(["60", "0.5", "3600", "0", "-3", "90"])),
                Text("tag", pick(["x", "y", null, string.Empty])),
            };
            // Half the files without dictionaries: every text written in place, looked up by its bytes.
            var path = Save(Path.Combine(_dir, $"random-{run}.parquet"), WriteWith(run % 2 == 0, global::Parquet.CompressionMethod.Snappy, random.Next(1, 10), columns));
            foreach (var keep in new[] { true, false })
            {
                foreach (var policy in new[] { DuplicatePolicy.Reject, DuplicatePolicy.Ignore })
                {
                    var options = new UsageParquetOptions { KeepRejects = keep, TagSeconds = true, Billing = BillingOptions.Default.WithDuplicates(policy) };
                    using var stream = new MemoryStream(File.ReadAllBytes(path));
                    var single = Outcome(() => UsageParquet.Read(stream, options));
                    var parallel = Outcome(() => UsageParquet.Read(path, new UsageParquetOptions { KeepRejects = keep, TagSeconds = true, Billing = options.Billing, Threads = 1 + (run % 3) + 1 }));

                    stream.Position = 0;
                    var sliced = Outcome(() => UsageParquet.Read(stream, new UsageParquetOptions { KeepRejects = keep, TagSeconds = true, Billing = options.Billing, PreparedWholeRows = random.Next(0, 4) }));

                    parallel.Should().Be(single, $"run {run}, {count} rows, rejects kept: {keep}, duplicates: {policy}");
                    sliced.Should().Be(single, $"run {run}, prepared by slices");
                }
            }
        }
    }

    [Fact]
    public void TextsAllWrittenInPlace_WithoutNulls_ReadAsTheSameRowsInCsv()
    {
        // No null anywhere, texts written in place: each row's account (and tag) is looked up by its bytes in order (as for a
        // writer that leaves out the dictionary of 100,000 accounts), against the CSV reader on the same rows.
        var random = new Random(20261207);
        for (var run = 0; run < 20; run++)
        {
            var count = random.Next(20, 300);
            var pick = (string[] values) => Enumerable.Range(0, count).Select(_ => values[random.Next(values.Length)]).ToArray();

            // Odd runs: accounts nearly all distinct, written in place, and tags in a dictionary (Parquet.Net's threshold of distinct values 0.5).
            var distinctAccounts = run % 2 == 1;
            var accounts = distinctAccounts
                ? Enumerable.Range(0, count).Select(i => i % 7 == 0 ? $" a{i} " : i % 11 == 0 ? string.Empty : i % 13 == 0 ? $"ünïcode-account-{i}-and-long" : $"a{i}").ToArray()
                : pick(["acme", "beta", string.Empty, " acme ", "ünïcode-account", "an-account-name-longer-than-fifteen-bytes"]);
            var (ids, services) = (Enumerable.Range(0, count).Select(i => $"r{i % (count - (run % 3))}").ToArray(), pick(["real-time", "recording-file"]));
            var (starts, seconds, tags) = (pick(["2025-09-01T02:00:00Z", "2025-09-02T20:00:00Z", "2025-09-03T10:00:00+08:00"]), pick(["60", "0.5", "3600", "0", "90"]), pick(["x", "y", string.Empty, " x", "a-tag-name-longer-than-fifteen-bytes"]));
            var path = Save(Path.Combine(_dir, $"plain-{run}.parquet"), WriteWith(distinctAccounts ? 0.5 : 0.0, global::Parquet.CompressionMethod.Snappy, random.Next(1, 100),
                Text("id", ids), Text("account", accounts), Text("service", services), Text("start", starts), Text("duration_seconds", seconds), Text("tag", tags)));
            var csv = string.Join("\n", ["id,account,service,start,duration_seconds,tag", .. Enumerable.Range(0, count).Select(i => $"{ids[i]},{accounts[i]},{services[i]},{starts[i]},{seconds[i]},{tags[i]}")]) + "\n";
            var billing = BillingOptions.Default.WithDuplicates(DuplicatePolicy.Ignore);
            var fromCsv = AsrBilling.Csv.UsageCsv.Read(new MemoryStream(System.Text.Encoding.UTF8.GetBytes(csv)), new AsrBilling.Csv.UsageCsvOptions { Billing = billing, TagSeconds = true });
            foreach (var threads in new[] { 1, 2 })
            {
                var fromParquet = UsageParquet.Read(path, new UsageParquetOptions { TagSeconds = true, Threads = threads, Billing = billing });

                Totals(fromParquet.Totals).Should().Equal(Totals(fromCsv.Totals), $"run {run}, {count} rows, {threads} threads");
                (fromParquet.RowsRead, fromParquet.RowsBilled, fromParquet.DuplicatesIgnored).Should().Be((fromCsv.RowsRead, fromCsv.RowsBilled, fromCsv.DuplicatesIgnored));
            }
        }

        static IEnumerable<string> Totals(DailyTotalTable totals) =>
            totals.Select(t => $"{t.Account}|{t.Service.Id}|{t.Date}|{t.BillableSeconds}|{string.Join(";", t.TagSeconds.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{p.Key}={p.Value}"))}");
    }

    [Fact]
    public void LargeGroupsReadAlone_PreparedBySlices_WhileTheNextIsPreparedWhereDecoded_KeepTheirDates()
    {
        // Groups of 2,001 rows, above PreparedWholeRows, are prepared as their rows are read, while the next group, of
        // 2,000, is prepared on the thread that decoded it: both parse text starts at once. Every start is the 15th of
        // one of 16 months, at 00:00 to 09:00 UTC (the same date in Asia/Shanghai): each month bills 60 s a row.
        var sizes = Enumerable.Range(0, 24).Select(g => g % 2 == 0 ? 2_001 : 2_000).ToArray();
        var rows = sizes.Sum();
        string Start(int r) => (r * 7 % 16) is var m && m < 4 ? $"2025-{m + 9:D2}-15T0{r % 10}:00:00Z" : $"2026-{m - 3:D2}-15T0{r % 10}:00:00Z";
        var starts = Enumerable.Range(0, rows).Select(r => (string?)Start(r)).ToArray();
        var path = Save(Path.Combine(_dir, "alternating-groups.parquet"), WriteWithGroups(sizes, false,
            Text("service", [.. Enumerable.Repeat((string?)"real-time", rows)]), Text("start", starts), Text("duration_seconds", [.. Enumerable.Repeat((string?)"60", rows)])));
        var expected = Enumerable.Range(0, rows).GroupBy(r => Start(r)[..10]).OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => $"{g.Key}={60L * g.Count()}").ToList();

        for (var attempt = 0; attempt < 8; attempt++)
        {
            using var stream = new MemoryStream(File.ReadAllBytes(path));
            var totals = UsageParquet.Read(stream, new UsageParquetOptions { PreparedWholeRows = 2_000 }).Totals;

            totals.Select(t => $"{IsoDate.Format(t.Date)}={t.BillableSeconds}").Should().Equal(expected, $"attempt {attempt}");
        }
    }

    /// <summary>Everything a read gives, or its error, as one text.</summary>
    private static string Outcome(Func<UsageParquetResult> read)
    {
        try
        {
            var result = read();
            var totals = result.Totals.Select(t => $"{t.Account}|{t.Service.Id}|{t.Date}|{t.BillableSeconds}|{string.Join(";", t.TagSeconds.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{p.Key}={p.Value}"))}");
            var rejects = result.Rejects.Select(r => $"{r.Row}: {r.Reason} [{r.Values}]");
            return string.Join("\n", [$"{result.RowsRead} read, {result.RowsBilled} billed, {result.DuplicatesIgnored} ignored", .. totals, .. rejects]);
        }
        catch (UsageParquetException e)
        {
            return "error: " + e.Message;
        }
    }

    [Fact]
    public void ARepeatAloneTagged_ReadInParallel_HasNoTagSeconds_AsInOnePass()
    {
        // Id a twice; only its repeat (row 3, 30 s) has a tag, and one pass never adds it: 180 s, no tags.
        var path = Save(Path.Combine(_dir, "tagged-repeat.parquet"), WriteGroups(
            2,
            Text("id", "a", "b", "a", "c"),
            Text("service", "real-time", "real-time", "real-time", "real-time"),
            Text("start", "2025-09-01T02:00:00Z", "2025-09-01T03:00:00Z", "2025-09-01T04:00:00Z", "2025-09-01T05:00:00Z"),
            Text("duration_seconds", "60", "60", "30", "60"),
            Text("tag", null, null, "x", null)));
        var billing = BillingOptions.Default.WithDuplicates(DuplicatePolicy.Ignore);

        var parallel = UsageParquet.Read(path, new UsageParquetOptions { TagSeconds = true, Billing = billing, Threads = 2 });

        parallel.Totals.Should().ContainSingle().Which.BillableSeconds.Should().Be(180);
        parallel.Totals.HasTagSeconds.Should().BeFalse();
        parallel.DuplicatesIgnored.Should().Be(1);
    }

    [Fact]
    public void ADayThatOverflowsOnlyAcrossWorkers_BeforeABadRow_IsReportedAsInOnePass()
    {
        // Rows 1 (group 1) and 3 (group 2) pass long.MaxValue on one day: row 3 is the first bad row, before
        // row 4's unknown service. Each worker's own totals may be fine: which reads which group varies.
        const string Big = "4800000000000000000";
        var path = Save(Path.Combine(_dir, "overflow-across.parquet"), WriteGroups(
            2,
            Text("service", "real-time", "real-time", "real-time", "bogus"),
            Text("start", "2025-09-01T02:00:00Z", "2025-09-01T03:00:00Z", "2025-09-01T04:00:00Z", "2025-09-01T05:00:00Z"),
            Text("duration_seconds", Big, "60", Big, "60")));

        for (var attempt = 0; attempt < 20; attempt++)
        {
            FluentActions.Invoking(() => UsageParquet.Read(path, new UsageParquetOptions { Threads = 2 })).Should().Throw<UsageParquetException>()
                .Which.Should().Match<UsageParquetException>(e => e.Row == 3 && e.Column == "duration_seconds", $"attempt {attempt}");
        }
    }
}
