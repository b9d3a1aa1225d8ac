using System.Globalization;
using System.Text;
using AsrBilling.Cli.Sample;
using AsrBilling.Csv;
using AsrBilling.Sql;
using DuckDB.NET.Data;

namespace AsrBilling.Tests.Sql;

/// <summary>
/// Runs the generated daily-totals SQL in an in-process DuckDB over a usage CSV (every column read as
/// text, as a warehouse table of the CSV would hold it), and reads the same CSV with the library.
/// </summary>
internal static class DuckDbUsage
{
    public const string Header = "id,account,service,start,duration_seconds,tag";

    /// <summary>The daily totals the generated query returns, in its order.</summary>
    public static List<DailyTotal> Totals(string csv, PriceBook book, DateTimeZone? zone = null)
    {
        var sql = DailyTotalsSql.Generate(book, SqlDialect.DuckDb, "usage", zone);
        var path = Path.Combine(Path.GetTempPath(), $"asr-billing-sql-{Guid.NewGuid():N}.csv");
        File.WriteAllText(path, csv, new UTF8Encoding(false));
        try
        {
            using var connection = new DuckDBConnection("DataSource=:memory:");
            connection.Open();
            Execute(connection, $"CREATE TABLE usage AS SELECT * FROM read_csv('{path}', header = true, all_varchar = true, quote = '\"', delim = ',')");
            using var command = connection.CreateCommand();
            command.CommandText = sql;
            using var reader = command.ExecuteReader();
            var totals = new List<DailyTotal>();
            while (reader.Read())
            {
                var date = reader.GetFieldValue<DateOnly>(2);
                totals.Add(new DailyTotal(
                    reader.GetString(0), book.GetService(reader.GetString(1)), new LocalDate(date.Year, date.Month, date.Day), reader.GetInt64(3)));
            }

            return totals;
        }
        finally
        {
            File.Delete(path);
        }
    }

    /// <summary>The daily totals the library's CSV reader gives with duplicates ignored, in the query's order.</summary>
    public static List<DailyTotal> LibraryTotals(string csv, PriceBook book, DateTimeZone? zone = null) =>
        [.. UsageCsv.Read(new MemoryStream(Encoding.UTF8.GetBytes(csv)), new UsageCsvOptions { Billing = Options(book, zone), Threads = 1 }).Totals
            .OrderBy(t => t.Account, StringComparer.Ordinal).ThenBy(t => t.Service.Id, StringComparer.Ordinal).ThenBy(t => t.Date)];

    public static BillingOptions Options(PriceBook book, DateTimeZone? zone) =>
        new(priceBook: book, zone: zone ?? BillingOptions.ChinaStandardTime, duplicates: DuplicatePolicy.Ignore);

    /// <summary>A generated usage log (the sample command's), optionally without the services a book does not price.</summary>
    public static string Sample(int records, LocalDate from, int days, ulong seed, PriceBook? only = null)
    {
        using var stream = new MemoryStream();
        new UsageSampleGenerator(60, days, from, seed).Write(stream, records);
        var lines = Encoding.UTF8.GetString(stream.ToArray()).TrimEnd('\n').Split('\n');
        var kept = lines.Skip(1).Where(l => only is null || only.TryGetService(l.Split(',')[2], out _));
        return string.Join("\n", kept.Prepend(lines[0])) + "\n";
    }

    /// <summary>A usage CSV of rows (id, account, service, start, duration).</summary>
    public static string Csv(params (string Id, string Account, string Service, string Start, string Duration)[] rows) =>
        string.Concat(rows.Select(r => string.Create(CultureInfo.InvariantCulture, $"{r.Id},{r.Account},{r.Service},{r.Start},{r.Duration},\n")).Prepend(Header + "\n"));

    private static void Execute(DuckDBConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}
