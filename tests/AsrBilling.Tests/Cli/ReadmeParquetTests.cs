using System.Text.Json;
using Parquet.Schema;
using static AsrBilling.Tests.Parquet.ParquetTestFile;

namespace AsrBilling.Tests.Cli;

/// <summary>The README's "Parquet input" commands run as written, on files of the columns it names.</summary>
public sealed partial class ReadmeTests
{
    [Fact]
    public void ParquetInputCommands_RunAsWritten()
    {
        var section = Readme[Readme.IndexOf("### Parquet input", StringComparison.Ordinal)..];
        var commands = ShellBlocks(section[..section.IndexOf("\n## ", StringComparison.Ordinal)]).Single();
        // acme real-time 2025-09-01: 3600 s at 1.40 USD/h = 1.40 USD; row 2 is rejected (no offset).
        Save(Path.Combine(_dir, "usage.parquet"), Write(
            Text("id", "r1", "r2"),
            Text("account", "acme", "acme"),
            Text("service", "real-time", "real-time"),
            Text("start", "2025-09-01T02:00:00Z", "2025-09-01T03:00:00"),
            Values<double>("duration_seconds", 3600d, 60d)));
        // 315 h of real-time in one day: 315 × 1.20 = 378.00 USD.
        Save(Path.Combine(_dir, "totals.parquet"), Write(
            Text("account", "acme"),
            Text("service", "real-time"),
            (new DateTimeDataField("date", DateTimeFormat.Date, isNullable: true), new DateTime?[] { new DateTime(2025, 9, 1, 0, 0, 0, DateTimeKind.Utc) }),
            Values<long>("billable_seconds", 1_134_000L)));

        var runs = commands.Select(c => (Command: c, Run: RunLine(c, _dir))).ToList();

        runs.Should().HaveCount(2);
        runs.Should().OnlyContain(r => r.Run.Code == 0, string.Join("; ", runs.Select(r => r.Run.Err)));
        runs[0].Run.Out.Should().Contain("Total: 1.40 USD");
        File.ReadAllLines(Path.Combine(_dir, "rejects.csv"))[1].Should().StartWith("2,start: '2025-09-01T03:00:00' has no offset");
        using var json = JsonDocument.Parse(runs[1].Run.Out);
        json.RootElement.GetProperty("total").GetDecimal().Should().Be(378.00m);
    }
}
