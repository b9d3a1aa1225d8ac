using AsrBilling.Sql;

namespace AsrBilling.Tests.Cli;

public class SqlCommandTests
{
    [Fact]
    public void Sql_PrintsTheLibrarysQueryForTheOptions_AsOneStatement()
    {
        var (code, output, error) = CliRunner.Run("sql", "--dialect", "duckdb", "--table", "events.usage", "--prices", "tencent-cloud-china", "--zone", "Europe/Berlin");

        code.Should().Be(0, error);
        var expected = DailyTotalsSql.Generate(PriceBook.TencentCloudChina, SqlDialect.DuckDb, "events.usage", DateTimeZoneProviders.Tzdb["Europe/Berlin"]);
        output.Should().Be(expected + ";\n");
        output.Should().Contain(" \"events\".\"usage\"\n").And.Contain("timezone('Europe/Berlin', ");
    }

    [Fact]
    public void Sql_ByDefault_ReadsTableUsageInShanghaiWithTheInternationalBook()
    {
        var (code, output, _) = CliRunner.Run("sql", "--dialect", "clickhouse");

        code.Should().Be(0);
        output.Should().StartWith("-- Daily totals of the usage table usage for `asr-billing bill --daily-totals`")
            .And.Contain("'Tencent Cloud international, 2025-08-19'")
            .And.Contain(" `usage`\n")
            .And.Contain("'Asia/Shanghai')")
            .And.EndWith("ORDER BY account, service, date;\n");
    }

    [Theory]
    [InlineData(new[] { "sql" }, "--dialect")]
    [InlineData(new[] { "sql", "--dialect", "postgres" }, "--dialect: 'postgres' is not one of clickhouse, duckdb.")]
    [InlineData(new[] { "sql", "--dialect", "duckdb", "--zone", "Mars/Olympus" }, "--zone: unknown time zone 'Mars/Olympus'")]
    public void Sql_WithAMalformedCommandLine_ExitsWith2(string[] args, string message)
    {
        var (code, output, error) = CliRunner.Run(args);

        code.Should().Be(2);
        output.Should().BeEmpty();
        error.Should().Contain(message);
    }

    [Fact]
    public void Sql_WithATableNameThatIsNotPlain_ExitsWith1()
    {
        var (code, output, error) = CliRunner.Run("sql", "--dialect", "duckdb", "--table", "usage;drop");

        code.Should().Be(1);
        output.Should().BeEmpty();
        error.Should().Contain("A table is named with ASCII letters, digits and underscores, optionally as database.table, but was 'usage;drop'.");
    }
}
