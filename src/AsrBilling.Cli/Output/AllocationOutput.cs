using AsrBilling.Cli.Commands;
using System.Globalization;
using System.Text.Json;
using System.Runtime.CompilerServices;
using AsrBilling.Bulk;

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
                WriteCsv(context, statement);
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

    /// <summary>
    /// One line per part, as UTF-8, formatted in place from blocks of lines that each chunk of charges (about as
    /// many lines each) splits itself: no line object per line, no statement held whole. The cells lines share
    /// are escaped once per chunk.
    /// </summary>
    private static void WriteCsv(CliContext context, AllocationStatement statement)
    {
        var byTag = statement.By == AllocationKey.Tag;
        context.Output.Write(byTag ? "tag,account,service,date,billable_seconds,share,currency,fee\n" : "account,service,date,billable_seconds,share,currency,fee\n");
        context.Output.Flush();
        var bill = statement.Bill;
        var accounts = bill.DailyTotals.Accounts;
        var blocks = new System.Collections.Concurrent.ConcurrentBag<(AllocationLineBlock Lines, BillChargeBlock Charges)>();
        // Fully optimized at its first call: run once per chunk, its loop would stay in precompiled code.
        OrderedChunks.WriteUtf8(context.Stdout, statement.ChargeRanges(OrderedChunks.DefaultChunkLines), [MethodImpl(MethodImplOptions.AggressiveOptimization)] (buffer, start, end) =>
        {
            // The range's lines, and its charges column-wise: no charge object per charge.
            var (block, chargeBlock) = blocks.TryTake(out var free) ? free : (new AllocationLineBlock(), new BillChargeBlock());
            statement.SplitCharges(start, end - start, block);
            var keys = statement.Keys();
            var keyIndexes = block.KeyIndexes;
            var chargeIndexes = block.ChargeIndexes;
            var seconds = block.BillableSeconds;
            var cents = block.FeeCents;
            var cells = new CsvCells();
            var keyCells = new KeyCells();
            var (chargeIndex, blockStart) = (-1, int.MaxValue); // no charge read yet: a pooled block holds another chunk's
            var (chargeSeconds, shareDivisor) = (0L, default(RepeatedDivisor));

            // A charge's cells between the key and the seconds ("account,service,date,"), then its currency and a comma: joined once per charge, not per line.
            var head = new byte[256];
            var (middle, currency) = (0, 0);

            // Lines go into one span of the buffer after another, not a span each.
            var text = new CsvLine(buffer.GetSpan(OutputBlocks.SpanBytes));
            for (var i = 0; i < keyIndexes.Length; i++)
            {
                if (chargeIndexes[i] != chargeIndex)
                {
                    chargeIndex = chargeIndexes[i];

                    // The charges read a block at a time as the lines reach them, small enough to stay in the cache.
                    if (chargeIndex - blockStart >= chargeBlock.Count || chargeIndex < blockStart)
                    {
                        blockStart = chargeIndex;
                        bill.ReadCharges(blockStart, Math.Min(OutputBlocks.Charges, end - blockStart), chargeBlock);
                    }

                    var c = chargeIndex - blockStart;
                    var table = chargeBlock.Tables[c];
                    chargeSeconds = chargeBlock.BillableSeconds[c];
                    shareDivisor = ShareText.DivisorFor(chargeSeconds);
                    var (account, service) = (byTag ? cells.Account(accounts[chargeBlock.AccountIndexes[c]]) : [], cells.Service(chargeBlock.Services[c].Id));
                    var (date, money) = (cells.Period(chargeBlock.Dates[c], table.Rules.Window), cells.Currency(table.Currency));
                    var length = account.Length + service.Length + date.Length + money.Length + 4;
                    if (length > head.Length)
                    {
                        head = new byte[Math.Max(length, 2 * head.Length)];
                    }

                    var joined = new CsvLine(head);
                    if (byTag)
                    {
                        joined.Put(account);
                        joined.Comma();
                    }

                    joined.Put(service);
                    joined.Comma();
                    joined.Put(date);
                    joined.Comma();
                    middle = joined.Length;
                    joined.Put(money);
                    joined.Comma();
                    currency = joined.Length - middle;
                }

                var key = keyCells.Of(keyIndexes[i], keys, cells);
                var longest = key.Length + middle + currency + 4 + (3 * CsvLine.MaxNumber);
                if (text.Room < longest)
                {
                    buffer.Advance(text.Length);
                    text = new CsvLine(buffer.GetSpan(Math.Max(longest, OutputBlocks.SpanBytes)));
                }

                text.Put(key);
                text.Comma();
                text.Put(head.AsSpan(0, middle));
                text.Number(seconds[i]);
                text.Comma();
                text.Share(seconds[i], chargeSeconds, shareDivisor);
                text.Comma();
                text.Put(head.AsSpan(middle, currency));
                text.Cents(cents[i]);
                text.End();
            }

            buffer.Advance(text.Length);

            blocks.Add((block, chargeBlock));
        });
    }

    /// <summary>The cells of a chunk's keys by their index, in a direct-mapped cache before <see cref="CsvCells"/>: a charge's lines go through its tags in turn.</summary>
    private sealed class KeyCells
    {
        private const int Size = 1024;
        private readonly int[] _index = new int[Size];
        private readonly byte[][] _cell = new byte[Size][];

        public KeyCells() => _index.AsSpan().Fill(-1);

        public byte[] Of(int index, ReadOnlySpan<string> keys, CsvCells cells)
        {
            var slot = index & (Size - 1);
            if (_index[slot] != index)
            {
                (_index[slot], _cell[slot]) = (index, cells.Cell(keys[index]));
            }

            return _cell[slot];
        }
    }

    /// <summary>A share's text as ASCII bytes, in <paramref name="buffer"/>.</summary>
    private static ReadOnlySpan<byte> ShareBytes(long part, long whole, byte[] buffer) => buffer.AsSpan(0, ShareText.Format(part, whole, buffer));

    private static string Show(string key) => key.Length == 0 ? "(none)" : key;
}
