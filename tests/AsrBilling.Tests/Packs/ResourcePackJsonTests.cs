using System.Text;
using AsrBilling.Tests.PriceData;
using FsCheck;
using FsCheck.Xunit;

namespace AsrBilling.Tests.Packs;

public class ResourcePackJsonTests
{
    /// <summary>The example of issue 15, verbatim.</summary>
    private const string IssueExample = """
        {"format": "asr-billing-packs", "version": 1,
         "packs": [{"id": "rt-1000", "service": "real-time", "hours": 1000,
                    "validFrom": "2026-01-01", "validTo": "2026-12-31",
                    "price": 1800, "currency": "CNY", "account": "acme"}]}
        """;

    private const string InternationalServices = "real-time, real-time-large-model, recording-file, recording-file-large-model";

    /// <summary>The fields of one valid pack, without braces; each error case changes one.</summary>
    private const string ValidFields =
        "\"id\": \"rt-1000\", \"service\": \"real-time\", \"hours\": 1000, \"validFrom\": \"2026-01-01\", \"validTo\": \"2026-12-31\"";

    private static string File(params string[] packs) =>
        $$"""{"format": "asr-billing-packs", "version": 1, "packs": [{{string.Join(", ", packs)}}]}""";

    private static string Pack(string fields) => "{" + fields + "}";

    /// <summary>The valid pack with one field replaced (or removed, for a null value).</summary>
    private static string PackWith(string name, string? json)
    {
        var fields = ValidFields.Split(", ").Where(f => !f.StartsWith($"\"{name}\":", StringComparison.Ordinal)).ToList();
        if (json is not null)
        {
            fields.Add($"\"{name}\": {json}");
        }

        return Pack(string.Join(", ", fields));
    }

    // ---- Loading ----

    [Fact]
    public void Load_IssueExample_GivesTheExpectedPack()
    {
        var packs = ResourcePackJson.Load(IssueExample);

        packs.Count.Should().Be(1);
        var pack = packs[0];
        pack.Id.Should().Be("rt-1000");
        pack.Service.Should().BeSameAs(AsrService.RealTime);
        pack.Hours.Should().Be(1000m);
        pack.Seconds.Should().Be(3_600_000L);
        pack.ValidFrom.Should().Be(new LocalDate(2026, 1, 1));
        pack.ValidTo.Should().Be(new LocalDate(2026, 12, 31));
        pack.Price.Should().Be(new Money(1800m, "CNY"));
        pack.Account.Should().Be("acme");
        pack.ToString().Should().Be("rt-1000: 1000 h of real-time for acme, 2026-01-01 to 2026-12-31, 1800.00 CNY");
    }

    [Fact]
    public void Load_IssueExample_WithTheChinaBook_GivesTheSamePack()
    {
        ResourcePackJson.Load(IssueExample, PriceBook.TencentCloudChina).Should().Equal(ResourcePackJson.Load(IssueExample));
    }

    [Fact]
    public void Load_OptionalFieldsLeftOut_NoPriceAndTheDefaultAccount()
    {
        var pack = ResourcePackJson.Load(File(Pack(ValidFields)))[0];

        pack.Price.Should().BeNull();
        pack.Account.Should().Be(string.Empty);
    }

    [Fact]
    public void Load_OptionalFieldsNull_AreLeftOut()
    {
        var pack = ResourcePackJson.Load(File(Pack(ValidFields + ", \"price\": null, \"currency\": null, \"account\": null")))[0];

        pack.Should().Be(new ResourcePack("rt-1000", AsrService.RealTime, 1000m, new LocalDate(2026, 1, 1), new LocalDate(2026, 12, 31)));
    }

    [Fact]
    public void Load_Numbers_AreExactDecimals()
    {
        var pack = ResourcePackJson.Load(File(PackWith("hours", "0.1")))[0];
        pack.Hours.Should().Be(0.1m);
        pack.Seconds.Should().Be(360L);

        var priced = ResourcePackJson.Load(File(Pack(ValidFields + ", \"price\": 1799.99, \"currency\": \"CNY\"")))[0];
        priced.Price!.Value.Amount.Should().Be(1799.99m);

        var quoted = ResourcePackJson.Load(File(PackWith("hours", "\"30\"")))[0];
        quoted.Hours.Should().Be(30m);
    }

    [Fact]
    public void Load_ServiceId_IgnoresAsciiCase()
    {
        ResourcePackJson.Load(File(PackWith("service", "\"Recording-File\"")))[0].Service.Should().BeSameAs(AsrService.RecordingFile);
    }

    [Fact]
    public void Load_KeepsFileOrder()
    {
        var packs = ResourcePackJson.Load(File(
            Pack("\"id\": \"c\", \"service\": \"real-time\", \"hours\": 30, \"validFrom\": \"2026-03-01\", \"validTo\": \"2027-02-28\""),
            Pack("\"id\": \"a\", \"service\": \"real-time\", \"hours\": 30, \"validFrom\": \"2026-01-01\", \"validTo\": \"2026-12-31\""),
            Pack("\"id\": \"b\", \"service\": \"recording-file\", \"hours\": 60, \"validFrom\": \"2026-01-01\", \"validTo\": \"2026-12-31\"")));

        packs.Select(p => p.Id).Should().Equal("c", "a", "b");
        packs.Get("b").Service.Should().BeSameAs(AsrService.RecordingFile);
    }

    [Fact]
    public void Load_NoPacks_IsAnEmptyList()
    {
        ResourcePackJson.Load(File()).Should().BeEmpty();
    }

    [Fact]
    public void Load_ByteOrderMarkAndStream_AreAccepted()
    {
        using var stream = new MemoryStream([.. Encoding.UTF8.GetPreamble(), .. Encoding.UTF8.GetBytes(IssueExample)]);

        ResourcePackJson.Load(stream).Should().Equal(ResourcePackJson.Load(IssueExample));
    }

    [Fact]
    public void Load_Nulls_Throw()
    {
        FluentActions.Invoking(() => ResourcePackJson.Load((string)null!)).Should().Throw<ArgumentNullException>();
        FluentActions.Invoking(() => ResourcePackJson.Load(IssueExample, null!)).Should().Throw<ArgumentNullException>().Which.ParamName.Should().Be("book");
    }

    // ---- Errors: each with its path and its message ----

    public static TheoryData<string, string, string> Errors { get; } = new()
    {
        // The header and the root.
        { """{"version": 1, "packs": []}""", "$.format", "missing; a pack file starts with \"format\": \"asr-billing-packs\"" },
        { """{"format": "asr-billing-price-book", "version": 1, "packs": []}""", "$.format", "expected \"asr-billing-packs\" but was 'asr-billing-price-book'" },
        { """{"format": "asr-billing-packs", "packs": []}""", "$.version", "missing; this library reads version 1" },
        { """{"format": "asr-billing-packs", "version": 2, "packs": []}""", "$.version", "unsupported version 2; this library reads version 1" },
        { """{"format": "asr-billing-packs", "version": "1", "packs": []}""", "$.version", "expected a whole number such as 1, but was '1'" },
        { "[]", "$", "expected a JSON object, the pack file, but found an array" },
        { """{"format": "asr-billing-packs", "version": 1}""", "$.packs", "missing; a pack file lists its packs, [] for none" },
        { """{"format": "asr-billing-packs", "version": 1, "packs": {}}""", "$.packs", "expected an array of pack objects" },
        { """{"format": "asr-billing-packs", "version": 1, "packs": [], "name": "x"}""", "$.name", "unknown property 'name'; a pack file has format, version, packs" },
        { File("null"), "$.packs[0]", "null; expected a pack object" },
        { File("1"), "$.packs[0]", "expected a pack object" },

        // Required fields.
        { File(PackWith("id", null)), "$.packs[0].id", "missing; give the pack an id, such as rt-1000" },
        { File(PackWith("id", "7")), "$.packs[0].id", "expected a string" },
        { File(PackWith("id", "\" \"")), "$.packs[0].id", "A pack id should not be blank." },
        { File(PackWith("service", null)), "$.packs[0].service", "missing; give the service id, such as real-time" },
        { File(PackWith("service", "\"speech\"")), "$.packs[0].service", $"unknown service 'speech'; the price book 'Tencent Cloud international, 2025-08-19' prices {InternationalServices}" },
        { File(PackWith("hours", null)), "$.packs[0].hours", "missing; give the pack's hours, such as 1000" },
        { File(PackWith("hours", "null")), "$.packs[0].hours", "missing; give the pack's hours, such as 1000" },
        { File(PackWith("validFrom", null)), "$.packs[0].validFrom", "missing; give the first billing date the pack can be used, such as 2026-01-01" },
        { File(PackWith("validTo", null)), "$.packs[0].validTo", "missing; give the last billing date the pack can be used (inclusive), such as 2026-12-31" },

        // Wrong JSON types.
        { File(PackWith("hours", "true")), "$.packs[0].hours", "expected a number, such as 1.4 or \"1.4\", but found true" },
        { File(PackWith("hours", "\"many\"")), "$.packs[0].hours", "expected a number, such as 1.4 or \"1.4\", but the string was 'many'" },
        { File(PackWith("validTo", "20261231")), "$.packs[0].validTo", "expected an ISO date such as 2025-08-19" },
        { File(PackWith("account", "1")), "$.packs[0].account", "expected a string" },
        { File(PackWith("currency", "5")), "$.packs[0].currency", "expected a string" },

        // Hours.
        { File(PackWith("hours", "0")), "$.packs[0].hours", "A pack's hours should be more than 0, but were 0." },
        { File(PackWith("hours", "-30")), "$.packs[0].hours", "A pack's hours should be more than 0, but were -30." },
        { File(PackWith("hours", "0.0001")), "$.packs[0].hours", "A pack's hours should be a whole number of seconds (a multiple of 1/3600 h), but 0.0001 h is 0.3600 s." },
        { File(PackWith("hours", "1e30")), "$.packs[0].hours", "the number 1e30 is outside the range of a decimal (about ±7.9e28)" },

        // Dates.
        { File(PackWith("validTo", "\"2025-12-31\"")), "$.packs[0].validTo", "The last valid date should not be before the first, but 2025-12-31 is before 2026-01-01." },

        // Price and currency.
        { File(Pack(ValidFields + ", \"price\": -1, \"currency\": \"CNY\"")), "$.packs[0].price", "A pack's price should not be negative, but was -1.00 CNY." },
        { File(Pack(ValidFields + ", \"price\": 1800")), "$.packs[0].currency", "missing; the price 1800 needs a currency, such as CNY" },
        { File(Pack(ValidFields + ", \"currency\": \"CNY\"")), "$.packs[0].price", "missing; the currency CNY needs a price, or leave both out" },
        { File(Pack(ValidFields + ", \"price\": 1800, \"currency\": \"cny\"")), "$.packs[0].currency", "Currency should be a three-letter upper-case ISO 4217 code such as USD, but was 'cny'." },
        { File(Pack(ValidFields + ", \"price\": 1800, \"currency\": \"YUAN\"")), "$.packs[0].currency", "Currency should be a three-letter upper-case ISO 4217 code such as USD, but was 'YUAN'." },

        // Ids, properties, JSON.
        {
            File(Pack(ValidFields), PackWith("id", "\"rt-30\""), PackWith("id", "\"rt-1000\"")),
            "$.packs[2].id",
            "'rt-1000' is also the id of $.packs[0]; pack ids are unique (case-sensitive)"
        },
        { File(Pack(ValidFields + ", \"size\": 30")), "$.packs[0].size", "unknown property 'size'; a pack has id, service, hours, validFrom, validTo, price, currency, account" },
        { File(Pack(ValidFields + ", \"hours\": 30")), "$.packs[0].hours", "duplicate property 'hours'; give each property once" },
    };

    [Theory]
    [MemberData(nameof(Errors))]
    public void Load_BadFile_ThrowsWithPathAndReason(string json, string path, string problem)
    {
        var error = FluentActions.Invoking(() => ResourcePackJson.Load(json)).Should().Throw<ResourcePackFormatException>().Which;

        error.Path.Should().Be(path);
        error.Message.Should().Be($"{path}: {problem}");
    }

    [Fact]
    public void Load_ServiceTheBookDoesNotPrice_NamesTheBooksServices()
    {
        var json = File(PackWith("service", "\"real-time-large-model\""));

        FluentActions.Invoking(() => ResourcePackJson.Load(json, PriceBook.TencentCloudChina)).Should().Throw<ResourcePackFormatException>()
            .WithMessage("$.packs[0].service: unknown service 'real-time-large-model'; the price book 'Tencent Cloud China site, undated copy' prices real-time, recording-file");
        ResourcePackJson.Load(json)[0].Service.Should().BeSameAs(AsrService.RealTimeLargeModel);
    }

    [Fact]
    public void Load_IdsDifferingInCase_AreTwoPacks()
    {
        ResourcePackJson.Load(File(Pack(ValidFields), PackWith("id", "\"RT-1000\""))).Select(p => p.Id).Should().Equal("rt-1000", "RT-1000");
    }

    [Fact]
    public void Load_ImpossibleDate_SaysWhy()
    {
        FluentActions.Invoking(() => ResourcePackJson.Load(File(PackWith("validFrom", "\"2026-02-30\""))))
            .Should().Throw<ResourcePackFormatException>()
            .Where(e => e.Path == "$.packs[0].validFrom")
            .WithMessage("$.packs[0].validFrom: expected an ISO date such as 2025-08-19 (The day 30 is out of range in month 2 of year 2026. Value being parsed: '2026-02-30'.)");
    }

    [Fact]
    public void Load_InvalidJson_SaysWhere()
    {
        FluentActions.Invoking(() => ResourcePackJson.Load("{\"format\": \"asr-billing-packs\", \"version\": 1, \"packs\": [{\"id\": }]}"))
            .Should().Throw<ResourcePackFormatException>()
            .Where(e => e.Path == "$.packs[0].id")
            .WithMessage("$.packs[0].id: invalid JSON at line 1, byte *");
    }

    // ---- Saving ----

    [Fact]
    public void Save_WritesEveryFieldInTheFixedFormat()
    {
        var packs = new ResourcePackList(
        [
            new ResourcePack("rt-1000", AsrService.RealTime, 1000m, new LocalDate(2026, 1, 1), new LocalDate(2026, 12, 31), new Money(1800m, "CNY"), "acme"),
            new ResourcePack("rf-60", AsrService.RecordingFile, 60m, new LocalDate(2026, 3, 1), new LocalDate(2027, 2, 28)),
        ]);

        ResourcePackJson.Save(packs).Should().Be("""
            {
              "format": "asr-billing-packs",
              "version": 1,
              "packs": [
                {
                  "id": "rt-1000",
                  "service": "real-time",
                  "hours": 1000,
                  "validFrom": "2026-01-01",
                  "validTo": "2026-12-31",
                  "price": 1800,
                  "currency": "CNY",
                  "account": "acme"
                },
                {
                  "id": "rf-60",
                  "service": "recording-file",
                  "hours": 60,
                  "validFrom": "2026-03-01",
                  "validTo": "2027-02-28",
                  "price": null,
                  "currency": null,
                  "account": null
                }
              ]
            }

            """.ReplaceLineEndings("\n"));
    }

    [Fact]
    public void SaveThenLoad_GivesAnEqualList()
    {
        var packs = new ResourcePackList(
        [
            new ResourcePack("b", AsrService.RecordingFileLargeModel, 0.0025m, new LocalDate(2026, 1, 1), new LocalDate(2026, 1, 1), Money.Zero("USD")),
            new ResourcePack("a", AsrService.RealTime, 123456.5m, new LocalDate(2025, 8, 19), new LocalDate(2026, 8, 18), new Money(0.01m, "CNY"), "客户"),
            new ResourcePack("c", AsrService.RealTime, 30m, new LocalDate(2026, 1, 1), new LocalDate(2026, 12, 31), account: "acme"),
        ]);

        var loaded = ResourcePackJson.Load(ResourcePackJson.Save(packs));

        loaded.Should().Equal(packs);
        loaded.Equals(packs).Should().BeTrue();
        ResourcePackJson.Save(loaded).Should().Be(ResourcePackJson.Save(packs));
    }

    [Fact]
    public void Save_ToStream_WritesTheSameBytesWithoutByteOrderMark()
    {
        var packs = ResourcePackJson.Load(IssueExample);
        using var stream = new MemoryStream();

        ResourcePackJson.Save(packs, stream);

        stream.ToArray().Should().Equal(Encoding.UTF8.GetBytes(ResourcePackJson.Save(packs)));
    }

    [Fact]
    public void ReadmeExample_LoadsToThePacksItDescribes()
    {
        var readme = System.IO.File.ReadAllText(Path.Combine(Cli.ReadmeTests.RepositoryRoot(), "README.md")).ReplaceLineEndings("\n");
        var section = readme.IndexOf("### Prepaid packs: the file format", StringComparison.Ordinal);
        section.Should().BeGreaterThan(0);
        var start = readme.IndexOf("```json\n", section, StringComparison.Ordinal) + "```json\n".Length;
        var json = readme[start..readme.IndexOf("\n```", start, StringComparison.Ordinal)];

        ResourcePackJson.Load(json, PriceBook.TencentCloudChina).Should().Equal(
            new ResourcePack("rt-1000", AsrService.RealTime, 1000m, new LocalDate(2026, 1, 1), new LocalDate(2026, 12, 31), new Money(1800m, "CNY"), "acme"),
            new ResourcePack("rf-60", AsrService.RecordingFile, 60m, new LocalDate(2026, 3, 1), new LocalDate(2027, 2, 28)));
        var thirdEndsBeforeItStarts = File(
            Pack(ValidFields),
            PackWith("id", "\"rt-30\""),
            Pack("\"id\": \"rt-1\", \"service\": \"real-time\", \"hours\": 1, \"validFrom\": \"2026-01-01\", \"validTo\": \"2025-12-31\""));
        var error = FluentActions.Invoking(() => ResourcePackJson.Load(thirdEndsBeforeItStarts)).Should().Throw<ResourcePackFormatException>().Which;
        readme.Should().Contain($"`{error.Message}`");
    }

    // ---- Properties ----

    [Property(MaxTest = 300)]
    public void SaveThenLoad_RandomPacks_GivesAnEqualListInTheSameOrder(int seed)
    {
        var packs = RandomPacks(seed);

        var loaded = ResourcePackJson.Load(ResourcePackJson.Save(packs));

        loaded.Equals(packs).Should().BeTrue();
        loaded.Select(p => p.Id).Should().Equal(packs.Select(p => p.Id));
    }

    [Property(MaxTest = 1000)]
    public void Load_MutatedFile_ThrowsOnlyFormatErrors(int seed, PositiveInt mutations)
    {
        var text = PriceBookJsonMutations.Mutate(ResourcePackJson.Save(RandomPacks(seed)), seed, (mutations.Get % 4) + 1);
        var task = Task.Run(() => ResourcePackJson.Load(text));

        (Task.WaitAny([task], TimeSpan.FromSeconds(5)) == 0).Should().BeTrue("Load should finish quickly");
        if (task.IsFaulted)
        {
            task.Exception!.InnerException.Should().BeOfType<ResourcePackFormatException>();
        }
    }

    /// <summary>Up to five valid packs: whole-second hours, any order of dates, with and without price and account.</summary>
    private static ResourcePackList RandomPacks(int seed)
    {
        var random = new Random(seed);
        var services = AsrService.All;
        var packs = new List<ResourcePack>();
        for (var i = random.Next(6); i > 0; i--)
        {
            var from = new LocalDate(2025, 1, 1).PlusDays(random.Next(800));
            var hours = random.Next(3) switch
            {
                0 => random.Next(1, 300_001),
                1 => random.Next(1, 1_000_000) * 0.0025m,
                _ => 0.5m,
            };
            var price = random.Next(3) == 0 ? (Money?)null : new Money(random.Next(0, 30_000_000) / 100m, random.Next(2) == 0 ? "CNY" : "USD");
            packs.Add(new ResourcePack(
                $"p{packs.Count}-{random.Next(1000)}",
                services[random.Next(services.Length)],
                hours,
                from,
                from.PlusDays(random.Next(400)),
                price,
                random.Next(3) == 0 ? null : $"acct-{random.Next(5)}"));
        }

        return new ResourcePackList(packs);
    }
}
