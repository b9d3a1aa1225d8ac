using System.Text;
using Sylvan.Data.Csv;

namespace AsrBilling.Csv;

/// <summary>What every reader shares to open a byte range and read it with Sylvan, and the wording of its errors.</summary>
internal static class CsvInput
{
    /// <summary>The longest row read, in characters: a longer one is an error, not a reason to run out of memory.</summary>
    public const int MaxRecordChars = 1 << 20;

    /// <summary>UTF-8 that keeps a byte-order mark in the data as a character, wherever a range starts.</summary>
    public static readonly UTF8Encoding NoBom = new(encoderShouldEmitUTF8Identifier: false);

    /// <summary>Sylvan's options; the delimiter is fixed, or Sylvan would guess it from the first record.</summary>
    public static CsvDataReaderOptions DataOptions(bool hasHeaders = false) =>
        new() { HasHeaders = hasHeaders, BufferSize = 1 << 16, MaxBufferSize = MaxRecordChars, Delimiter = ',' };

    /// <summary>Why a service's usage on a billing date has no price, in the library's words; null when a version is in force.</summary>
    public static string? NoPrice(PriceBook book, AsrService service, NodaTime.LocalDate date)
    {
        try
        {
            _ = book.GetTable(service, date);
            return null;
        }
        catch (PriceNotFoundException e)
        {
            return e.Message;
        }
    }

    public static string Reason(string? column, string reason) => column is null ? reason : $"{column}: {reason}";

    public static bool IsBlank(CsvDataReader reader) => reader.RowFieldCount == 1 && reader.GetFieldSpan(0).IsWhiteSpace();

    public static string RawRow(CsvDataReader reader) => reader.GetRawRecordSpan().TrimEnd("\r\n").ToString();

    public static bool Read(CsvDataReader reader, long lineBefore)
    {
        try
        {
            return reader.Read();
        }
        catch (Exception e) when (e is CsvFormatException or CsvRecordTooLargeException)
        {
            throw new UsageCsvException(lineBefore + 1, null, MalformedReason(e));
        }
    }

    /// <summary>Opens Sylvan over data rows; null, with the reason, when the first row is malformed (Sylvan reads it at once).</summary>
    public static CsvDataReader? OpenData(Stream stream, out string? malformed)
    {
        try
        {
            malformed = null;
            return CsvDataReader.Create(new StreamReader(stream, NoBom, false, 1 << 16), DataOptions());
        }
        catch (Exception e) when (e is CsvFormatException or CsvRecordTooLargeException)
        {
            malformed = MalformedReason(e);
            return null;
        }
    }

    public static string MalformedReason(Exception e) =>
        e is CsvRecordTooLargeException ? $"the row is longer than {MaxRecordChars:N0} characters" : $"malformed CSV: {e.Message}";

    public static Stream OpenAt(CsvSource source, long offset, long length)
    {
        var stream = source.Open();
        stream.Seek(offset, SeekOrigin.Begin);
        return length == long.MaxValue ? stream : new RangeStream(stream, length);
    }
}
