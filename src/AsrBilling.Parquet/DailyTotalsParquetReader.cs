using AsrBilling.Csv;
using NodaTime;
using Parquet;

namespace AsrBilling.Parquet;

/// <summary>Reads daily totals (<c>account,service,date,billable_seconds</c>, any order) from Parquet, with the CSV reader's checks and wording.</summary>
internal static class DailyTotalsParquetReader
{
    public static async ValueTask<UsageParquetResult> ReadAsync(ParquetReader reader, Stream file, UsageParquetOptions options)
    {
        var layout = ParquetLayout.Find(reader.Schema, ParquetLayout.TotalsColumns, ParquetLayout.TotalsRequired, "daily-total");
        var account = TypedFields.Text(layout, "account");
        var service = TypedFields.Text(layout, "service")!;
        var date = TypedFields.Date(layout);
        var seconds = TypedFields.WholeSeconds(layout);
        var fields = reader.Schema.DataFields.ToList();
        ParquetColumn[] columns = [.. new ParquetColumn?[] { account, service, date, seconds }.OfType<ParquetColumn>().OrderBy(c => fields.IndexOf(c.Field))];
        var book = options.Billing.PriceBook;
        var totals = new List<DailyTotal>();
        var rejects = new List<RejectedParquetRow>();
        long rowsRead = 0;
        await ParquetInput.ForEachGroupAsync(reader, file, columns, (rows, firstRow) =>
        {
            for (var i = 0; i < rows; i++)
            {
                rowsRead++;
                string? column = null, error = null;
                AsrService? parsedService;
                LocalDate parsedDate = default;
                long parsedSeconds = 0;
                if ((parsedService = FieldParsers.Service(FieldParsers.Trim(service.Text(i)), book.Services)) is null)
                {
                    (column, error) = ("service", FieldParsers.UnknownService(service.Text(i), book.Services));
                }
                else if (!TryDate(date, i, out parsedDate, out error) || (error = BillableStarts.NoPrice(book, parsedService, parsedDate)) is not null)
                {
                    column = "date";
                }
                else if (!TypedFields.TryWholeSeconds(seconds, i, out parsedSeconds, out error))
                {
                    column = "billable_seconds";
                }

                if (error is null)
                {
                    var name = account is null ? null : FieldParsers.Trim(account.Text(i)).ToString();
                    totals.Add(new DailyTotal(string.IsNullOrEmpty(name) ? null : name, parsedService!, parsedDate, parsedSeconds));
                    continue;
                }

                if (!options.KeepRejects)
                {
                    throw new UsageParquetException(firstRow + i, column, error);
                }

                rejects.Add(new RejectedParquetRow(firstRow + i, ParquetInput.Reason(column, error), ParquetInput.Values(columns, i)));
            }

            return true;
        }).ConfigureAwait(false);
        return new UsageParquetResult(DailyTotalTable.From(totals), rowsRead, 0, rejects);
    }

    private static bool TryDate(ParquetColumn column, int row, out LocalDate date, out string? error)
    {
        date = default;
        error = null;
        if (column.IsNull(row))
        {
            error = "the date is null";
            return false;
        }

        if (column is ValueColumn<DateTime> typed)
        {
            date = LocalDate.FromDateTime(typed.Value(row));
            return true;
        }

        return FieldParsers.TryDate(((TextColumn)column).Text(row), out date, out error);
    }
}
