namespace AsrBilling.Tests.Billing;

public class DailyTotalTableTests
{
    private static readonly LocalDate Day = new(2025, 9, 1);

    [Fact]
    public void From_MergesEqualKeys_AndOrdersByAccountServiceAndDate()
    {
        var table = DailyTotalTable.From(
        [
            new DailyTotal("beta", AsrService.RecordingFile, Day, 10),
            new DailyTotal("acme", AsrService.RecordingFile, Day.PlusDays(1), 5),
            new DailyTotal("acme", AsrService.RealTime, Day, 7, [KeyValuePair.Create("x", 4L)]),
            new DailyTotal("acme", AsrService.RecordingFile, Day.PlusDays(1), 6),
            new DailyTotal(null, AsrService.RealTime, Day, 1),
        ]);

        table.Select(t => t.ToString()).Should().Equal(
            "(default account) real-time 2025-09-01: 1 s",
            "acme real-time 2025-09-01: 7 s",
            "acme recording-file 2025-09-02: 11 s",
            "beta recording-file 2025-09-01: 10 s");
        table.Count.Should().Be(4);
        table.HasTagSeconds.Should().BeTrue();
        table[1].TagSeconds.Should().Equal(new Dictionary<string, long> { ["x"] = 4 });
        table[2].TagSeconds.Should().BeEmpty();
        table.Accounts.Should().Equal(string.Empty, "acme", "beta");
        table.TotalSeconds.Should().Be(29);
    }

    [Fact]
    public void Indexer_OutOfRange_Throws()
    {
        var table = DailyTotalTable.From([new DailyTotal("acme", AsrService.RealTime, Day, 1)]);

        var act = () => table[1];

        act.Should().Throw<ArgumentOutOfRangeException>();
        DailyTotalTable.Empty.Should().BeEmpty();
    }

    [Fact]
    public void ADefaultTotal_IsRefused() =>
        FluentActions.Invoking(() => DailyTotalTable.From([default])).Should().Throw<ArgumentException>();
}
