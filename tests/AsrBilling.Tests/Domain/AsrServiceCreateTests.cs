namespace AsrBilling.Tests.Domain;

/// <summary>Services of other price books: which ids <see cref="AsrService.Create"/> accepts.</summary>
public class AsrServiceCreateTests
{
    public static TheoryData<string> ValidIds { get; } = ["a", "9x", "aws-transcribe-standard", "a-b-c", new string('z', 64)];

    public static TheoryData<string> InvalidIds { get; } = ["", "-abc", "abc-", "a--b", "-", new string('z', 65), "Abc", "a_b", "a b", "REAL-TIME"];

    [Theory]
    [MemberData(nameof(ValidIds))]
    public void Create_AcceptsLowerCaseLettersDigitsAndSingleInnerDashes(string id)
    {
        var service = AsrService.Create(id, "Some service");

        (service.Id, service.DisplayName).Should().Be((id, "Some service"));
        service.Should().NotBeSameAs(AsrService.Create(id, "Some service")).And.Be(AsrService.Create(id, "Other name"));
    }

    [Theory]
    [MemberData(nameof(InvalidIds))]
    public void Create_RejectsAnyOtherId_QuotingIt(string id)
    {
        var error = FluentActions.Invoking(() => AsrService.Create(id, "Some service")).Should().ThrowExactly<ArgumentException>().Which;

        error.ParamName.Should().Be("id");
        error.Message.Should().StartWith(
            $"A service id is lower-case ASCII letters, digits and single dashes, such as aws-transcribe-standard, but was '{id}'.");
    }

    [Fact]
    public void Create_WithAWellKnownId_ReturnsTheWellKnownService()
    {
        AsrService.Create("real-time", "Ignored").Should().BeSameAs(AsrService.RealTime);
        AsrService.RealTime.DisplayName.Should().Be("Real-time speech recognition");
        FluentActions.Invoking(() => AsrService.Create(null!, "x")).Should().Throw<ArgumentNullException>().Which.ParamName.Should().Be("id");
        FluentActions.Invoking(() => AsrService.Create("x", null!)).Should().Throw<ArgumentNullException>().Which.ParamName.Should().Be("displayName");
    }
}
