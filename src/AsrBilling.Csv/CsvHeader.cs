using System.Text;
using Sylvan.Data.Csv;

namespace AsrBilling.Csv;

/// <summary>Reads line 1 of a CSV source and checks its columns.</summary>
internal static class CsvHeader
{
    private const int HeaderLimit = 1 << 16;

    /// <summary>Reads line 1 and checks its columns; for a stream, returns the stream positioned after it.</summary>
    public static (CsvLayout Layout, long HeaderBytes, Stream? Remainder) Read(CsvSource source, string[] known, string[] required, string kind)
    {
        var stream = source.Open();
        var buffer = new byte[HeaderLimit];
        var filled = 0;
        int newline;
        while ((newline = buffer.AsSpan(0, filled).IndexOf((byte)'\n')) < 0 && filled < buffer.Length)
        {
            var read = stream.Read(buffer, filled, buffer.Length - filled);
            if (read == 0)
            {
                break;
            }

            filled += read;
        }

        var end = newline < 0 ? filled : newline;
        var bom = buffer.AsSpan(0, end).StartsWith("\uFEFF"u8) ? 3 : 0;
        var headerText = Encoding.UTF8.GetString(buffer, bom, end - bom).TrimEnd('\r');
        if (string.IsNullOrWhiteSpace(headerText))
        {
            stream.Dispose();
            throw new UsageCsvException(
                0,
                null,
                $"{source.Name} is empty: expected a header row such as {string.Join(",", known)}");
        }

        if (newline < 0 && filled == buffer.Length)
        {
            stream.Dispose();
            throw new UsageCsvException(0, null, $"line 1 of {source.Name} is longer than {HeaderLimit / 1024} KB: is it a CSV file?");
        }

        using var header = CsvDataReader.Create(new StringReader(headerText), CsvInput.DataOptions(hasHeaders: true));
        var names = Enumerable.Range(0, header.FieldCount).Select(header.GetName).ToList();
        var layout = CsvLayout.Parse(names, known, required, kind);
        var headerBytes = newline < 0 ? filled : newline + 1;
        if (source.Length is not null)
        {
            stream.Dispose();
            return (layout, headerBytes, null);
        }

        return (layout, headerBytes, new PrefixedStream(buffer.AsMemory(headerBytes, filled - headerBytes), stream));
    }
}
