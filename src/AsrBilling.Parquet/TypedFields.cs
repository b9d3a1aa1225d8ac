using AsrBilling.Csv;
using Parquet.Schema;

namespace AsrBilling.Parquet;

/// <summary>
/// Which Parquet types each column accepts, and how a typed value becomes what a CSV field would
/// give: Unix ticks for <c>start</c>, whole billable seconds for <c>duration_seconds</c>.
/// </summary>
internal static class TypedFields
{
    private static readonly long UnixEpochTicks = DateTime.UnixEpoch.Ticks;

    /// <summary>A text column: UTF-8 strings only.</summary>
    public static TextColumn? Text(ParquetLayout layout, string name, string accepted = "text (UTF-8 strings)") => layout[name] switch
    {
        null => null,
        { ClrType: var type } field when type == typeof(string) || type == typeof(ReadOnlyMemory<char>) => new TextColumn(name, field),
        var field => throw Unsupported(name, field, accepted),
    };

    /// <summary>The <c>start</c> column: a timestamp adjusted to UTC, or ISO-8601 text.</summary>
    public static ParquetColumn Start(ParquetLayout layout)
    {
        var field = layout["start"]!;
        return field switch
        {
            DateTimeDataField { IsAdjustedToUTC: true, DateTimeFormat: DateTimeFormat.Timestamp or DateTimeFormat.DateAndTime or DateTimeFormat.DateAndTimeMicros } =>
                new ValueColumn<DateTime>("start", field),
            DateTimeDataField { DateTimeFormat: DateTimeFormat.Timestamp or DateTimeFormat.DateAndTime or DateTimeFormat.DateAndTimeMicros } =>
                throw new UsageParquetException(0, "start", "the column 'start' is a timestamp not adjusted to UTC, which names no instant; write it adjusted to UTC, or as ISO-8601 text with Z or an offset"),
            _ => Text(layout, "start", "timestamps adjusted to UTC, or ISO-8601 text") ?? throw new InvalidOperationException("start is required"),
        };
    }

    /// <summary>The <c>duration_seconds</c> column: a decimal, an integer, a floating-point number, or text.</summary>
    public static ParquetColumn Duration(ParquetLayout layout)
    {
        const string name = "duration_seconds";
        var field = layout[name]!;
        var type = field.ClrType;
        return type == typeof(decimal) ? new ValueColumn<decimal>(name, field)
            : type == typeof(long) ? new ValueColumn<long>(name, field)
            : type == typeof(int) ? new ValueColumn<int>(name, field)
            : type == typeof(double) ? new ValueColumn<double>(name, field)
            : type == typeof(float) ? new ValueColumn<float>(name, field)
            : Text(layout, name, "decimals, integers, floating-point numbers, or text") is { } text ? text
            : throw new InvalidOperationException("duration_seconds is required");
    }

    public static UsageParquetException Unsupported(string name, DataField field, string accepted) =>
        new(0, name, $"the column '{field.Name}' holds {Describe(field)}, which this reader does not accept; it takes {accepted}");

    private static string Describe(DataField field) => field switch
    {
        DateTimeDataField { DateTimeFormat: DateTimeFormat.Impala } => "INT96 timestamps",
        DateTimeDataField { DateTimeFormat: DateTimeFormat.Date } => "dates",
        DateTimeDataField => "timestamps",
        DecimalDataField d => $"decimals ({d.Precision}, {d.Scale})",
        _ => field.ClrType.Name,
    };

    /// <summary>A typed start as Unix ticks: Parquet.Net gives UTC timestamps as <see cref="DateTime"/> ticks, to 100 ns as the CSV reader keeps them.</summary>
    public static long UnixTicks(DateTime utc) => utc.Ticks - UnixEpochTicks;

    /// <summary>Whole billable seconds of a row's duration; false, with the CSV reader's reason, when it is not valid.</summary>
    public static bool TrySeconds(ParquetColumn column, int row, out long seconds, out string? error)
    {
        error = null;
        seconds = 0;
        if (column.IsNull(row))
        {
            error = "the duration is null";
            return false;
        }

        switch (column)
        {
            case TextColumn text:
                return FieldParsers.TryBillableSeconds(text.Text(row), out seconds, out error);
            case ValueColumn<decimal> exact when exact.Value(row) is var value and >= 0m && decimal.Ceiling(value) <= long.MaxValue:
                seconds = (long)decimal.Ceiling(value); // billing rule 4: whole seconds, rounded up per record
                return true;
            case ValueColumn<long> whole when whole.Value(row) >= 0:
                seconds = whole.Value(row);
                return true;
            case ValueColumn<int> whole when whole.Value(row) >= 0:
                seconds = whole.Value(row);
                return true;
            case ValueColumn<double> binary when binary.Value(row) is var value and >= 0 and <= 9_007_199_254_740_992d && value == Math.Floor(value):
                seconds = (long)value; // a whole number below 2^53 is exact, so it needs no decimal
                return true;
            case ValueColumn<float> binary when binary.Value(row) is var value and >= 0 and <= 16_777_216f && value == MathF.Floor(value):
                seconds = (long)value;
                return true;
            default:
                // Fractions, negatives and the rest: the shortest round-trip text read as a decimal, with the CSV reader's wording.
                return FieldParsers.TryBillableSeconds(column.Render(row).AsSpan(), out seconds, out error);
        }
    }

    /// <summary>Whole seconds of a daily total; false, with the CSV reader's reason, when they are not valid.</summary>
    public static bool TryWholeSeconds(ParquetColumn column, int row, out long seconds, out string? error)
    {
        seconds = 0;
        switch (column)
        {
            case var _ when column.IsNull(row):
                error = "the seconds are null";
                return false;
            case TextColumn text:
                return FieldParsers.TryWholeSeconds(text.Text(row), out seconds, out error);
            case ValueColumn<long> whole when whole.Value(row) >= 0:
                (seconds, error) = (whole.Value(row), null);
                return true;
            case ValueColumn<int> whole when whole.Value(row) >= 0:
                (seconds, error) = (whole.Value(row), null);
                return true;
            default:
                return FieldParsers.TryWholeSeconds(column.Render(row).AsSpan(), out seconds, out error);
        }
    }

    /// <summary>The <c>billable_seconds</c> column: an integer, a decimal, or text.</summary>
    public static ParquetColumn WholeSeconds(ParquetLayout layout)
    {
        const string name = "billable_seconds";
        var field = layout[name]!;
        var type = field.ClrType;
        return type == typeof(long) ? new ValueColumn<long>(name, field)
            : type == typeof(int) ? new ValueColumn<int>(name, field)
            : Text(layout, name, "integers, or text") ?? throw new InvalidOperationException("billable_seconds is required");
    }

    /// <summary>The <c>date</c> column: a Parquet date, or text in the form YYYY-MM-DD.</summary>
    public static ParquetColumn Date(ParquetLayout layout) => layout["date"] switch
    {
        DateTimeDataField { DateTimeFormat: DateTimeFormat.Date } field => new ValueColumn<DateTime>("date", field),
        _ => Text(layout, "date", "dates, or text in the form YYYY-MM-DD") ?? throw new InvalidOperationException("date is required"),
    };
}
