namespace AsrBilling.Tests.Domain;

public class PriceBookTests
{
    private static readonly LocalDate First = new(2025, 8, 19);
    private static readonly LocalDate Second = new(2026, 1, 1);

    private static PriceTable Table(AsrService service, LocalDate effective, decimal price) =>
        PriceTable.FromThresholds(service, effective, "USD", [(0m, price)]);

    [Fact]
    public void Constructor_DuplicateServiceAndDate_Throws()
    {
        var error = FluentActions.Invoking(() => new PriceBook(
                "dup", [Table(AsrService.RealTime, First, 1m), Table(AsrService.RealTime, First, 2m)]))
            .Should().Throw<PriceTableException>().Which;

        error.ServiceId.Should().Be("real-time");
        error.Message.Should().Contain("dup").And.Contain("real-time").And.Contain("2025-08-19");
    }

    [Fact]
    public void Constructor_SameDateDifferentServices_IsAllowed()
    {
        var book = new PriceBook("ok", [Table(AsrService.RecordingFile, First, 1m), Table(AsrService.RealTime, First, 1m)]);

        book.Services.Should().Equal(AsrService.RealTime, AsrService.RecordingFile);
    }

    [Fact]
    public void Constructor_NoTables_Throws()
    {
        FluentActions.Invoking(() => new PriceBook("empty", []))
            .Should().Throw<PriceTableException>().WithMessage("*'empty'*no tables*");
    }

    [Fact]
    public void Constructor_NullTable_Throws()
    {
        FluentActions.Invoking(() => new PriceBook("nulls", [Table(AsrService.RealTime, First, 1m), null!]))
            .Should().Throw<PriceTableException>().WithMessage("The price book 'nulls' holds a null table.");
    }

    [Fact]
    public void GetTable_TwoVersions_PicksVersionInForce()
    {
        var first = Table(AsrService.RealTime, First, 1m);
        var second = Table(AsrService.RealTime, Second, 2m);
        var book = new PriceBook("two", [second, first]);

        book.GetTable(AsrService.RealTime, First).Should().BeSameAs(first);
        book.GetTable(AsrService.RealTime, new LocalDate(2025, 12, 31)).Should().BeSameAs(first);
        book.GetTable(AsrService.RealTime, Second).Should().BeSameAs(second);
        book.GetLatestTable(AsrService.RealTime).Should().BeSameAs(second);
        book.Tables.Should().Equal(first, second);
        book.TryGetTable(AsrService.RealTime, new LocalDate(2025, 8, 18), out var none).Should().BeFalse();
        none.Should().BeNull();
    }

    [Fact]
    public void GetTable_BeforeEarliest_ThrowsPriceNotFound()
    {
        var book = new PriceBook("one", [Table(AsrService.RealTime, First, 1m)]);
        var date = new LocalDate(2024, 1, 1);

        var error = FluentActions.Invoking(() => book.GetTable(AsrService.RealTime, date)).Should().Throw<PriceNotFoundException>().Which;

        error.Date.Should().Be(date);
        error.EarliestEffectiveFrom.Should().Be(First);
        error.Message.Should().Contain("2024-01-01").And.Contain("2025-08-19");
    }

    [Fact]
    public void GetLatestTable_ServiceNotPriced_ThrowsListingPricedServices()
    {
        var book = new PriceBook("two", [Table(AsrService.RecordingFile, First, 1m), Table(AsrService.RealTime, First, 1m)]);

        var error = FluentActions.Invoking(() => book.GetLatestTable(AsrService.RecordingFileLargeModel))
            .Should().Throw<PriceNotFoundException>().Which;

        error.ServiceId.Should().Be("recording-file-large-model");
        error.EarliestEffectiveFrom.Should().BeNull();
        error.Message.Should().Be("The price book 'two' has no prices for recording-file-large-model. It prices: real-time, recording-file.");
    }

    [Fact]
    public void ToString_IsName()
    {
        new PriceBook("my book", [Table(AsrService.RealTime, First, 1m)]).ToString().Should().Be("my book");
    }
}
