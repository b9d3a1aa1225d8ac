using NodaTime;

namespace AsrBilling.Csv;

/// <summary>Reads a daily-totals CSV (<c>account,service,date,billable_seconds</c>, any order) with Sylvan, in one pass.</summary>
internal static class DailyTotalsCsvReader
{
    public static UsageCsvResult Read(UsageCsvOptions csv, CsvSource source)
    {
        var (layout, headerBytes, rest) = CsvHeader.Read(source, CsvLayout.TotalsColumns, CsvLayout.TotalsRequired, "daily-total");
        using var stream = rest ?? CsvInput.OpenAt(source, headerBytes, long.MaxValue);
        using var reader = CsvInput.OpenData(stream, out var malformed) ?? throw new UsageCsvException(2, null, malformed!);
        var totals = new List<DailyTotal>();
        var rejects = new List<RejectedRow>();
        long line = 1, rows = 0;
        int account = layout["account"], service = layout["service"], date = layout["date"], seconds = layout["billable_seconds"];
        while (CsvInput.Read(reader, line))
        {
            line++;
            if (CsvInput.IsBlank(reader))
            {
                continue;
            }

            rows++;
            string? column = null, error = null;
            AsrService? parsedService = null;
            LocalDate parsedDate = default;
            long parsedSeconds = 0;
            if (reader.RowFieldCount != layout.FieldCount)
            {
                error = $"expected {layout.FieldCount} fields, found {reader.RowFieldCount}";
            }
            else if ((parsedService = FieldParsers.Service(reader.GetFieldSpan(service), csv.Billing.PriceBook.Services)) is null)
            {
                (column, error) = ("service", FieldParsers.UnknownService(reader.GetFieldSpan(service), csv.Billing.PriceBook.Services));
            }
            else if (!FieldParsers.TryDate(reader.GetFieldSpan(date), out parsedDate, out error)
                || (error = CsvInput.NoPrice(csv.Billing.PriceBook, parsedService, parsedDate)) is not null)
            {
                column = "date";
            }
            else if (!FieldParsers.TryWholeSeconds(reader.GetFieldSpan(seconds), out parsedSeconds, out error))
            {
                column = "billable_seconds";
            }

            if (error is null)
            {
                totals.Add(new DailyTotal(account >= 0 ? reader.GetFieldSpan(account).Trim().ToString() : null, parsedService!, parsedDate, parsedSeconds));
                continue;
            }

            if (!csv.KeepRejects)
            {
                throw new UsageCsvException(line, column, error);
            }

            rejects.Add(new RejectedRow(line, CsvInput.Reason(column, error), CsvInput.RawRow(reader)));
        }

        return new UsageCsvResult(DailyTotalTable.From(totals), rows, 0, rejects);
    }
}
