using System.CommandLine;
using AsrBilling.Sql;

namespace AsrBilling.Cli.Commands;

/// <summary>
/// <c>asr-billing sql --dialect clickhouse|duckdb [--table NAME] [--prices NAME|FILE] [--zone ID]</c>:
/// prints the query that sums a usage table into the daily totals <c>bill --daily-totals</c> reads.
/// </summary>
internal static class SqlCommand
{
    public static Command Create()
    {
        var dialect = new Option<string>("--dialect")
        {
            Description = "The SQL engine: clickhouse (18.16 and later) or duckdb.",
            Required = true,
        }.OneOf("clickhouse", "duckdb");
        var table = new Option<string?>("--table")
        {
            Description = $"The usage table, with the usage CSV's columns (start as ISO-8601 text). Default: {DailyTotalsSql.DefaultTable}.",
            HelpName = "NAME",
        };
        var prices = CommonOptions.Prices();
        var zone = CommonOptions.Zone();

        var command = new Command("sql", "Print the SQL query that sums a usage table into daily totals for bill --daily-totals, with the price book's per-record rules.")
        {
            dialect, table, prices, zone,
        };
        command.SetAction(parsed =>
        {
            var book = CommonOptions.LoadPrices(parsed.GetValue(prices));
            var engine = parsed.GetValue(dialect) == "clickhouse" ? SqlDialect.ClickHouse : SqlDialect.DuckDb;
            var output = parsed.InvocationConfiguration.Output;
            output.WriteLine(DailyTotalsSql.Generate(book, engine, parsed.GetValue(table) ?? DailyTotalsSql.DefaultTable, parsed.GetValue(zone)) + ";");
            return CliApp.Success;
        });
        return command;
    }
}
