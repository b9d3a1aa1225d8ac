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
    public void GetService_FindsACustomServiceById_OrNamesTheBooksIds()
    {
        var mine = AsrService.Create("my-asr", "My ASR");
        var book = new PriceBook("mine", [Table(mine, First, 1m), Table(AsrService.RealTime, First, 1m)]);

        book.GetService("my-asr").Should().BeSameAs(mine);
        book.GetService("My-ASR").Should().BeSameAs(mine);
        book.TryGetService("real-time", out var realTime).Should().BeTrue();
        realTime.Should().BeSameAs(AsrService.RealTime);
        book.TryGetService("recording-file", out _).Should().BeFalse();
        book.TryGetService(null, out _).Should().BeFalse();

        var error = FluentActions.Invoking(() => book.GetService("your-asr")).Should().Throw<PriceNotFoundException>().Which;
        error.ServiceId.Should().Be("your-asr");
        error.Message.Should().Be("The price book 'mine' has no prices for your-asr. It prices: real-time, my-asr.");
        FluentActions.Invoking(() => book.GetService(null!)).Should().Throw<ArgumentNullException>();
    }

    [Fact]
    public void ReadmeScaleSnippet_BillsACustomBooksTotals()
    {
        // The README's "Scale" snippet as written, with a book whose only service is its own:
        // 2025-09-01 acme 3600 s + 1800 s = 5400 s × 1.00 ÷ 3600 = 1.50 USD.
        var book = new PriceBook("mine", [Table(AsrService.Create("my-asr", "My ASR"), First, 1m)]);
        var rows = new[]
        {
            (Account: "acme", Service: "my-asr", Date: new LocalDate(2025, 9, 1), BillableSeconds: 3600L),
            (Account: "acme", Service: "my-asr", Date: new LocalDate(2025, 9, 1), BillableSeconds: 1800L),
        };

        var totals = rows.Select(r => new DailyTotal(r.Account, book.GetService(r.Service), r.Date, r.BillableSeconds));
        Bill bill = PriceCalculator.Compute(totals, new BillingOptions(priceBook: book));   // totals with the same key are merged first

        bill.Total.Should().Be(new Money(1.50m, "USD"));
    }

    [Fact]
    public void ToString_IsName()
    {
        new PriceBook("my book", [Table(AsrService.RealTime, First, 1m)]).ToString().Should().Be("my book");
    }
}
