namespace AsrBilling.Tests.Packs;

public class ResourcePackListTests
{
    private static readonly LocalDate January1 = new(2026, 1, 1);

    private static ResourcePack Pack(string id, decimal hours = 30m) =>
        new(id, AsrService.RealTime, hours, January1, new LocalDate(2026, 12, 31));

    [Fact]
    public void Constructor_KeepsTheGivenOrder()
    {
        var list = new ResourcePackList([Pack("c"), Pack("a"), Pack("b")]);

        list.Packs.Select(p => p.Id).Should().Equal("c", "a", "b");
        list.Select(p => p.Id).Should().Equal("c", "a", "b");
        list.Count.Should().Be(3);
        list[0].Id.Should().Be("c");
        list[2].Id.Should().Be("b");
    }

    [Fact]
    public void Constructor_DuplicateId_ThrowsNamingBothPositions()
    {
        FluentActions.Invoking(() => new ResourcePackList([Pack("a"), Pack("b"), Pack("a", 60m)]))
            .Should().Throw<ArgumentException>()
            .WithMessage("Pack ids should be unique, but 'a' is at positions 0 and 2.*")
            .Which.ParamName.Should().Be("packs");
    }

    [Fact]
    public void Constructor_IdsDifferingInCase_AreTwoPacks()
    {
        var list = new ResourcePackList([Pack("rt-1"), Pack("RT-1")]);

        list.Get("rt-1").Should().BeSameAs(list[0]);
        list.Get("RT-1").Should().BeSameAs(list[1]);
    }

    [Fact]
    public void Constructor_NullPack_Throws()
    {
        FluentActions.Invoking(() => new ResourcePackList([Pack("a"), null!]))
            .Should().Throw<ArgumentException>().WithMessage("The pack at position 1 is null.*");
        FluentActions.Invoking(() => new ResourcePackList(null!)).Should().Throw<ArgumentNullException>();
    }

    [Fact]
    public void Lookup_ById()
    {
        var list = new ResourcePackList([Pack("a"), Pack("b")]);

        list.TryGet("b", out var found).Should().BeTrue();
        found.Should().BeSameAs(list[1]);
        list.TryGet("B", out var none).Should().BeFalse();
        none.Should().BeNull();
        list.TryGet(null, out _).Should().BeFalse();
        FluentActions.Invoking(() => list.Get("z")).Should().Throw<KeyNotFoundException>().WithMessage("No pack has the id 'z'.");
    }

    [Fact]
    public void Equality_SamePacksInTheSameOrder()
    {
        var list = new ResourcePackList([Pack("a"), Pack("b")]);

        list.Equals(new ResourcePackList([Pack("a"), Pack("b")])).Should().BeTrue();
        list.GetHashCode().Should().Be(new ResourcePackList([Pack("a"), Pack("b")]).GetHashCode());
        list.Equals(new ResourcePackList([Pack("b"), Pack("a")])).Should().BeFalse();
        list.Equals(new ResourcePackList([Pack("a"), Pack("b", 31m)])).Should().BeFalse();
        list.Equals(new ResourcePackList([Pack("a")])).Should().BeFalse();
        ResourcePackList.Empty.Equals(new ResourcePackList([])).Should().BeTrue();
    }

    [Fact]
    public void ToString_CountsThePacks()
    {
        ResourcePackList.Empty.ToString().Should().Be("0 packs");
        new ResourcePackList([Pack("a")]).ToString().Should().Be("1 pack");
    }
}
