namespace AsrBilling.Tests.Domain;

public class AsrServiceTests
{
    public static TheoryData<string, string> Ids { get; } = new()
    {
        { "real-time", "real-time" },
        { "real-time-large-model", "real-time-large-model" },
        { "recording-file", "recording-file" },
        { "recording-file-large-model", "recording-file-large-model" },
        { "REAL-TIME", "real-time" },
        { "Recording-File-Large-Model", "recording-file-large-model" },
    };

    [Theory]
    [MemberData(nameof(Ids))]
    public void Parse_KnownId_ReturnsWellKnownInstance(string text, string id)
    {
        var service = AsrService.Parse(text);

        service.Should().BeSameAs(ExpectedPrices.Service(id));
        service.Id.Should().Be(id);
        service.ToString().Should().Be(id);
        AsrService.TryParse(text, out var parsed).Should().BeTrue();
        parsed.Should().BeSameAs(service);
    }

    [Theory]
    [InlineData("realtime")]
    [InlineData("real_time")]
    [InlineData(" real-time")]
    [InlineData("")]
    public void Parse_UnknownId_ThrowsListingValidIds(string text)
    {
        FluentActions.Invoking(() => AsrService.Parse(text))
            .Should().ThrowExactly<FormatException>()
            .WithMessage($"*'{text}'*real-time, real-time-large-model, recording-file, recording-file-large-model*");
        AsrService.TryParse(text, out _).Should().BeFalse();
    }

    [Fact]
    public void Parse_Null_ThrowsArgumentNull()
    {
        FluentActions.Invoking(() => AsrService.Parse(null!)).Should().Throw<ArgumentNullException>();
        AsrService.TryParse(null, out _).Should().BeFalse();
    }

    [Fact]
    public void All_HasFourServicesInPriceListOrder()
    {
        AsrService.All.Select(s => s.Id).Should().Equal(ExpectedPrices.ServiceIds);
        AsrService.All.Should().OnlyHaveUniqueItems();
    }

    [Fact]
    public void Equals_ComparesById()
    {
        var parsed = AsrService.Parse("real-time");

        (parsed == AsrService.RealTime).Should().BeTrue();
        parsed.Equals((object)AsrService.RealTime).Should().BeTrue();
        parsed.GetHashCode().Should().Be(AsrService.RealTime.GetHashCode());
        (AsrService.RealTime != AsrService.RealTimeLargeModel).Should().BeTrue();
        AsrService.RealTime.Equals(null).Should().BeFalse();
        (AsrService.RealTime == null).Should().BeFalse();
        ((AsrService?)null == null).Should().BeTrue();
    }

    [Fact]
    public void DisplayName_IsThePriceListName()
    {
        AsrService.RealTime.DisplayName.Should().Be("Real-time speech recognition");
        AsrService.RecordingFile.DisplayName.Should().Be("Recording file recognition");
    }
}
