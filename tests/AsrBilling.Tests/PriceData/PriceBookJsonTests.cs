using System.Globalization;
using System.Numerics;
using System.Text;
using System.Text.Json.Nodes;
using FsCheck;
using FsCheck.Xunit;

namespace AsrBilling.Tests.PriceData;

public class PriceBookJsonTests
{
    private const string BuiltInResource = "AsrBilling.PriceData.tencent-cloud-international-2025-08-19.json";

    private const string TencentSource = "Tencent Cloud ASR international Billing Overview, pay-as-you-go, last updated 2025-08-19";

    /// <summary>A small valid book; each validation case breaks one rule of it.</summary>
    private const string Valid = """
        {
          "format": "asr-billing-price-book",
          "version": 1,
          "name": "Test book",
          "tables": [
            {
              "service": "real-time",
              "currency": "USD",
              "effectiveFrom": "2025-08-19",
              "tiers": [ { "from": 0, "unitPrice": 1.4 }, { "from": 300, "unitPrice": 1.2 } ]
            },
            {
              "service": "recording-file",
              "currency": "USD",
              "effectiveFrom": "2025-08-19",
              "tiers": [ { "from": 0, "unitPrice": 1 }, { "from": 300, "unitPrice": 0.95 }, { "from": 1000, "unitPrice": 0.9 } ]
            }
          ]
        }
        """;

    private static readonly TimeSpan LoadTimeout = TimeSpan.FromSeconds(5);

    public static TheoryData<string> ServiceIds { get; } = new(ExpectedPrices.ServiceIds);

    // ---- Round trips ----

    [Fact]
    public void SaveThenLoad_BuiltInBook_GivesAnEqualBook()
    {
        var book = PriceBook.TencentCloudInternational;

        var loaded = PriceBookJson.Load(PriceBookJson.Save(book));

        loaded.Name.Should().Be(book.Name);
        loaded.Tables.Should().Equal(book.Tables);
    }

    [Fact]
    public void Save_BuiltInBook_IsTheEmbeddedFileVerbatim()
    {
        PriceBookJson.Save(PriceBook.TencentCloudInternational).Should().Be(EmbeddedText());
    }

    [Fact]
    public void SaveThenLoad_BookWithEveryRuleAndACustomService_GivesAnEqualBook()
    {
        var book = CustomBook();

        var loaded = PriceBookJson.Load(PriceBookJson.Save(book));

        loaded.Name.Should().Be(book.Name);
        loaded.Tables.Should().Equal(book.Tables);
        loaded.Tables.Select(t => t.Rules).Should().Equal(book.Tables.Select(t => t.Rules));
        loaded.Services.Select(s => (s.Id, s.DisplayName)).Should().Equal(book.Services.Select(s => (s.Id, s.DisplayName)));
    }

    [Fact]
    public void LoadOfSave_EqualsTheBook_AsTheReadmeSays()
    {
        foreach (var book in new[] { PriceBook.TencentCloudInternational, CustomBook() })
        {
            var loaded = PriceBookJson.Load(PriceBookJson.Save(book));

            loaded.Equals(book).Should().BeTrue(book.Name);
            loaded.Equals((object)book).Should().BeTrue();
            loaded.GetHashCode().Should().Be(book.GetHashCode());
        }

        var renamed = new PriceBook("another name", CustomBook().Tables);
        renamed.Equals(CustomBook()).Should().BeFalse();
        new PriceBook(CustomBook().Name, CustomBook().Tables.Skip(1)).Equals(CustomBook()).Should().BeFalse();
        CustomBook().Equals(null).Should().BeFalse();
    }

    [Fact]
    public void SaveOfLoad_SavedText_IsTheSameText()
    {
        var text = PriceBookJson.Save(CustomBook());

        PriceBookJson.Save(PriceBookJson.Load(text)).Should().Be(text);
    }

    [Fact]
    public void Save_WritesEveryFieldIndentedWithLineFeeds()
    {
        var text = PriceBookJson.Save(CustomBook());

        text.Should().StartWith("{\n  \"format\": \"asr-billing-price-book\",\n  \"version\": 1,\n  \"name\": \"Custom, with every rule\",\n  \"tables\": [\n")
            .And.EndWith("}\n")
            .And.NotContain("\r")
            .And.Contain("\"source\": null")
            .And.Contain("\"tierMode\": \"graduated\"")
            .And.Contain("\"thresholdRule\": \"up-to-inclusive\"")
            .And.Contain("\"tierWindow\": \"month\"")
            .And.Contain("\"billingIncrementSeconds\": 15")
            .And.Contain("\"freeHoursPerMonth\": 1.5")
            .And.Contain("\"freeHoursCountTowardTier\": false")
            .And.Contain("non-ASCII ≈ é");
    }

    [Fact]
    public void SaveToStream_WritesTheSavedTextAsUtf8_AndLoadFromStreamReadsIt()
    {
        var book = CustomBook();
        using var stream = new MemoryStream();

        PriceBookJson.Save(book, stream);

        stream.ToArray().Should().Equal(Encoding.UTF8.GetBytes(PriceBookJson.Save(book)));
        stream.Position = 0;
        PriceBookJson.Load(stream).Tables.Should().Equal(book.Tables);
    }

    [Fact]
    public void Load_SkipsAUtf8ByteOrderMark()
    {
        var bytes = Encoding.UTF8.GetPreamble().Concat(Encoding.UTF8.GetBytes(Valid)).ToArray();

        PriceBookJson.Load(new MemoryStream(bytes)).Tables.Should().HaveCount(2);
        PriceBookJson.Load("\uFEFF" + Valid).Tables.Should().HaveCount(2);
    }

    [Fact]
    public void Load_DefaultsOptionalFieldsToTencentsRules()
    {
        var book = PriceBookJson.Load(Valid);

        book.Name.Should().Be("Test book");
        book.Tables.Should().OnlyContain(t => t.Rules.Equals(PriceRules.Tencent) && t.Source == null && t.Currency == "USD");
        book.GetLatestTable(AsrService.RecordingFile).Tiers.Select(t => (t.FromHours, t.ToHours, t.UnitPrice.Amount))
            .Should().Equal((0m, 300m, 1m), (300m, 1000m, 0.95m), (1000m, (decimal?)null, 0.9m));
    }

    [Fact]
    public void Load_CustomServiceWithoutDisplayName_UsesItsId()
    {
        var json = Change(root => Table(root, 1)["service"] = "acme-asr");

        PriceBookJson.Load(json).Services.Should().ContainSingle(s => s.Id == "acme-asr").Which.DisplayName.Should().Be("acme-asr");
    }

    [Fact]
    public void Load_NullArguments_Throw()
    {
        FluentActions.Invoking(() => PriceBookJson.Load((string)null!)).Should().ThrowExactly<ArgumentNullException>();
        FluentActions.Invoking(() => PriceBookJson.Load((Stream)null!)).Should().ThrowExactly<ArgumentNullException>();
        FluentActions.Invoking(() => PriceBookJson.Save(null!)).Should().ThrowExactly<ArgumentNullException>();
        FluentActions.Invoking(() => PriceBookJson.Save(CustomBook(), null!)).Should().ThrowExactly<ArgumentNullException>().WithParameterName("utf8Json");

        // The book is checked first, before the stream.
        FluentActions.Invoking(() => PriceBookJson.Save(null!, null!)).Should().ThrowExactly<ArgumentNullException>().WithParameterName("book");
    }

    // ---- The embedded file is the built-in book ----

    [Fact]
    public void EmbeddedFile_IsTheBuiltInBook()
    {
        var book = PriceBookJson.Load(EmbeddedText());

        book.Name.Should().Be("Tencent Cloud international, 2025-08-19");
        book.Services.Select(s => s.Id).Should().Equal(ExpectedPrices.ServiceIds);
        book.Tables.Should().Equal(PriceBook.TencentCloudInternational.Tables);
    }

    [Theory]
    [MemberData(nameof(ServiceIds))]
    public void EmbeddedFile_PricesEqualOwnCopyOfSource(string serviceId)
    {
        var table = PriceBookJson.Load(EmbeddedText()).GetLatestTable(ExpectedPrices.Service(serviceId));

        table.EffectiveFrom.Should().Be(new LocalDate(2025, 8, 19));
        table.Currency.Should().Be("USD");
        table.Rules.Should().Be(PriceRules.Tencent);
        table.Source.Should().Be(TencentSource);
        table.Tiers.Select(t => t.FromHours).Should().Equal(ExpectedPrices.ThresholdHours.Select(h => (decimal)h));
        table.Tiers.Select(t => t.UnitPrice.Amount).Should().Equal(ExpectedPrices.UnitPrices(serviceId));
    }

    // ---- Exact decimals ----

    [Fact]
    public void Load_ReadsNumbersAsDecimalsStraightFromTheText_NeverThroughDouble()
    {
        const string price = "0.1000000000000000055511151231257827";
        var json = Valid.Replace("{ \"from\": 300, \"unitPrice\": 1.2 }", $"{{ \"from\": 299.99999999999999999, \"unitPrice\": {price} }}", StringComparison.Ordinal);

        var tiers = PriceBookJson.Load(json).GetLatestTable(AsrService.RealTime).Tiers;

        tiers[1].FromHours.Should().Be(299.99999999999999999m);
        tiers[0].ToHours.Should().Be(299.99999999999999999m);
        tiers[1].UnitPrice.Amount.Should().Be(decimal.Parse(price, CultureInfo.InvariantCulture))
            .And.Be(0.1000000000000000055511151231m, "a decimal keeps 28 decimal places of the text")
            .And.NotBe(0.1m);

        // Through double, both would have lost their digits.
        ((decimal)double.Parse("299.99999999999999999", CultureInfo.InvariantCulture)).Should().Be(300m);
        ((decimal)double.Parse(price, CultureInfo.InvariantCulture)).Should().Be(0.1m);
    }

    [Fact]
    public void Load_ReadsNumbersWrittenAsStringsOrWithExponents()
    {
        var json = Valid
            .Replace("{ \"from\": 0, \"unitPrice\": 1.4 }", "{ \"from\": \"0\", \"unitPrice\": \"1.4\" }", StringComparison.Ordinal)
            .Replace("{ \"from\": 300, \"unitPrice\": 1.2 }", "{ \"from\": 3e2, \"unitPrice\": \"12e-1\" }", StringComparison.Ordinal);

        var tiers = PriceBookJson.Load(json).GetLatestTable(AsrService.RealTime).Tiers;

        tiers.Select(t => (t.FromHours, t.UnitPrice.Amount)).Should().Equal((0m, 1.4m), (300m, 1.2m));
    }

    [Fact]
    public void Save_WritesDecimalsAsJsonNumbersDigitForDigit()
    {
        var text = PriceBookJson.Save(CustomBook());

        text.Should().Contain("\"unitPrice\": 0.86\n").And.Contain("\"unitPrice\": 1.40\n")
            .And.Contain("\"from\": 299.99999999999999999,")
            .And.Contain("\"unitPrice\": 0.1000000000000000055511151231\n")
            .And.Contain("\"from\": 4166.6666666666666666666666667,");
    }

    // ---- Validation: one case per rule, each with its path and message ----

    public static TheoryData<string, string, string, string> InvalidBooks { get; } = new()
    {
        // Malformed JSON, with the reader's line and byte.
        { "missing value", Valid.Replace("\"name\": \"Test book\"", "\"name\": ", StringComparison.Ordinal), "$.name", "invalid JSON at line 4, byte 11: ',' is an invalid start of a value." },
        { "missing comma in a tier", Valid.Replace("{ \"from\": 300, \"unitPrice\": 1.2 }", "{ \"from\": 300 \"unitPrice\": 1.2 }", StringComparison.Ordinal), "$.tables[0].tiers[1]", "invalid JSON at line 10, byte 65: '\"' is invalid after a value. Expected either ',', '}', or ']'." },
        { "truncated", Valid[..Valid.IndexOf("\"service\": \"recording-file\"", StringComparison.Ordinal)], "$.tables[1]", "invalid JSON at line 13, byte 7: Expected depth to be zero at the end of the JSON payload. There is an open JSON object or array that should be closed." },
        { "truncated in a name", Valid[..60], "$", "invalid JSON at line 4, byte 5: Expected end of string, but instead reached end of data." },
        { "empty text", string.Empty, "$", "invalid JSON at line 1, byte 1: The input does not contain any JSON tokens. Expected the input to start with a valid JSON token, when isFinalBlock is true." },
        { "trailing text", Valid + " x", "$", "invalid JSON at line 19, byte 3: 'x' is invalid after a single JSON value. Expected end of data." },
        { "comment", "// prices\n" + Valid, "$", "invalid JSON at line 1, byte 1: '/' is an invalid start of a value." },
        { "root not an object", "[]", "$", "expected a JSON object, the price book, but found an array" },
        { "root a string", "\"prices\"", "$", "expected a JSON object, the price book, but found a string" },
        { "root a number", "1.4", "$", "expected a JSON object, the price book, but found a number" },
        { "root false", "false", "$", "expected a JSON object, the price book, but found false" },
        { "root null", "null", "$", "expected a JSON object, the price book, but found null" },
        { "duplicate property", Valid.Replace("\"name\": \"Test book\"", "\"name\": \"Test book\", \"name\": \"Other\"", StringComparison.Ordinal), "$.name", "duplicate property 'name'; give each property once" },
        { "duplicate property with a space", Valid.Replace("\"name\": \"Test book\"", "\"name\": \"Test book\", \"a b\": 1, \"a b\": 2", StringComparison.Ordinal), "$['a b']", "duplicate property 'a b'; give each property once" },
        { "duplicate property with a quote", Valid.Replace("\"name\": \"Test book\"", "\"name\": \"Test book\", \"it's\": 1, \"it's\": 2", StringComparison.Ordinal), "$['it\\'s']", "duplicate property 'it's'; give each property once" },
        { "duplicate snake_case property", Valid.Replace("\"name\": \"Test book\"", "\"name\": \"Test book\", \"a_b\": 1, \"a_b\": 2", StringComparison.Ordinal), "$.a_b", "duplicate property 'a_b'; give each property once" },
        { "escaped lone surrogate", Valid.Replace("Test book", "Test \\ud800 book", StringComparison.Ordinal), "$.name", "invalid text in a string: Cannot read incomplete UTF-16 JSON text as string with missing low surrogate." },

        // Format and version.
        { "wrong format", Change(root => root["format"] = "asr-billing-usage"), "$.format", "expected \"asr-billing-price-book\" but was 'asr-billing-usage'" },
        { "format not a string", Change(root => root["format"] = 1), "$.format", "expected \"asr-billing-price-book\" but was 1" },
        { "missing format", Change(root => root.Remove("format")), "$.format", "missing; a price book starts with \"format\": \"asr-billing-price-book\"" },
        { "unsupported version", Change(root => root["version"] = 2), "$.version", "unsupported version 2; this library reads version 1" },
        { "version as a string", Change(root => root["version"] = "1"), "$.version", "expected a whole number such as 1, but was '1'" },
        { "missing version", Change(root => root.Remove("version")), "$.version", "missing; this library reads version 1" },

        // The book.
        { "missing name", Change(root => root.Remove("name")), "$.name", "missing; a price book needs a name" },
        { "blank name", Change(root => root["name"] = " "), "$.name", "blank; a price book needs a name" },
        { "name not a string", Change(root => root["name"] = 5), "$.name", "expected a string" },
        { "missing tables", Change(root => root.Remove("tables")), "$.tables", "missing; a price book needs at least one table" },
        { "empty tables", Change(root => root["tables"] = new JsonArray()), "$.tables", "empty; a price book needs at least one table" },
        { "tables not an array", Change(root => root["tables"] = 5), "$.tables", "expected an array of table objects" },
        { "tiers not an array", Change(root => Table(root, 0)["tiers"] = 5), "$.tables[0].tiers", "expected an array of tier objects" },
        { "unknown property with a space", Change(root => Table(root, 0)["tier mode"] = "graduated"), "$.tables[0]['tier mode']", "unknown property 'tier mode'; a table has service, displayName, currency, tierMode, thresholdRule, tierWindow, billingIncrementSeconds, minimumSecondsPerRecord, freeHoursPerMonth, freeHoursCountTowardTier, packHoursCountTowardTier, effectiveFrom, source, tiers" },
        { "null table", Change(root => root["tables"]![0] = null), "$.tables[0]", "null; expected a table object" },
        { "table not an object", Change(root => root["tables"]![1] = "real-time"), "$.tables[1]", "expected a table object" },
        { "unknown book property", Change(root => root["comment"] = "hi"), "$.comment", "unknown property 'comment'; a price book has format, version, name, tables" },
        { "unknown property with a line feed", Change(root => root["a\nb"] = 1), "$['a\nb']", "unknown property 'a\nb'; a price book has format, version, name, tables" },
        { "unknown non-ASCII property", Change(root => Tier(root, 0, 0)["é"] = 1), "$.tables[0].tiers[0].é", "unknown property 'é'; a tier has from, unitPrice" },

        // A table.
        { "missing service", Change(root => Table(root, 1).Remove("service")), "$.tables[1].service", "missing; give the service id, such as real-time" },
        { "invalid service id", Change(root => Table(root, 1)["service"] = "Real Time"), "$.tables[1].service", "A service id is lower-case ASCII letters, digits and single dashes, such as aws-transcribe-standard, but was 'Real Time'." },
        { "missing currency", Change(root => Table(root, 0).Remove("currency")), "$.tables[0].currency", "missing; give an ISO 4217 code such as USD" },
        { "invalid currency", Change(root => Table(root, 0)["currency"] = "usd"), "$.tables[0].currency", "Currency should be a three-letter upper-case ISO 4217 code such as USD, but was 'usd'." },
        { "unknown tier mode", Change(root => Table(root, 0)["tierMode"] = "x"), "$.tables[0].tierMode", "unknown mode 'x'; use volume or graduated" },
        { "unknown threshold rule", Change(root => Table(root, 0)["thresholdRule"] = "round-half"), "$.tables[0].thresholdRule", "unknown threshold rule 'round-half'; use reach-moves-up or up-to-inclusive" },
        { "unknown tier window", Change(root => Table(root, 0)["tierWindow"] = "Week"), "$.tables[0].tierWindow", "unknown window 'Week'; use day or month" },
        { "increment below 1 s", Change(root => Table(root, 0)["billingIncrementSeconds"] = 0), "$.tables[0].billingIncrementSeconds", "must be at least 1 second (was 0)" },
        { "fractional increment", Change(root => Table(root, 0)["billingIncrementSeconds"] = 1.5m), "$.tables[0].billingIncrementSeconds", "expected a whole number" },
        { "negative minimum", Change(root => Table(root, 0)["minimumSecondsPerRecord"] = -1), "$.tables[0].minimumSecondsPerRecord", "must not be negative (was -1)" },
        { "negative allowance", Change(root => Table(root, 0)["freeHoursPerMonth"] = -0.5m), "$.tables[0].freeHoursPerMonth", "must not be negative (was -0.5)" },
        { "allowance flag not a boolean", Change(root => Table(root, 0)["freeHoursCountTowardTier"] = "yes"), "$.tables[0].freeHoursCountTowardTier", "expected true or false" },
        { "missing effective date", Change(root => Table(root, 1).Remove("effectiveFrom")), "$.tables[1].effectiveFrom", "missing; give the first billing date of these prices, such as 2025-08-19" },
        { "invalid effective date", Change(root => Table(root, 1)["effectiveFrom"] = "2025-13-01"), "$.tables[1].effectiveFrom", "expected an ISO date such as 2025-08-19 (The month 13 is out of range in year 2025. Value being parsed: '2025-13-01'.)" },
        { "effective date not a string", Change(root => Table(root, 1)["effectiveFrom"] = 20250819), "$.tables[1].effectiveFrom", "expected an ISO date such as 2025-08-19" },
        { "same service and date twice", Change(root => Table(root, 1)["service"] = "real-time"), "$.tables[1].effectiveFrom", "a second table for real-time effective from 2025-08-19 (the first is $.tables[0]); a service has one table per effective date" },
        { "unknown table property", Change(root => Table(root, 0)["tierMod"] = "graduated"), "$.tables[0].tierMod", "unknown property 'tierMod'; a table has service, displayName, currency, tierMode, thresholdRule, tierWindow, billingIncrementSeconds, minimumSecondsPerRecord, freeHoursPerMonth, freeHoursCountTowardTier, packHoursCountTowardTier, effectiveFrom, source, tiers" },
        { "two display names for one service", Change(root => { Table(root, 0)["service"] = "acme-asr"; Table(root, 0)["displayName"] = "Acme"; Table(root, 1)["service"] = "acme-asr"; Table(root, 1)["displayName"] = "ACME ASR"; Table(root, 1)["effectiveFrom"] = "2026-01-01"; }), "$.tables[1].displayName", "'ACME ASR' differs from 'Acme', the display name of acme-asr at $.tables[0]; a service has one display name" },

        // Tiers.
        { "missing tiers", Change(root => Table(root, 0).Remove("tiers")), "$.tables[0].tiers", "missing; a table needs at least one tier, the first from 0" },
        { "empty tiers", Change(root => Table(root, 0)["tiers"] = new JsonArray()), "$.tables[0].tiers", "empty; a table needs at least one tier, the first from 0" },
        { "null tier", Change(root => Table(root, 0)["tiers"]![1] = null), "$.tables[0].tiers[1]", "null; expected a tier object" },
        { "tier not an object", Change(root => Table(root, 0)["tiers"]![1] = new JsonArray(300, 1.2)), "$.tables[0].tiers[1]", "expected a tier object" },
        { "first tier not at 0", Change(root => Tier(root, 0, 0)["from"] = 5), "$.tables[0].tiers[0].from", "the first tier must start at 0 (was 5)" },
        { "thresholds descending", Change(root => { Tier(root, 1, 1)["from"] = 1000; Tier(root, 1, 2)["from"] = 300; }), "$.tables[1].tiers[2].from", "thresholds must be strictly ascending (300 after 1000)" },
        { "thresholds equal", Change(root => Tier(root, 1, 2)["from"] = 300), "$.tables[1].tiers[2].from", "thresholds must be strictly ascending (300 after 300)" },
        { "negative price", Change(root => Tier(root, 1, 1)["unitPrice"] = -0.95m), "$.tables[1].tiers[1].unitPrice", "prices must not be negative (was -0.95)" },
        { "price not a number", Change(root => Tier(root, 0, 1)["unitPrice"] = true), "$.tables[0].tiers[1].unitPrice", "expected a number, such as 1.4 or \"1.4\", but found true" },
        { "price an unparsable string", Change(root => Tier(root, 0, 1)["unitPrice"] = "1,2"), "$.tables[0].tiers[1].unitPrice", "expected a number, such as 1.4 or \"1.4\", but the string was '1,2'" },
        { "threshold not a number", Change(root => Tier(root, 0, 1)["from"] = new JsonObject()), "$.tables[0].tiers[1].from", "expected a number, such as 1.4 or \"1.4\", but found an object" },
        { "price beyond decimal", Valid.Replace("\"unitPrice\": 1.2", "\"unitPrice\": 1e400", StringComparison.Ordinal), "$.tables[0].tiers[1].unitPrice", "the number 1e400 is outside the range of a decimal (about ±7.9e28)" },
        { "missing threshold", Change(root => Tier(root, 0, 1).Remove("from")), "$.tables[0].tiers[1].from", "missing; give the tier's threshold in hours" },
        { "missing price", Change(root => Tier(root, 0, 1).Remove("unitPrice")), "$.tables[0].tiers[1].unitPrice", "missing; give the tier's price per hour" },
        { "unknown tier property", Change(root => Tier(root, 0, 0)["to"] = 300), "$.tables[0].tiers[0].to", "unknown property 'to'; a tier has from, unitPrice" },
    };

    [Theory]
    [MemberData(nameof(InvalidBooks))]
    public void Load_BrokenRule_ThrowsFormatExceptionWithPathAndRule(string rule, string json, string path, string message)
    {
        _ = rule;

        var error = FluentActions.Invoking(() => PriceBookJson.Load(json)).Should().ThrowExactly<PriceBookFormatException>().Which;

        error.Path.Should().Be(path);
        error.Message.Should().Be($"{path}: {message}");
    }

    [Fact]
    public void Load_TextWithAnUnpairedSurrogate_ThrowsFormatException()
    {
        var json = Valid.Replace("Test book", "Test \uD800 book", StringComparison.Ordinal);

        var error = FluentActions.Invoking(() => PriceBookJson.Load(json)).Should().ThrowExactly<PriceBookFormatException>().Which;

        error.Path.Should().Be("$");
        error.Message.Should().Be($"$: the text is not valid Unicode: an unpaired surrogate at character {json.IndexOf('\uD800', StringComparison.Ordinal)}");
    }

    [Fact]
    public void Load_StreamWithInvalidUtf8_ThrowsFormatException()
    {
        var bytes = Encoding.UTF8.GetBytes(Valid);
        var at = Valid.IndexOf("Test book", StringComparison.Ordinal);
        bytes[at] = 0xFF;

        var error = FluentActions.Invoking(() => PriceBookJson.Load(new MemoryStream(bytes))).Should().ThrowExactly<PriceBookFormatException>().Which;

        error.Path.Should().Be("$.name");
        error.Message.Should().Be("$.name: invalid text in a string: Cannot transcode invalid UTF-8 JSON text to UTF-16 string.");
    }

    // ---- Fuzzing: nothing but PriceBookFormatException escapes, and every call is quick ----

    [Property(MaxTest = 300)]
    public void Load_RandomText_ThrowsOnlyFormatErrors(NonNull<string> text) =>
        LoadsOrFailsCleanly(() => PriceBookJson.Load(text.Get));

    [Property(MaxTest = 300)]
    public void Load_RandomBytes_ThrowsOnlyFormatErrors(NonNull<byte[]> bytes) =>
        LoadsOrFailsCleanly(() => PriceBookJson.Load(new MemoryStream(bytes.Get)));

    [Property(MaxTest = 300)]
    public void Load_RandomTokensAfterAValidHeader_ThrowsOnlyFormatErrors(int seed, PositiveInt length) =>
        LoadsOrFailsCleanly(() => PriceBookJson.Load(PriceBookJsonMutations.RandomTokens(seed, length.Get % 60)));

    [Property(MaxTest = 1500)]
    public void Load_MutatedBuiltInJson_ThrowsOnlyFormatErrors(int seed, PositiveInt mutations) =>
        LoadsOrFailsCleanly(() => PriceBookJson.Load(PriceBookJsonMutations.Mutate(EmbeddedText(), seed, (mutations.Get % 4) + 1)));

    // ---- An example file of another vendor's published model ----

    private static readonly decimal[] AwsPerMinute = [0.024m, 0.015m, 0.0102m, 0.0078m];

    private static readonly long[] AwsThresholdMinutes = [0, 250_000, 1_000_000, 5_000_000];

    [Fact]
    public void AwsExample_LoadsAsGraduatedMonthlyTiersBilledPerSecondWithA15SecondMinimum()
    {
        var book = ExamplePriceFiles.AwsTranscribeUsEast1();

        var table = book.Tables.Should().ContainSingle().Subject;
        table.Service.Id.Should().Be("aws-transcribe-standard");
        table.Service.DisplayName.Should().Be("Amazon Transcribe standard batch transcription, US East (N. Virginia)");
        table.Currency.Should().Be("USD");
        table.EffectiveFrom.Should().Be(new LocalDate(2026, 11, 26));
        table.Rules.Should().Be(new PriceRules(TierMode.Graduated, ThresholdRule.UpToInclusive, TierWindow.Month, incrementSeconds: 1, minimumSeconds: 15));
        table.Tiers.Select(t => t.UnitPrice.Amount).Should().Equal(AwsPerMinute.Select(p => p * 60));
        table.Tiers.Select(t => t.UnitPrice.Amount).Should().Equal(1.44m, 0.9m, 0.612m, 0.468m);
        table.Source.Should().Contain("https://aws.amazon.com/transcribe/pricing/").And.Contain("as of 2026-11-26");
        PriceBookJson.Load(PriceBookJson.Save(book)).Tables.Should().Equal(book.Tables);
    }

    [Fact]
    public void AwsExample_ThresholdsAreTheMinuteBoundariesRoundedUpInTheLastDigitADecimalHolds()
    {
        var tiers = ExamplePriceFiles.AwsTranscribeUsEast1().Tables[0].Tiers;
        var maxMantissa = BigInteger.Parse("79228162514264337593543950335", CultureInfo.InvariantCulture);

        tiers.Should().HaveCount(AwsThresholdMinutes.Length);
        tiers[0].FromHours.Should().Be(0m);
        for (var i = 1; i < tiers.Length; i++)
        {
            // hours × 60 ≥ minutes, with the smallest mantissa at the largest scale that fits.
            var (mantissa, scale) = ExpectedPrices.Split(tiers[i].FromHours);
            var exact = AwsThresholdMinutes[i] * BigInteger.Pow(10, scale);
            (mantissa * 60).Should().BeGreaterThanOrEqualTo(exact, "tier {0} must not start below its minute boundary", i + 1);
            ((mantissa - 1) * 60).Should().BeLessThan(exact, "tier {0} is rounded up in its last digit only", i + 1);
            (mantissa * 10).Should().BeGreaterThan(maxMantissa, "tier {0} has as many digits as a decimal holds", i + 1);
        }
    }

    [Fact]
    public void AwsExample_WholeSecondTotalsStayInATierUpToAndIncludingItsMinuteBoundary()
    {
        var table = ExamplePriceFiles.AwsTranscribeUsEast1().Tables[0];

        for (var i = 1; i < AwsThresholdMinutes.Length; i++)
        {
            var boundary = AwsThresholdMinutes[i] * 60;
            table.FindTierBySeconds(boundary - 1).Number.Should().Be(i);
            table.FindTierBySeconds(boundary).Number.Should().Be(i, "'first 250,000 minutes' includes the last second of minute 250,000");
            table.FindTierBySeconds(boundary + 1).Number.Should().Be(i + 1);
        }
    }

    [Fact]
    public void AwsExample_GraduatedFeesEqualTheExactMinuteBasedFeesToTheCent()
    {
        // Totals around every boundary, including the fees of exactly half a cent (for example
        // 500 s past 5,000,000 min: 58,050.065 USD), which a threshold rounded down would round down.
        var table = ExamplePriceFiles.AwsTranscribeUsEast1().Tables[0];
        var totals = AwsThresholdMinutes.Skip(1).SelectMany(m => Enumerable.Range(-1200, 2401).Select(k => (m * 60) + k));

        foreach (var seconds in totals)
        {
            var fee = PriceCalculator.PriceSeconds(table, seconds).Fee.Amount;
            fee.Should().Be(Math.Round(AwsExactFee(seconds), 2, MidpointRounding.AwayFromZero), "the fee of {0} s", seconds);
        }
    }

    /// <summary>The graduated fee from the per-minute list in exact decimals: each slice of seconds at its price ÷ 60.</summary>
    private static decimal AwsExactFee(long seconds)
    {
        var fee = 0m;
        for (var i = 0; i < AwsThresholdMinutes.Length; i++)
        {
            var from = AwsThresholdMinutes[i] * 60;
            var to = i + 1 < AwsThresholdMinutes.Length ? AwsThresholdMinutes[i + 1] * 60 : long.MaxValue;
            if (seconds > from)
            {
                fee += (Math.Min(seconds, to) - from) * (AwsPerMinute[i] / 60m);
            }
        }

        return fee;
    }

    // ---- Helpers ----

    private static string EmbeddedText()
    {
        using var stream = typeof(PriceBook).Assembly.GetManifestResourceStream(BuiltInResource)!;
        using var reader = new StreamReader(stream, Encoding.UTF8);
        return reader.ReadToEnd();
    }

    /// <summary>A book with every rule away from its default, a custom service with two versions, exotic decimals and no source.</summary>
    private static PriceBook CustomBook()
    {
        var aws = AsrService.Create("aws-transcribe-standard", "Amazon Transcribe standard");
        var monthly = new PriceRules(TierMode.Graduated, ThresholdRule.UpToInclusive, TierWindow.Month, incrementSeconds: 15, minimumSeconds: 15, freeHoursPerMonth: 1.5m, freeHoursCountTowardTier: false);
        return new PriceBook(
            "Custom, with every rule",
            [
                PriceTable.FromThresholds(aws, new LocalDate(2024, 1, 1), "USD", [(0m, 1.44m), (4166.6666666666666666666666667m, 0.9m), (16666.666666666666666666666667m, 0.612m)], monthly, "Test data: \"quoted\", non-ASCII ≈ é, and a line\nbreak"),
                PriceTable.FromThresholds(aws, new LocalDate(2025, 6, 1), "USD", [(0m, 1.2m)], new PriceRules(window: TierWindow.Month, freeHoursPerMonth: 0.25m)),
                PriceTable.FromThresholds(AsrService.RealTime, new LocalDate(2025, 8, 19), "EUR", [(0m, 1.40m), (299.99999999999999999m, 0.86m), (1000m, 0.1000000000000000055511151231m)]),
            ]);
    }

    private static string Change(Action<JsonObject> change)
    {
        var root = JsonNode.Parse(Valid)!.AsObject();
        change(root);
        return root.ToJsonString();
    }

    private static JsonObject Table(JsonObject root, int index) => root["tables"]![index]!.AsObject();

    private static JsonObject Tier(JsonObject root, int table, int index) => Table(root, table)["tiers"]![index]!.AsObject();

    /// <summary>Runs Load on another thread: it must finish within the timeout and throw nothing but PriceBookFormatException.</summary>
    private static void LoadsOrFailsCleanly(Func<PriceBook> load)
    {
        var task = Task.Run(load);
        var finished = Task.WaitAny([task], LoadTimeout) == 0;

        finished.Should().BeTrue("Load should finish within {0}", LoadTimeout);
        if (task.IsFaulted)
        {
            task.Exception!.InnerException.Should().BeOfType<PriceBookFormatException>();
        }
    }
}
