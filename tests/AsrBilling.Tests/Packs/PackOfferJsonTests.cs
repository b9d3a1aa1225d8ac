namespace AsrBilling.Tests.Packs;

public class PackOfferJsonTests
{
    private const string ValidOffer = """{"name": "rt-1000", "service": "real-time", "hours": 1000, "price": 1800, "currency": "CNY"}""";

    private static string File(params string[] offers) =>
        $$"""{"format": "asr-billing-pack-offers", "version": 1, "offers": [{{string.Join(", ", offers)}}]}""";

    private static PackOfferList Load(string json) => PackOfferJson.Load(json, PriceBook.TencentCloudChina);

    [Fact]
    public void Load_ReadsAnOfferWithDefaults()
    {
        var list = Load(File(ValidOffer, """{"service": "recording-file", "hours": "60", "price": "90", "currency": "CNY", "validity": "P6M"}"""));

        list.Name.Should().Be("pack offers");
        list.Source.Should().BeNull();
        list[0].Should().Be(new PackOffer(AsrService.RealTime, 1000m, new Money(1800m, "CNY"), name: "rt-1000"));
        list[1].Should().Be(new PackOffer(AsrService.RecordingFile, 60m, new Money(90m, "CNY"), Period.FromMonths(6)));
        list[1].Name.Should().Be("recording-file 60 h");
    }

    [Fact]
    public void SaveThenLoad_GivesAnEqualList()
    {
        var china = PackOfferList.TencentCloudChina;

        var text = PackOfferJson.Save(china);

        Load(text).Equals(china).Should().BeTrue();
        text.Should().StartWith("{\n  \"format\": \"asr-billing-pack-offers\",\n  \"version\": 1,\n  \"name\": \"Tencent Cloud China site packs, undated copy\",").And.EndWith("}\n");
        text.Should().Contain("\"validity\": \"P1Y\"");
    }

    [Theory]
    [InlineData("""{"format": "asr-billing-packs", "version": 1, "offers": []}""", "$.format: expected \"asr-billing-pack-offers\" but was 'asr-billing-packs'")]
    [InlineData("""{"format": "asr-billing-pack-offers", "version": 2, "offers": []}""", "$.version: unsupported version 2; this library reads version 1")]
    [InlineData("""{"format": "asr-billing-pack-offers", "version": 1}""", "$.offers: missing; a pack-offer file lists its offers, [] for none")]
    [InlineData("""{"format": "asr-billing-pack-offers", "version": 1, "offers": [null]}""", "$.offers[0]: null; expected an offer object")]
    [InlineData("""{"format": "asr-billing-pack-offers", "version": 1, "offers": [{"service": "real-time", "hours": 30, "price": 90, "currency": "CNY", "size": 3}]}""", "$.offers[0].size: unknown property 'size'; a pack offer has name, service, hours, price, currency, validity")]
    public void BadFile_NamesThePath(string json, string message)
    {
        var act = () => Load(json);

        act.Should().Throw<PackOfferFormatException>().Which.Message.Should().StartWith(message);
    }

    [Theory]
    [InlineData("""{"hours": 30, "price": 90, "currency": "CNY"}""", "$.offers[1].service: missing; give the service id, such as real-time")]
    [InlineData("""{"service": "real-time-large-model", "hours": 30, "price": 90, "currency": "CNY"}""", "$.offers[1].service: unknown service 'real-time-large-model'; the price book 'Tencent Cloud China site, undated copy' prices real-time, recording-file")]
    [InlineData("""{"service": "real-time", "price": 90, "currency": "CNY"}""", "$.offers[1].hours: missing; give the hours of one pack, such as 1000")]
    [InlineData("""{"service": "real-time", "hours": 30, "currency": "CNY"}""", "$.offers[1].price: missing; give the price of one pack, such as 1800")]
    [InlineData("""{"service": "real-time", "hours": 30, "price": 90}""", "$.offers[1].currency: missing; give the price's currency, such as CNY")]
    [InlineData("""{"service": "real-time", "hours": 30, "price": 90, "currency": "USD"}""", "$.offers[1].currency: USD, but the price book 'Tencent Cloud China site, undated copy' prices real-time in CNY; give offers in the book's currency")]
    [InlineData("""{"service": "real-time", "hours": 0, "price": 90, "currency": "CNY"}""", "$.offers[1].hours: A pack's hours should be more than 0, but were 0.")]
    [InlineData("""{"service": "real-time", "hours": 30, "price": -90, "currency": "CNY"}""", "$.offers[1].price: An offer's price should not be negative, but was -90.00 CNY.")]
    [InlineData("""{"service": "real-time", "hours": 30, "price": 90, "currency": "CNY", "validity": "1 year"}""", "$.offers[1].validity: '1 year' is not an ISO-8601 period such as P1Y or P6M")]
    [InlineData("""{"service": "real-time", "hours": 30, "price": 90, "currency": "CNY", "validity": "PT5H"}""", "$.offers[1].validity: An offer's validity should be a positive number of days, weeks, months or years, such as P1Y, but was PT5H.")]
    [InlineData("""{"name": "rt-1000", "service": "real-time", "hours": 30, "price": 90, "currency": "CNY"}""", "$.offers[1].name: 'rt-1000' is also the name of $.offers[0]; offer names are unique (case-sensitive)")]
    public void BadOffer_NamesItsField(string offer, string message)
    {
        var act = () => Load(File(ValidOffer, offer));

        act.Should().Throw<PackOfferFormatException>().Which.Message.Should().Be(message);
    }

    [Fact]
    public void Load_FromAStream_SkipsTheByteOrderMark()
    {
        using var stream = new MemoryStream([0xEF, 0xBB, 0xBF, .. System.Text.Encoding.UTF8.GetBytes(File(ValidOffer))]);

        PackOfferJson.Load(stream, PriceBook.TencentCloudChina).Single().Name.Should().Be("rt-1000");
    }

    [Fact]
    public void ReadmeExample_LoadsToTheOffersItDescribes()
    {
        var readme = System.IO.File.ReadAllText(Path.Combine(Cli.ReadmeTests.RepositoryRoot(), "README.md")).ReplaceLineEndings("\n");
        var section = readme.IndexOf("### Choosing packs: the advisor", StringComparison.Ordinal);
        section.Should().BeGreaterThan(0);
        var start = readme.IndexOf("```json\n", section, StringComparison.Ordinal) + "```json\n".Length;
        var json = readme[start..readme.IndexOf("\n```", start, StringComparison.Ordinal)];

        var list = Load(json);

        list.Name.Should().Be("reseller packs");
        list.Should().Equal(
            new PackOffer(AsrService.RealTime, 500m, new Money(1000m, "CNY"), name: "rt-500"),
            new PackOffer(AsrService.RealTime, 2000m, new Money(3600m, "CNY"), Period.FromMonths(6), "rt-2000-half-year"));
        var error = FluentActions.Invoking(() => PackOfferJson.Load(json, PriceBook.TencentCloudInternational)).Should().Throw<PackOfferFormatException>().Which;
        readme.Should().Contain($"`{error.Message}`");
    }
}
