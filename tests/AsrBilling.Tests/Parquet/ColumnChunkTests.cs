extern alias parquetpackage;

using Encoding = Parquet.Meta.Encoding;
using parquetpackage::AsrBilling.Parquet;
using DuckDB.NET.Data;
using Parquet;
using Parquet.Meta;
using Parquet.Schema;

namespace AsrBilling.Tests.Parquet;

/// <summary>
/// The package's own decoders of column chunks, against the values written: files from Parquet.Net and
/// DuckDB in each encoding and compression it decodes, chunks it leaves to Parquet.Net, and pages built by hand
/// for what those writers do not make (a dictionary that falls back to plain values, version 2 pages, bit-packed runs).
/// </summary>
public sealed class ColumnChunkTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("asr-textchunk-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    // Nulls, empty texts, non-ASCII, a few values repeated (dictionaries) and unique ones (plain).
    private static string? Repeated(int i) => i % 11 == 0 ? null : i % 13 == 0 ? string.Empty : $"acct-{i % 37}-é";

    private static string? Unique(int i) => i % 17 == 0 ? null : $"id-{i}-账户-😀";

    [Theory]
    [InlineData(true, CompressionMethod.Snappy)]
    [InlineData(true, CompressionMethod.None)]
    [InlineData(false, CompressionMethod.Snappy)]
    [InlineData(false, CompressionMethod.None)]
    public async Task ParquetNetFiles_DecodeToTheTextsWritten(bool dictionary, CompressionMethod compression)
    {
        var rows = Enumerable.Range(0, 5000).ToArray();
        using var file = ParquetTestFile.WriteWith(dictionary, compression, 3000, ParquetTestFile.Text("account", [.. rows.Select(Repeated)]), ParquetTestFile.Text("id", [.. rows.Select(Unique)]));

        var decoded = await DecodeAsync(file);

        decoded.Should().AllSatisfy(d => d.Decoded.Should().BeTrue());
        Texts(decoded, "account").Should().Equal(rows.Select(Repeated));
        Texts(decoded, "id").Should().Equal(rows.Select(Unique));
    }

    [Fact]
    public async Task GzipChunks_AreLeftToParquetNet_AndReadTheSame()
    {
        var rows = Enumerable.Range(0, 3000).ToArray();
        using var file = ParquetTestFile.WriteWith(true, CompressionMethod.Gzip, 3000, ParquetTestFile.Text("account", [.. rows.Select(Repeated)]));

        var decoded = await DecodeAsync(file);

        decoded.Should().ContainSingle().Which.Decoded.Should().BeFalse();
        var snappy = ParquetTestFile.WriteWith(true, CompressionMethod.Snappy, 3000, Usage(rows.Length));
        var gzip = ParquetTestFile.WriteWith(true, CompressionMethod.Gzip, 3000, Usage(rows.Length));
        var options = new UsageParquetOptions { TagSeconds = true };
        var fromGzip = UsageParquet.Read(gzip, options);
        var fromSnappy = UsageParquet.Read(snappy, options);
        fromGzip.RowsBilled.Should().Be(rows.Length);
        fromSnappy.RowsBilled.Should().Be(rows.Length);
        var (gzipBill, snappyBill) = (PriceCalculator.Compute(fromGzip.Totals, BillingOptions.Default), PriceCalculator.Compute(fromSnappy.Totals, BillingOptions.Default));
        snappyBill.Charges.Select(c => (c.Account, c.Service.Id, c.Date, c.Fee)).Should().Equal(gzipBill.Charges.Select(c => (c.Account, c.Service.Id, c.Date, c.Fee)));
        
        // Account i % 37, day i % 28 and service i % 2 (the day's parity): 3,000 rows cover each account's 28 days.
        snappyBill.Charges.Should().HaveCount(37 * 28);
    }

    [Theory]
    [InlineData("snappy", "V1", true)]
    [InlineData("uncompressed", "V1", true)]
    [InlineData("snappy", "V2", true)]
    [InlineData("uncompressed", "V2", true)]
    [InlineData("zstd", "V1", false)]
    public async Task DuckDbFiles_DecodeToTheTextsWritten(string compression, string version, bool ours)
    {
        const int Rows = 250_000;
        var path = Path.Combine(_dir, $"duck-{compression}-{version}.parquet");
        using (var connection = new DuckDBConnection("DataSource=:memory:"))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = $"""
                COPY (SELECT CASE WHEN i % 11 = 0 THEN NULL WHEN i % 13 = 0 THEN '' ELSE 'acct-' || (i % 37) || '-é' END AS account,
                             CASE WHEN i % 17 = 0 THEN NULL ELSE 'id-' || i || '-账户-😀' END AS id
                      FROM range({Rows}) r(i))
                TO '{path}' (FORMAT parquet, COMPRESSION {compression}, ROW_GROUP_SIZE 100000, PARQUET_VERSION {version})
                """;
            command.ExecuteNonQuery();
        }

        using var file = File.OpenRead(path);
        var decoded = await DecodeAsync(file);

        decoded.Should().AllSatisfy(d => d.Decoded.Should().Be(ours));
        if (ours)
        {
            var rows = Enumerable.Range(0, Rows).ToArray();
            Texts(decoded, "account").Should().Equal(rows.Select(Repeated));
            Texts(decoded, "id").Should().Equal(rows.Select(Unique));
        }
    }

    [Theory]
    [InlineData("snappy", "V1")]
    [InlineData("uncompressed", "V2")]
    public async Task DuckDbNumbers_DecodeToTheValuesWritten_AndRenderAsParquetNetRendersThem(string compression, string version)
    {
        const int Rows = 120_000;
        var path = Path.Combine(_dir, $"numbers-{compression}-{version}.parquet");
        using (var connection = new DuckDBConnection("DataSource=:memory:"))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = $"""
                COPY (SELECT CASE WHEN i % 9 = 0 THEN NULL ELSE TIMESTAMPTZ '2025-09-01 00:00:00+00' + to_microseconds(i * 1234567) END AS ts,
                             CASE WHEN i % 7 = 0 THEN NULL ELSE ((i * 37 - 500) / 1000)::DECIMAL(18,3) END AS dec18,
                             (((i % 500) * 13 - 700) / 100)::DECIMAL(9,2) AS dec9,
                             i * 1000003 - 5 AS big, ((i % 1000) * 7 - 100)::INTEGER AS small,
                             CASE WHEN i % 5 = 0 THEN NULL ELSE (i * 0.5 - 3.25)::DOUBLE END AS dbl, ((i % 64) * 0.25)::FLOAT AS flt
                      FROM range({Rows}) r(i))
                TO '{path}' (FORMAT parquet, COMPRESSION {compression}, ROW_GROUP_SIZE 50000, PARQUET_VERSION {version})
                """;
            command.ExecuteNonQuery();
        }

        var sep1 = new DateTime(2025, 9, 1, 0, 0, 0, DateTimeKind.Utc);
        await using var file = File.OpenRead(path);
        await using var reader = await ParquetReader.CreateAsync(file, leaveStreamOpen: true, cancellationToken: TestContext.Current.CancellationToken);
        long first = 0;
        for (var g = 0; g < reader.RowGroupCount; g++)
        {
            using var group = reader.OpenRowGroupReader(g);
            var rows = (int)group.RowCount;
            var fields = reader.Schema.DataFields.ToDictionary(f => f.Name);
            await Check<DateTime>(group, file, fields["ts"], rows, i => i % 9 == 0 ? null : sep1.AddTicks(i * 1234567L * 10), first);
            await Check<decimal>(group, file, fields["dec18"], rows, i => i % 7 == 0 ? null : (i * 37 - 500) / 1000m, first);
            await Check<decimal>(group, file, fields["dec9"], rows, i => ((i % 500) * 13 - 700) / 100m, first);
            await Check<long>(group, file, fields["big"], rows, i => (i * 1000003L) - 5, first);
            await Check<int>(group, file, fields["small"], rows, i => (int)((i % 1000) * 7 - 100), first);
            await Check<double>(group, file, fields["dbl"], rows, i => i % 5 == 0 ? null : (i * 0.5) - 3.25, first);
            await Check<float>(group, file, fields["flt"], rows, i => (i % 64) * 0.25f, first);
            first += rows;
        }
    }

    /// <summary>A column of a row group through the package's decoder, against the values written and against Parquet.Net's reading of them.</summary>
    private static async Task Check<T>(ParquetRowGroupReader group, Stream file, DataField field, int rows, Func<long, T?> expected, long first)
        where T : struct
    {
        var ours = new ValueColumn<T>(field.Name, field);
        await ours.LoadAsync(group, rows, file);
        var present = Enumerable.Range(0, rows).First(i => !ours.IsNull(i));
        ours.TryRaw(present, out _).Should().BeTrue($"{field.Name} is decoded by the package");
        T?[]? theirs = new T?[rows];
        try
        {
            await group.ReadAsync(field, theirs.AsMemory(), null, TestContext.Current.CancellationToken);
        }
        catch (NotSupportedException)
        {
            // Parquet.Net 6.1 reads no timestamps in DELTA_BINARY_PACKED (DuckDB's version 2 pages): only the values written check them.
            theirs = null;
        }

        for (var i = 0; i < rows; i++)
        {
            T? value = ours.IsNull(i) ? null : ours.Value(i);
            value.Should().Be(expected(first + i), $"{field.Name}, row {first + i}");
            if (theirs is not null)
            {
                value.Should().Be(theirs[i]);
                ours.Render(i).Should().Be(theirs[i] is { } t ? Rendered(t) : string.Empty);
            }
        }
    }

    private static string Rendered<T>(T value)
        where T : struct => value switch
        {
            DateTime time => time.ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'", System.Globalization.CultureInfo.InvariantCulture),
            double number => number.ToString("R", System.Globalization.CultureInfo.InvariantCulture),
            float number => number.ToString("R", System.Globalization.CultureInfo.InvariantCulture),
            IFormattable formattable => formattable.ToString(null, System.Globalization.CultureInfo.InvariantCulture),
            _ => value.ToString()!,
        };

    [Fact]
    public void HandBuiltPages_DictionaryThenPlainFallback_AndVersion2_AreDecoded()
    {
        var chunk = new ChunkBuilder();
        chunk.Dictionary("a", "bé", string.Empty, "dddd", "e", "f");

        // Version 1, dictionary indices: 10 rows, 3 nulls; an RLE run of 3 (index 1), then one bit-packed group of 8 at 3 bits.
        chunk.DataPageV1(
            levels: [1, 0, 1, 1, 0, 1, 1, 1, 0, 1],
            values: [.. Rle(3, 1, bitWidth: 3), .. BitPacked([5, 0, 3, 2, 4, 4, 4, 4], 3)],
            encoding: Encoding.RLE_DICTIONARY,
            bitWidth: 3);

        // The writer's dictionary grew too large: the rest of the chunk is written in place.
        chunk.DataPageV1(levels: [1, 1, 0], values: Plain("plain-1", "plain-ü"), encoding: Encoding.PLAIN);

        // Version 2: levels apart and never compressed; indices at 3 bits in a bit-packed group cut short of its padding (2 bytes of 3).
        chunk.DataPageV2(levels: [1, 1, 1, 0], values: BitPacked([1, 0, 1], 3), encoding: Encoding.PLAIN_DICTIONARY, bitWidth: 3);

        var (texts, ok) = chunk.Decode();

        ok.Should().BeTrue();
        texts.Should().Equal(
            "bé", null, "bé", "bé", null, "f", "a", "dddd", null, string.Empty,
            "plain-1", "plain-ü", null,
            "bé", "a", "bé", null);
    }

    [Theory]
    [InlineData("a", "plain-1", 10, true)]
    [InlineData("bé", "plain-1", 10, false)]  // a dictionary text that is not ASCII
    [InlineData("a", "plain-ü", 10, false)]   // nor a text written in place
    [InlineData("a", "plain-1", 127, true)]   // a length whose bytes are all below 128
    [InlineData("a", "plain-1", 128, false)]  // 128 = 0x80: an ASCII text, but its page is not all ASCII, so each text is checked
    public void AChunkIsAscii_OnlyWhereEveryPageOfTextsIs(string dictionaryText, string plainText, int longTextLength, bool ascii)
    {
        var chunk = new ChunkBuilder();
        chunk.Dictionary(dictionaryText, "b");
        chunk.DataPageV1(levels: [1, 1], values: [.. Rle(2, 1, bitWidth: 1)], encoding: Encoding.RLE_DICTIONARY, bitWidth: 1);
        chunk.DataPageV1(levels: [1, 1, 0], values: Plain(plainText, new string('x', longTextLength)), encoding: Encoding.PLAIN);

        var (texts, ok) = chunk.Decode();

        ok.Should().BeTrue();
        texts.Should().Equal("b", "b", plainText, new string('x', longTextLength), null);
        chunk.IsAscii.Should().Be(ascii);
    }

    [Fact]
    public void TextsOfEarlierPages_StayReadable_AfterALargerPageIsPlaced()
    {
        // Texts are read where they lie in the chunk's pages: a larger page that makes room for itself keeps the pages before it.
        var chunk = new ChunkBuilder();
        var many = Enumerable.Range(0, 300).Select(i => $"id-{i:D4}-{new string('x', i % 17)}").ToArray();
        chunk.DataPageV1(levels: [1, 0, 1], values: Plain("first", "sécond"), encoding: Encoding.PLAIN);
        chunk.DataPageV1(levels: [.. Enumerable.Repeat(1, many.Length)], values: Plain(many), encoding: Encoding.PLAIN);
        chunk.DataPageV2(levels: [1, 1, 1, 0], values: Plain("v2-a", string.Empty, "v2-ü"), encoding: Encoding.PLAIN, bitWidth: -1);
        chunk.DataPageV1(levels: [1], values: Plain("last"), encoding: Encoding.PLAIN);

        var (texts, ok) = chunk.Decode();

        ok.Should().BeTrue();
        texts.Should().Equal(["first", null, "sécond", .. many, "v2-a", string.Empty, "v2-ü", null, "last"]);
    }

    [Fact]
    public void AChunkWithoutNulls_IsDense_WhateverItsLevelsEncoding()
    {
        // One RLE run of 1 (the usual writer's page), bit-packed 1s, and version 2 levels: no null anywhere.
        var chunk = new ChunkBuilder();
        chunk.Dictionary("a", "bé");
        chunk.DataPageV1(levels: [1, 1, 1], values: [.. Rle(3, 1, bitWidth: 1)], encoding: Encoding.RLE_DICTIONARY, bitWidth: 1, oneRun: true);
        chunk.DataPageV1(levels: [1, 1], values: Plain("p-1", "p-2"), encoding: Encoding.PLAIN);

        var (texts, ok) = chunk.Decode();

        ok.Should().BeTrue();
        chunk.Dense.Should().BeTrue();
        texts.Should().Equal("bé", "bé", "bé", "p-1", "p-2");
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void AFirstNull_OnALaterPage_PlacesTheRowsBeforeIt(bool version2)
    {
        // Pages without nulls first (their rows' places not written), then one with a null: every row before it is its own value.
        var chunk = new ChunkBuilder();
        chunk.Dictionary("a", "bé");
        chunk.DataPageV1(levels: [1, 1, 1], values: [.. Rle(3, 1, bitWidth: 1)], encoding: Encoding.RLE_DICTIONARY, bitWidth: 1, oneRun: true);
        chunk.DataPageV1(levels: [1, 1], values: Plain("p-1", "p-2"), encoding: Encoding.PLAIN, oneRun: true);
        if (version2)
        {
            chunk.DataPageV2(levels: [1, 1, 0], values: Plain("v2-a", "v2-b"), encoding: Encoding.PLAIN, bitWidth: -1);
        }
        else
        {
            chunk.DataPageV1(levels: [1, 0, 1], values: Plain("v1-a", "v1-b"), encoding: Encoding.PLAIN);
        }

        chunk.DataPageV1(levels: [1, 1], values: [.. Rle(2, 0, bitWidth: 1)], encoding: Encoding.RLE_DICTIONARY, bitWidth: 1, oneRun: true);

        var (texts, ok) = chunk.Decode();

        ok.Should().BeTrue();
        chunk.Dense.Should().BeFalse();
        texts.Should().Equal(["bé", "bé", "bé", "p-1", "p-2", .. version2 ? new[] { "v2-a", "v2-b", null } : ["v1-a", null, "v1-b"], "a", "a"]);
    }

    [Fact]
    public void NumbersOfOnePlainPage_AreReadWhereTheyLie_AndKeptWhenAnotherPageFollows()
    {
        // One page: its values are read from the page itself. Then a second page, with a null: the first page's values are kept.
        static byte[] Longs(params long[] values) => [.. values.SelectMany(BitConverter.GetBytes)];
        var one = new ChunkBuilder();
        one.DataPageV1(levels: [1, 1, 1], values: Longs(10, -20, long.MaxValue), encoding: Encoding.PLAIN, oneRun: true);
        var two = new ChunkBuilder();
        two.DataPageV1(levels: [1, 1, 1], values: Longs(10, -20, 30), encoding: Encoding.PLAIN, oneRun: true);
        two.DataPageV1(levels: [1, 0, 1], values: Longs(40, long.MinValue), encoding: Encoding.PLAIN);
        var twoDense = new ChunkBuilder();
        twoDense.DataPageV1(levels: [1, 1], values: Longs(1, 2), encoding: Encoding.PLAIN, oneRun: true);
        twoDense.DataPageV1(levels: [1, 1], values: Longs(3, 4), encoding: Encoding.PLAIN, oneRun: true);

        var (oneValues, oneDense, oneOk) = one.DecodeNumbers();
        (oneOk, oneDense).Should().Be((true, true));
        oneValues.Should().Equal(10L, -20L, long.MaxValue);
        var (values, dense, ok) = two.DecodeNumbers();
        (ok, dense).Should().Be((true, false));
        values.Should().Equal(10, -20, 30, 40, null, long.MinValue);
        var (denseValues, isDense, denseOk) = twoDense.DecodeNumbers();
        (denseOk, isDense).Should().Be((true, true));
        denseValues.Should().Equal(1L, 2L, 3L, 4L);
    }

    [Fact]
    public void BitPackedRuns_OfEveryWidth_DecodeToTheValuesPacked()
    {
        // Runs of 1 to 200 values at 1 to 32 bits, cut short of their padding or padded to whole groups of 8.
        var random = new Random(20261207);
        for (var bitWidth = 1; bitWidth <= 32; bitWidth++)
        {
            foreach (var count in new[] { 1, 7, 8, 9, 63, 64, 65, random.Next(1, 200) })
            {
                var values = Enumerable.Range(0, count).Select(_ => unchecked((int)(uint)random.NextInt64(0, 1L << bitWidth))).ToArray();
                var padded = values.Concat(Enumerable.Repeat(0, (8 - (count % 8)) % 8)).ToArray();
                foreach (var run in new[] { BitPacked(values, bitWidth), BitPacked(padded, bitWidth) })
                {
                    var output = new int[count];

                    parquetpackage::AsrBilling.Parquet.HybridRle.TryDecode(run, bitWidth, output).Should().BeTrue();

                    output.Should().Equal(values, $"{count} values at {bitWidth} bits");
                }
            }
        }
    }

    [Fact]
    public void APageClaimingGigabytes_OrHeadersNestedDeep_AreRefusedWithoutMakingRoom()
    {
        // A Snappy page whose header claims 2 GB uncompressed, over 10 bytes of Snappy data that say 6.
        var chunk = new ChunkBuilder();
        chunk.SnappyPage(claimedSize: int.MaxValue, Snappier.Snappy.CompressToArray("abcdef"u8.ToArray()));

        chunk.Decode(snappy: true).Ok.Should().BeFalse();

        // An unknown field holding 40,000 lists nested one in another: refused by name, not skipped by recursion.
        byte[] nested = [0x15, 0x00, 0x99, .. Enumerable.Repeat((byte)0x19, 40_000)];
        FluentActions.Invoking(() => parquetpackage::AsrBilling.Parquet.PageHeader.TryRead(nested, out _, out _))
            .Should().Throw<InvalidDataException>().WithMessage("a page header nests values more than 32 levels deep");
    }

    [Theory]
    [InlineData(0x7FFFFFF0)] // past the largest array there can be
    [InlineData(50_000_000)] // more than 4 bytes of Snappy data can stand for
    public void ASnappyPageClaimingMoreThanItsBytesHold_IsRefusedWithoutMakingRoom(int claimed)
    {
        // The header and the Snappy length agree, as a crafted file can make them: the claim alone must not allocate.
        var chunk = new ChunkBuilder();
        chunk.SnappyPage(claimedSize: claimed, [.. Varint((ulong)claimed), 0x00, 0x01, 0x02, 0x03]);

        var before = GC.GetAllocatedBytesForCurrentThread();
        var (_, ok) = chunk.Decode(snappy: true);

        ok.Should().BeFalse();
        (GC.GetAllocatedBytesForCurrentThread() - before).Should().BeLessThan(1 << 20);
    }

    [Fact]
    public async Task AFileWhosePageHeaderNestsDeep_IsAClearError()
    {
        // 3,000 rows of text written in place: a chunk of 39 KB, room for a header of 38,000 nested lists.
        var rows = Enumerable.Range(0, 3000).ToArray();
        var bytes = ParquetTestFile.WriteWith(false, CompressionMethod.None, 3000, ParquetTestFile.Text("service", [.. rows.Select(_ => "real-time")]),
            ParquetTestFile.Text("start", [.. rows.Select(_ => "2025-09-01T02:00:00Z")]), ParquetTestFile.Text("duration_seconds", [.. rows.Select(_ => "60")])).ToArray();
        await using (var reader = await ParquetReader.CreateAsync(new MemoryStream(bytes), cancellationToken: TestContext.Current.CancellationToken))
        {
            var chunk = reader.Metadata!.RowGroups[0].Columns[0].MetaData!;
            byte[] nested = [0x89, .. Enumerable.Repeat((byte)0x19, 38_000)];
            nested.CopyTo(bytes.AsSpan((int)chunk.DataPageOffset));
        }

        FluentActions.Invoking(() => UsageParquet.Read(new MemoryStream(bytes))).Should().Throw<UsageParquetException>()
            .WithMessage("cannot read the stream as Parquet: a page header nests values more than 32 levels deep");
    }

    [Theory]
    [InlineData("a dictionary index past the dictionary")]
    [InlineData("a dictionary index of 32 bits past int.MaxValue")]
    [InlineData("a page cut short")]
    [InlineData("fewer values than the metadata says")]
    [InlineData("a page header that is not one")]
    public void MalformedChunks_AreLeftToParquetNet(string fault)
    {
        var chunk = new ChunkBuilder();
        chunk.Dictionary("a", "b");
        var bitWidth = fault == "a dictionary index of 32 bits past int.MaxValue" ? 32 : 1;
        var index = fault switch { "a dictionary index past the dictionary" => 2, "a dictionary index of 32 bits past int.MaxValue" => -1, _ => 1 };
        chunk.DataPageV1(levels: [1, 1], values: [.. Rle(2, index, bitWidth)], encoding: Encoding.RLE_DICTIONARY, bitWidth: bitWidth);

        var (_, ok) = fault switch
        {
            "a page cut short" => chunk.Decode(cut: 3),
            "fewer values than the metadata says" => chunk.Decode(extraRows: 1),
            "a page header that is not one" => chunk.Decode(garbageHeader: true),
            _ => chunk.Decode(),
        };

        ok.Should().BeFalse();
    }

    private static (DataField, Array)[] Usage(int rows)
    {
        var starts = Enumerable.Range(0, rows).Select(i => (string?)$"2025-09-{1 + (i % 28):00}T10:00:00Z").ToArray();
        return
        [
            ParquetTestFile.Text("id", [.. Enumerable.Range(0, rows).Select(i => $"r{i}")]),
            ParquetTestFile.Text("account", [.. Enumerable.Range(0, rows).Select(i => $"acct-{i % 37}")]),
            ParquetTestFile.Text("service", [.. Enumerable.Range(0, rows).Select(i => i % 2 == 0 ? "real-time" : "recording-file")]),
            ParquetTestFile.Text("start", starts),
            ParquetTestFile.Text("duration_seconds", [.. Enumerable.Range(0, rows).Select(i => $"{i % 97}.5")]),
            ParquetTestFile.Text("tag", [.. Enumerable.Range(0, rows).Select(i => i % 5 == 0 ? null : $"tag-{i % 9}")]),
        ];
    }

    /// <summary>Each row's text (null for a null): row i is value i where the chunk is dense, else the index says which.</summary>
    private static List<string?> TextsOf(TextChunk chunk, int[] index) =>
        [.. index.Select((at, row) => chunk.Dense ? row : at).Select(i => i < 0 ? null : chunk.Text(i).ToString())];

    private static IEnumerable<string?> Texts(List<(string Column, bool Decoded, List<string?> Texts)> decoded, string column) =>
        decoded.Where(d => d.Column == column).SelectMany(d => d.Texts);

    /// <summary>Every text column chunk of a file, each through the package's decoder.</summary>
    private static async Task<List<(string Column, bool Decoded, List<string?> Texts)>> DecodeAsync(Stream file)
    {
        var found = new List<(string, bool, List<string?>)>();
        await using var reader = await ParquetReader.CreateAsync(file, leaveStreamOpen: true);
        for (var g = 0; g < reader.RowGroupCount; g++)
        {
            using var group = reader.OpenRowGroupReader(g);
            foreach (var field in reader.Schema.DataFields)
            {
                var rows = (int)group.RowCount;
                var (chunk, index) = (new TextChunk(), new int[rows]);
                var ok = chunk.TryLoad(file, group.GetMetadata(field)!.MetaData!, field.MaxDefinitionLevel, rows, index);
                found.Add((field.Name, ok, ok ? TextsOf(chunk, index) : []));
            }
        }

        return found;
    }

    private static byte[] Rle(int count, int value, int bitWidth) =>
        [.. Varint((ulong)count << 1), .. BitConverter.GetBytes(value).AsSpan(0, (bitWidth + 7) / 8).ToArray()];

    private static byte[] BitPacked(int[] values, int bitWidth)
    {
        var groups = (values.Length + 7) / 8;
        var bits = new List<bool>();
        foreach (var v in values)
        {
            bits.AddRange(Enumerable.Range(0, bitWidth).Select(b => ((v >> b) & 1) == 1));
        }

        var bytes = new byte[(bits.Count + 7) / 8];
        for (var b = 0; b < bits.Count; b++)
        {
            bytes[b / 8] |= (byte)(bits[b] ? 1 << (b % 8) : 0);
        }

        return [.. Varint(((ulong)groups << 1) | 1), .. bytes];
    }

    private static byte[] Plain(params string[] texts) =>
        [.. texts.SelectMany(t => BitConverter.GetBytes(Encoding8(t).Length).Concat(Encoding8(t)))];

    private static byte[] Encoding8(string text) => System.Text.Encoding.UTF8.GetBytes(text);

    private static byte[] Varint(ulong value)
    {
        var bytes = new List<byte>();
        do
        {
            var b = (byte)(value & 0x7F);
            value >>= 7;
            bytes.Add(value == 0 ? b : (byte)(b | 0x80));
        }
        while (value != 0);
        return [.. bytes];
    }

    /// <summary>A column chunk of uncompressed pages, with headers in Thrift's compact protocol written here.</summary>
    private sealed class ChunkBuilder
    {
        private readonly List<byte> _bytes = [.. "PAR1"u8.ToArray()];
        private int _rows;
        private long? _dictionaryOffset;
        private long? _dataOffset;

        public void Dictionary(params string[] texts)
        {
            _dictionaryOffset = _bytes.Count;
            var payload = Plain(texts);
            Header(PageType.DICTIONARY_PAGE, payload.Length, payload.Length, 7, [(1, texts.Length), (2, (int)Encoding.PLAIN)]);
            _bytes.AddRange(payload);
        }

        /// <summary>A version 1 page; levels bit-packed, or as one RLE run of 1 where <paramref name="oneRun"/> (a page without nulls, as most writers write it).</summary>
        public void DataPageV1(int[] levels, byte[] values, Encoding encoding, int bitWidth = 0, bool oneRun = false)
        {
            _dataOffset ??= _bytes.Count;
            byte[] levelBytes = oneRun ? Rle(levels.Length, 1, 1) : BitPacked(levels, 1);
            byte[] payload = [.. BitConverter.GetBytes(levelBytes.Length), .. levelBytes, .. encoding == Encoding.PLAIN ? values : [(byte)bitWidth, .. values]];
            Header(PageType.DATA_PAGE, payload.Length, payload.Length, 5, [(1, levels.Length), (2, (int)encoding), (3, (int)Encoding.RLE), (4, (int)Encoding.RLE)], statistics: true);
            _bytes.AddRange(payload);
            _rows += levels.Length;
        }

        /// <summary>A version 2 page; a <paramref name="bitWidth"/> below 0 writes none, for values written in place.</summary>
        public void DataPageV2(int[] levels, byte[] values, Encoding encoding, int bitWidth)
        {
            _dataOffset ??= _bytes.Count;
            byte[] levelBytes = [.. Rle(levels.Length - 1, 1, 1), .. Rle(1, 0, 1)];
            byte[] payload = [.. levelBytes, .. bitWidth < 0 ? values : [(byte)bitWidth, .. values]];
            Header(PageType.DATA_PAGE_V2, payload.Length, payload.Length, 8, [(1, levels.Length), (2, levels.Count(l => l == 0)), (3, levels.Length), (4, (int)encoding), (5, levelBytes.Length), (6, 0)], isCompressed: false);
            _bytes.AddRange(payload);
            _rows += levels.Length;
        }

        public void SnappyPage(int claimedSize, byte[] payload)
        {
            _dataOffset ??= _bytes.Count;
            Header(PageType.DATA_PAGE, claimedSize, payload.Length, 5, [(1, 1), (2, (int)Encoding.PLAIN), (3, (int)Encoding.RLE), (4, (int)Encoding.RLE)]);
            _bytes.AddRange(payload);
            _rows += 1;
        }

        /// <summary>Whether the chunk last decoded said every text of it is ASCII.</summary>
        public bool IsAscii { get; private set; }

        /// <summary>Whether the chunk last decoded had no nulls, so that its index was not written.</summary>
        public bool Dense { get; private set; }

        /// <summary>The chunk as INT64 values (PLAIN pages of 8-byte values): each row's value, null for a null.</summary>
        public (List<long?> Values, bool Dense, bool Ok) DecodeNumbers()
        {
            var bytes = _bytes.ToArray();
            var meta = new ColumnMetaData
            {
                Type = global::Parquet.Meta.Type.INT64,
                Codec = CompressionCodec.UNCOMPRESSED,
                NumValues = _rows,
                DataPageOffset = _dataOffset!.Value,
                TotalCompressedSize = bytes.Length - 4,
            };
            var (chunk, index) = (new NumberChunk(), new int[_rows]);
            using var stream = new MemoryStream(bytes);
            var ok = chunk.TryLoad(stream, meta, 1, _rows, index);
            var places = index.Select((at, row) => chunk.Dense ? row : at).ToArray();
            var raws = chunk.Dense && ok ? chunk.Raws(0, _rows).ToArray() : [];
            List<long?> values = ok ? [.. places.Select(i => i < 0 ? (long?)null : chunk.Raw(i))] : [];
            if (chunk.Dense && ok)
            {
                values.Should().Equal(raws.Select(r => (long?)r), "the values read in order are those read one by one");
            }

            return (values, ok && chunk.Dense, ok);
        }

        public (List<string?> Texts, bool Ok) Decode(int cut = 0, int extraRows = 0, bool garbageHeader = false, bool snappy = false)
        {
            var bytes = _bytes.ToArray();
            if (garbageHeader)
            {
                bytes[(int)_dataOffset!.Value] = 0xFF;
            }

            var meta = new ColumnMetaData
            {
                Type = global::Parquet.Meta.Type.BYTE_ARRAY,
                Codec = snappy ? CompressionCodec.SNAPPY : CompressionCodec.UNCOMPRESSED,
                NumValues = _rows + extraRows,
                DictionaryPageOffset = _dictionaryOffset,
                DataPageOffset = _dataOffset!.Value,
                TotalCompressedSize = bytes.Length - 4 - cut,
            };
            var (chunk, index) = (new TextChunk(), new int[_rows + extraRows]);
            using var stream = new MemoryStream(bytes);
            var ok = chunk.TryLoad(stream, meta, 1, _rows + extraRows, index);
            (IsAscii, Dense) = (ok && chunk.IsAscii, ok && chunk.Dense);
            return (ok ? TextsOf(chunk, index) : [], ok);
        }

        private void Header(PageType type, int uncompressed, int compressed, short pageField, (short Id, int Value)[] fields, bool statistics = false, bool? isCompressed = null)
        {
            var h = new List<byte>();
            short last = 0;
            void Field(short id, int kind)
            {
                h.Add((byte)(((id - last) << 4) | kind));
                last = id;
            }

            void I32(short id, int value)
            {
                Field(id, 5);
                h.AddRange(Varint(unchecked((uint)((value << 1) ^ (value >> 31)))));
            }

            I32(1, (int)type);
            I32(2, uncompressed);
            I32(3, compressed);
            Field(pageField, 12);
            var outer = last;
            last = 0;
            foreach (var (id, value) in fields)
            {
                I32(id, value);
            }

            if (isCompressed is { } flag)
            {
                Field(7, flag ? 1 : 2);
            }

            if (statistics)
            {
                // A statistics struct with a binary and a list the reader must skip.
                Field(5, 12);
                last = 0;
                Field(1, 8);
                h.AddRange([3, .. "max"u8.ToArray()]);
                Field(2, 9);
                h.AddRange([0x25, 2, 4]);
                h.Add(0);
            }

            h.Add(0);
            last = outer;
            h.Add(0);
            _bytes.AddRange(h);
        }
    }
}
