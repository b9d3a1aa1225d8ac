using System.Numerics;
using System.Text;
using Sylvan.Data.Csv;

namespace AsrBilling.Cli.Input;

/// <summary>
/// One CSV record as the usage reader sees it, from either reader: fields as UTF-16 (<see cref="char"/>)
/// or UTF-8 (<see cref="byte"/>) text. Implemented by structs, so that generic code over it is
/// compiled once per reader, without interface calls.
/// </summary>
/// <typeparam name="T">The code unit of the record's text.</typeparam>
internal interface ICsvRecord<T>
    where T : unmanaged, IBinaryInteger<T>
{
    /// <summary>How many fields the record has.</summary>
    int FieldCount { get; }

    /// <summary>The text of one field.</summary>
    ReadOnlySpan<T> Field(int ordinal);

    /// <summary>The record as read, without its line break.</summary>
    string RawText();
}

/// <summary>The current record of Sylvan's reader.</summary>
internal readonly struct SylvanRecord(CsvDataReader reader) : ICsvRecord<char>
{
    public int FieldCount => reader.RowFieldCount;

    public ReadOnlySpan<char> Field(int ordinal) => reader.GetFieldSpan(ordinal);

    public string RawText() => reader.GetRawRecordSpan().TrimEnd("\r\n").ToString();
}

/// <summary>The current record of an <see cref="UnquotedCsvReader"/>.</summary>
internal readonly struct UnquotedRecord(UnquotedCsvReader reader) : ICsvRecord<byte>
{
    public int FieldCount => reader.FieldCount;

    public ReadOnlySpan<byte> Field(int ordinal) => reader.Field(ordinal);

    public string RawText() => Encoding.UTF8.GetString(reader.Record);
}
