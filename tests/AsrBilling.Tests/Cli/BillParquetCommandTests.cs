using System.Text.Json;
using Parquet.Schema;
using static AsrBilling.Tests.Parquet.ParquetTestFile;

namespace AsrBilling.Tests.Cli;

/// <summary><c>bill FILE.parquet</c>: the same bill, rejects and exit codes as from a CSV.</summary>
public sealed class BillParquetCommandTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("asr-billing-parquet-cli-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void Bill_ParquetFile_IsReadByItsExtension()
    {
        // acme real-time 2025-09-01 (Asia/Shanghai): 3600 s + 0.2 s (bills 1 s) = 3601 s at 1.40 USD/h = 1.40;
        // beta's 20:00Z is 04:00 on 2025-09-02: 1800 s of recording file at 1.00 USD/h = 0.50. Total 1.90 USD.
        var start = new DateTime(2025, 9, 1, 2, 0, 0, DateTimeKind.Utc);
        var file = Save(Path.Combine(_dir, "usage.parquet"), Write(
            Text("id", "a", "b", "c"),
            Text("account", "acme", "acme", "beta"),
            Text("service", "real-time", "real-time", "recording-file"),
            Timestamp("start", DateTimeTimeUnit.Micros, start, start.AddHours(1), start.AddHours(18)),
            Values<double>("duration_seconds", 3600d, 0.2, 1800d)));

        var (code, output, error) = CliRunner.Run("bill", file, "--format", "json");

        code.Should().Be(0, error);
        using var json = JsonDocument.Parse(output);
        json.RootElement.GetProperty("total").GetDecimal().Should().Be(1.90m);
        json.RootElement.GetProperty("charges").EnumerateArray().Select(c => c.GetProperty("fee").GetDecimal()).Should().Equal(1.40m, 0.50m);
        json.RootElement.GetProperty("rows").GetProperty("read").GetInt64().Should().Be(3);
    }

    [Fact]
    public void Bill_ParquetBadRow_StopsWithRowColumnAndReason()
    {
        var file = Save(Path.Combine(_dir, "bad.parquet"), Write(
            Text("service", "real-time", "real-time"),
            Text("start", "2025-09-02T01:00:00Z", "2025-09-02T01:00:00"),
            Text("duration_seconds", "60", "60")));

        var (code, output, error) = CliRunner.Run("bill", file);

        code.Should().Be(1);
        output.Should().BeEmpty();
        error.Should().StartWith("asr-billing: row 2, column start: '2025-09-02T01:00:00' has no offset");
    }

    [Fact]
    public void Bill_ParquetRejects_BillsValidRowsAndLosesNone()
    {
        // Billed: r1, 1 h of acme real-time (1.40 USD). Rejected: row 2 (bad start), row 3 (r1 again), row 4 (unknown service).
        var file = Save(Path.Combine(_dir, "mixed.parquet"), Write(
            Text("id", "r1", "r2", "r1", "r4"),
            Text("account", "acme", "acme", "acme", "=cmd"),
            Text("service", "real-time", "real-time", "real-time", "speech"),
            Text("start", "2025-09-02T01:00:00Z", "not-a-time", "2025-09-02T02:00:00Z", "2025-09-02T03:00:00Z"),
            Values<long>("duration_seconds", 3600L, 60L, 3600L, 60L)));
        var rejects = Path.Combine(_dir, "rejects.csv");

        var (code, output, error) = CliRunner.Run("bill", file, "--rejects", rejects, "--format", "json");

        code.Should().Be(0, error);
        error.Should().Contain("read 4 rows: billed 1, duplicates ignored 0, rejected 3");
        using var json = JsonDocument.Parse(output);
        json.RootElement.GetProperty("total").GetDecimal().Should().Be(1.40m);
        var lines = File.ReadAllLines(rejects);
        lines[0].Should().Be("row,reason,values");
        lines.Skip(1).Select(l => l.Split(',')[0]).Should().Equal("2", "3", "4");
        lines[1].Should().Contain("start: 'not-a-time' is not an ISO-8601 instant").And.EndWith("r2,acme,real-time,not-a-time,60\"");
        lines[2].Should().Contain("id: duplicate id 'r1', first seen on row 1");
        lines[3].Should().Contain("service: unknown service id 'speech'").And.EndWith(",\"r4,=cmd,speech,2025-09-02T03:00:00Z,60\"");
    }

    [Fact]
    public void Bill_DailyTotalsParquet_PricesTotalsFromAnotherEngine()
    {
        // 315 h → 378.00 (tier 2); 1,079,999 s is 1 s short of 300 h → tier 1: 419.99961… → 420.00.
        var file = Save(Path.Combine(_dir, "totals.parquet"), Write(
            Text("account", "acme", "acme"),
            Text("service", "real-time", "real-time"),
            Text("date", "2025-09-02", "2025-09-03"),
            Values<long>("billable_seconds", 1_134_000L, 1_079_999L)));

        var (code, output, error) = CliRunner.Run("bill", file, "--daily-totals", "--format", "json");

        code.Should().Be(0, error);
        using var json = JsonDocument.Parse(output);
        json.RootElement.GetProperty("charges").EnumerateArray().Select(c => c.GetProperty("fee").GetDecimal()).Should().Equal(378.00m, 420.00m);
    }

    [Fact]
    public void Bill_ParquetWithoutARequiredColumn_SaysWhich()
    {
        var file = Save(Path.Combine(_dir, "nostart.parquet"), Write(Text("service", "real-time"), Text("duration_seconds", "60")));

        var (code, output, error) = CliRunner.Run("bill", file);

        code.Should().Be(1);
        output.Should().BeEmpty();
        error.Should().StartWith("asr-billing: column start: missing required column 'start'");
    }
}
