using Sylvan.Data.Csv;

namespace AsrBilling.Cli.Input;

/// <summary>
/// One CSV record as the usage reader sees it, from either reader. Implemented by structs, so that
/// generic code over it is compiled once per reader without interface calls.
/// </summary>
internal interface ICsvRecord
{
    /// <summary>How many fields the record has.</summary>
    int FieldCount { get; }

    /// <summary>The record as read, without its line break.</summary>
    ReadOnlySpan<char> Raw { get; }

    /// <summary>The text of one field.</summary>
    ReadOnlySpan<char> Field(int ordinal);
}

/// <summary>The current record of Sylvan's reader.</summary>
internal readonly struct SylvanRecord(CsvDataReader reader) : ICsvRecord
{
    public int FieldCount => reader.RowFieldCount;

    public ReadOnlySpan<char> Raw => reader.GetRawRecordSpan().TrimEnd("\r\n");

    public ReadOnlySpan<char> Field(int ordinal) => reader.GetFieldSpan(ordinal);
}

/// <summary>The current record of an <see cref="UnquotedCsvReader"/>.</summary>
internal readonly struct UnquotedRecord(UnquotedCsvReader reader) : ICsvRecord
{
    public int FieldCount => reader.FieldCount;

    public ReadOnlySpan<char> Raw => reader.Record;

    public ReadOnlySpan<char> Field(int ordinal) => reader.Field(ordinal);
}
