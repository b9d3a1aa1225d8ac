using AsrBilling.Cli.Commands;
using System.Globalization;
using System.Text;
using System.Text.Json;

namespace AsrBilling.Cli.Output;

/// <summary>Writes a cost-allocation statement (<c>bill --allocate-by</c>) as a table, CSV or JSON.</summary>
internal static class AllocationOutput
{
    public static void Write(CliContext context, AllocationStatement statement, UsageRows rows, BillFormat format)
    {
        var by = statement.By == AllocationKey.Tag ? "tag" : "account";
        switch (format)
        {
            case BillFormat.Json:
                context.Output.Flush();
                using (var w = new Utf8JsonWriter(context.Stdout))
                {
                    var share = new byte[64];
                    w.WriteStartObject();
                    w.WriteString("allocateBy", by);
                    w.WriteStartArray("lines");
                    foreach (var line in statement.Lines)
                    {
                        w.WriteStartObject();
                        w.WriteString(by, line.Key);
                        if (statement.By == AllocationKey.Tag)
                        {
                            w.WriteString("account", line.Charge.Account);
                        }

                        w.WriteString("service", line.Charge.Service.Id);
                        w.WriteString("date", line.Charge.Period);
                        w.WriteNumber("billableSeconds", line.BillableSeconds);
                        w.WritePropertyName("share");
                        w.WriteRawValue(ShareBytes(line.BillableSeconds, line.Charge.BillableSeconds, share), skipInputValidation: true);
                        w.WriteString("currency", line.Fee.Currency);
                        w.WriteNumber("fee", line.Fee.Amount);
                        w.WriteNumber("chargeFee", line.Charge.Fee.Amount);
                        w.WriteEndObject();
                        BillOutput.FlushNow(w);
                    }

                    w.WriteEndArray();
                    w.WriteStartArray("totals");
                    foreach (var subtotal in statement.ByKey)
                    {
                        w.WriteStartObject();
                        w.WriteString(by, subtotal.Key);
                        w.WriteNumber("billableSeconds", subtotal.BillableSeconds);
                        w.WriteString("currency", subtotal.Fee.Currency);
                        w.WriteNumber("fee", subtotal.Fee.Amount);
                        w.WriteEndObject();
                    }

                    w.WriteEndArray();
                    w.WriteStartArray("billTotals");
                    foreach (var total in statement.Bill.Totals)
                    {
                        w.WriteStartObject();
                        w.WriteString("currency", total.Currency);
                        w.WriteNumber("fee", total.Amount);
                        w.WriteEndObject();
                    }

                    w.WriteEndArray();
                    if (PackOutput.Any(statement.Bill))
                    {
                        PackOutput.WriteReports(w, statement.Bill);
                    }

                    JsonOutput.WriteRows(w, rows);
                    w.WriteEndObject();
                }

                context.Stdout.Write("\n"u8);
                break;
            case BillFormat.Csv:
                WriteCsv(context.Output, statement);
                break;
            default:
                var output = context.Output;
                output.WriteLine($"Charges split by {by}, in proportion to billable seconds, in exact cents (largest remainder).");
                output.WriteLine();
                var table = new TextTable(by, "account", "service", "date", "seconds", "share", "fee", "of charge");
                foreach (var line in statement.Lines)
                {
                    table.AddRow(
                        Show(line.Key), statement.By == AllocationKey.Tag ? Show(line.Charge.Account) : string.Empty, line.Charge.Service.Id, line.Charge.Period,
                        line.BillableSeconds.ToString(CultureInfo.InvariantCulture),
                        Math.Round(line.Share * 100m, 1, MidpointRounding.AwayFromZero).ToString("0.0", CultureInfo.InvariantCulture) + "%",
                        line.Fee.ToString(), line.Charge.Fee.ToString());
                }

                table.WriteTo(output, rightAligned: [4, 5, 6, 7]);
                output.WriteLine();
                var totals = new TextTable(by, "seconds", "fee");
                foreach (var subtotal in statement.ByKey)
                {
                    totals.AddRow(Show(subtotal.Key), subtotal.BillableSeconds.ToString(CultureInfo.InvariantCulture), subtotal.Fee.ToString());
                }

                totals.WriteTo(output, rightAligned: [1, 2]);
                if (PackOutput.Any(statement.Bill))
                {
                    output.WriteLine();
                    PackOutput.WriteTable(output, statement.Bill);
                }

                output.WriteLine($"Total: {string.Join(" + ", statement.Bill.Totals)} (the bill's, to the cent)");
                break;
        }
    }

    /// <summary>One line per part; the cells a charge's parts share are escaped once per charge, and numbers are formatted in place.</summary>
    private static void WriteCsv(TextWriter output, AllocationStatement statement)
    {
        var byTag = statement.By == AllocationKey.Tag;
        output.Write(byTag ? "tag,account,service,date,billable_seconds,share,currency,fee\n" : "account,service,date,billable_seconds,share,currency,fee\n");
        OrderedChunks.Write(output, statement.Lines.Count, (text, start, end) =>
        {
            var keyCells = new Dictionary<string, string>(StringComparer.Ordinal);
            Span<char> number = stackalloc char[64];
            var charge = -1;
            long chargeSeconds = 0;
            string chargeCells = string.Empty, currencyCell = string.Empty;
            for (var i = start; i < end; i++)
            {
                var line = statement.Lines[i];
                if (line.ChargeIndex != charge)
                {
                    charge = line.ChargeIndex;
                    var current = statement.Bill.Charges[charge];
                    chargeSeconds = current.BillableSeconds;
                    var shared = CsvText.Row(CsvText.Cell(current.Service.Id), current.Period);
                    chargeCells = "," + (byTag ? CsvText.Row(CsvText.Cell(current.Account), shared) : shared) + ",";
                    currencyCell = "," + CsvText.Cell(current.Table.Currency) + ",";
                }

                if (!keyCells.TryGetValue(line.Key, out var keyCell))
                {
                    keyCells.Add(line.Key, keyCell = CsvText.Cell(line.Key));
                }

                text.Append(keyCell).Append(chargeCells);
                AppendNumber(text, line.BillableSeconds, number);
                text.Append(',');
                text.Append(number[..ShareText.Format(line.BillableSeconds, chargeSeconds, number)]);
                text.Append(currencyCell);
                AppendNumber(text, line.Fee.Amount, number);
                text.Append('\n');
            }
        });
    }

    private static void AppendNumber<T>(StringBuilder text, T value, Span<char> buffer)
        where T : ISpanFormattable
    {
        if (!value.TryFormat(buffer, out var written, default, CultureInfo.InvariantCulture))
        {
            throw new InvalidOperationException($"A number did not fit in {buffer.Length} characters."); // a decimal takes at most 31
        }

        text.Append(buffer[..written]);
    }

    /// <summary>A share's text as ASCII bytes, in <paramref name="buffer"/>.</summary>
    private static ReadOnlySpan<byte> ShareBytes(long part, long whole, byte[] buffer)
    {
        Span<char> text = stackalloc char[64];
        var length = ShareText.Format(part, whole, text);
        System.Text.Ascii.FromUtf16(text[..length], buffer, out var written);
        return buffer.AsSpan(0, written);
    }

    private static string Show(string key) => key.Length == 0 ? "(none)" : key;
}
