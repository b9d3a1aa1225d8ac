using AsrBilling.Bulk;
using AsrBilling.Cli.Commands;
using System.Collections.Immutable;
using System.Globalization;
using System.Text.Json;

namespace AsrBilling.Cli.Output;

/// <summary>Output formats of <c>bill</c>.</summary>
internal enum BillFormat
{
    Table,
    Csv,
    Json,

    /// <summary>A FinOps FOCUS cost-and-usage dataset, as CSV.</summary>
    Focus,
}

/// <summary>
/// Writes a bill as an aligned table, RFC 4180 CSV, JSON or a FOCUS dataset (<see cref="FocusOutput"/>). With <c>--by month</c>, each account's
/// and service's daily charges are folded into one line per calendar month: the sum of the rounded
/// daily fees, with the days it came from (in JSON).
/// </summary>
internal static class BillOutput
{
    // About the most bytes a daily charge's JSON object takes with an account name of 20 characters.
    private const int DailyChargeBytes = 200;

    public static void Write(CliContext context, Bill bill, UsageRows rows, BillFormat format, bool byMonth)
    {
        if (format == BillFormat.Focus)
        {
            FocusOutput.Write(context.Output, bill);
            return;
        }

        if (format == BillFormat.Json)
        {
            WriteJson(context, bill, rows, byMonth ? new MonthLines(bill) : null);
            return;
        }

        if (format == BillFormat.Csv)
        {
            if (byMonth)
            {
                WriteMonthlyCsv(context, new MonthLines(bill), PackOutput.Any(bill));
            }
            else
            {
                WriteDailyCsv(context, bill, PackOutput.Any(bill));
            }

            return;
        }

        var packs = PackOutput.Any(bill);
        if (byMonth)
        {
            var months = new MonthLines(bill);
            WriteTable(context, bill, rows, months.Count, l => months.Line(l, packs), byMonth);
        }
        else
        {
            WriteTable(context, bill, rows, bill.Charges.Count, i => MonthLine.Daily(bill.Charges[i], packs), byMonth);
        }
    }

    internal static readonly JsonWriterOptions JsonOptions = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>Writes the bill as JSON: one object per daily charge, or per month when <paramref name="months"/> are given.</summary>
    private static void WriteJson(CliContext context, Bill bill, UsageRows rows, MonthLines? months)
    {
        var packs = PackOutput.Any(bill);
        context.Output.Flush();
        var options = JsonOptions;
        using (var w = new Utf8JsonWriter(context.Stdout, options))
        {
            w.WriteStartObject();
            if (bill.Totals.Length <= 1)
            {
                w.WriteString("currency", bill.Total.Currency);
                w.WriteNumber("total", bill.Total.Amount);
            }

            w.WriteStartArray("totals");
            foreach (var total in bill.Totals)
            {
                w.WriteStartObject();
                w.WriteString("currency", total.Currency);
                w.WriteNumber("fee", total.Amount);
                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteStartArray("charges");
            if (months is null && !packs && bill.Options.PriceBook.Tables.All(t => t.Rules.Window == TierWindow.Day))
            {
                // Every charge a daily one without packs: formatted straight into the chunks, not through a writer per chunk.
                w.Flush();
                // Each chunk takes texts another chunk has finished with: their caches stay warm, and nothing is made per chunk.
                var pool = new System.Collections.Concurrent.ConcurrentBag<ChargeTexts>();
                OrderedChunks.WriteUtf8(context.Stdout, bill.Charges.Count, (buffer, start, end) =>
                {
                    var texts = pool.TryTake(out var used) ? used : new ChargeTexts(options.Encoder);
                    texts.WriteDailyCharges(bill, start, end, buffer);
                    pool.Add(texts);
                }, lineBytes: DailyChargeBytes);
            }
            else if (months is null)
            {
                OrderedChunks.WriteJsonArray(w, context.Stdout, options, bill.Charges.Count, (chunk, start, end) =>
                {
                    var texts = new ChargeTexts(options.Encoder);
                    for (var i = start; i < end; i++)
                    {
                        var charge = bill.Charges[i];
                        if (!packs && charge.Window == TierWindow.Day)
                        {
                            chunk.WriteRawValue(texts.DailyCharge(charge), skipInputValidation: true);
                        }
                        else
                        {
                            WriteChargeObject(chunk, charge, packs, texts);
                        }
                    }
                });
            }
            else
            {
                OrderedChunks.WriteJsonArray(w, context.Stdout, options, months.Count, (chunk, start, end) =>
                {
                    var texts = new ChargeTexts(options.Encoder);
                    for (var l = start; l < end; l++)
                    {
                        WriteMonth(chunk, months, l, packs, texts);
                    }
                }, MonthChunkLines(months, bill));
            }

            w.WriteEndArray();
            WriteSubtotals(w, context.Stdout, "byAccount", bill.ByAccount);
            WriteSubtotals(w, context.Stdout, "byService", bill.ByService);
            WriteSubtotals(w, context.Stdout, "byMonth", bill.ByMonth);
            if (packs)
            {
                PackOutput.WriteReports(w, bill);
            }

            JsonOutput.WriteRows(w, rows);
            w.WriteEndObject();
        }

        context.Stdout.Write("\n"u8);
    }

    /// <summary>Lines per chunk of a statement: about as many charges as a chunk of daily lines holds.</summary>
    private static int MonthChunkLines(MonthLines months, Bill bill) =>
        (int)Math.Max(1, (long)OrderedChunks.DefaultChunkLines * months.Count / Math.Max(1, bill.Charges.Count));

    /// <summary>A monthly line as one JSON object, with its charges as the days.</summary>
    private static void WriteMonth(Utf8JsonWriter w, MonthLines months, int index, bool packs, ChargeTexts texts)
    {
        var line = months.Line(index, packs);
        w.WriteStartObject();
        w.WriteString(Names.Account, texts.Encoded(line.Account));
        w.WriteString(Names.Service, texts.Encoded(line.Service.Id));
        w.WriteString("month", line.Date);
        w.WriteNumber(Names.BillableSeconds, line.BillableSeconds);
        if (packs)
        {
            w.WriteNumber("allowanceSeconds", line.AllowanceSeconds);
            w.WriteNumber("packSeconds", line.PackSeconds);
        }

        w.WriteString("currency", line.Fee.Currency);
        w.WriteNumber(Names.Fee, line.Fee.Amount);
        w.WriteStartArray("days");
        foreach (var charge in months.Days(index))
        {
            if (!packs && charge.Window == TierWindow.Day)
            {
                w.WriteRawValue(texts.DailyCharge(charge, withKeys: false), skipInputValidation: true);
                continue;
            }

            w.WriteStartObject();
            w.WriteString(Names.Date, texts.Encoded(charge.Period));
            WriteCharge(w, charge, packs, texts);
            w.WriteEndObject();
        }

        w.WriteEndArray();
        w.WriteEndObject();
    }

    /// <summary>A charge as one JSON object, property by property: the form <see cref="ChargeTexts.DailyCharge"/> matches byte for byte.</summary>
    internal static void WriteChargeObject(Utf8JsonWriter w, BillCharge charge, bool packs, ChargeTexts texts)
    {
        w.WriteStartObject();
        w.WriteString(Names.Account, texts.Encoded(charge.Account));
        w.WriteString(Names.Service, texts.Encoded(charge.Service.Id));
        w.WriteString(Names.Date, texts.Encoded(charge.Period));
        WriteCharge(w, charge, packs, texts);
        w.WriteEndObject();
    }

    /// <summary>Hands what the writer holds to the stream now and then: it would otherwise keep the whole document in memory.</summary>
    internal static void FlushNow(Utf8JsonWriter w)
    {
        if (w.BytesPending > 1 << 16)
        {
            w.Flush();
        }
    }

    /// <summary>A price version's date as text, made once per table: every charge names one.</summary>
    internal static string PriceVersion(PriceTable table) => VersionTexts.GetValue(table, t => IsoDate.Format(t.EffectiveFrom));

    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<PriceTable, string> VersionTexts = [];

    private static void WriteCharge(Utf8JsonWriter w, BillCharge charge, bool packs, ChargeTexts? texts = null)
    {
        w.WriteNumber(Names.BillableSeconds, charge.BillableSeconds);
        var tier = charge.Tier;
        w.WriteNumber(Names.Tier, tier.Number);
        if (texts is null)
        {
            w.WriteNumber(Names.UnitPrice, tier.UnitPrice.Amount);
        }
        else
        {
            w.WritePropertyName(Names.UnitPrice);
            w.WriteRawValue(texts.UnitPrice(tier), skipInputValidation: true);
        }

        w.WriteNumber(Names.Fee, charge.Fee.Amount);
        if (charge.AllowanceSeconds > 0)
        {
            w.WriteNumber("allowanceSeconds", charge.AllowanceSeconds);
        }

        if (packs)
        {
            PackOutput.WriteCharge(w, charge);
        }

        w.WriteString(Names.PriceVersion, texts?.Version(charge.Table) ?? JsonEncodedText.Encode(PriceVersion(charge.Table), JsonOptions.Encoder));
        if (charge.Window == TierWindow.Month)
        {
            w.WriteStartArray("days");
            foreach (var day in charge.Days)
            {
                w.WriteStartObject();
                w.WriteString("date", IsoDate.Format(day.Date));
                w.WriteNumber("billableSeconds", day.BillableSeconds);
                w.WriteEndObject();
            }

            w.WriteEndArray();
        }
    }

    /// <summary>Writes a list of subtotals as a JSON array, by chunks on all cores: a bill of many accounts has as many.</summary>
    private static void WriteSubtotals(Utf8JsonWriter w, Stream output, string name, ImmutableArray<Subtotal> subtotals)
    {
        w.WriteStartArray(name);
        OrderedChunks.WriteJsonArray(w, output, JsonOptions, subtotals.Length, (chunk, start, end) =>
        {
            for (var i = start; i < end; i++)
            {
                var subtotal = subtotals[i];
                chunk.WriteStartObject();
                chunk.WriteString(Names.Key, subtotal.Key);
                chunk.WriteNumber(Names.BillableSeconds, subtotal.BillableSeconds);
                chunk.WriteString(Names.Currency, subtotal.Fee.Currency);
                chunk.WriteNumber(Names.Fee, subtotal.Fee.Amount);
                chunk.WriteEndObject();
            }
        });
        w.WriteEndArray();
    }

    /// <summary>
    /// Writes the daily charges as CSV, formatted in place by chunks on all cores: with packs, each line also has the
    /// seconds the allowance and the packs covered, and which packs.
    /// </summary>
    private static void WriteDailyCsv(CliContext context, Bill bill, bool packs)
    {
        context.Output.Write("account,service,date,billable_seconds,tier,unit_price,currency,fee");
        context.Output.Write(packs ? ",allowance_seconds,pack_seconds,packs\n" : "\n");
        context.Output.Flush();
        var charges = bill.Charges;
        var accounts = bill.DailyTotals.Accounts;
        OrderedChunks.WriteUtf8(context.Stdout, charges.Count, (buffer, start, end) =>
        {
            // Read column-wise a block at a time, small enough to stay in the cache while its lines are written.
            var cells = new CsvCells();
            var block = new BillChargeBlock();
            var text = new CsvLine(buffer.GetSpan(OutputBlocks.SpanBytes));
            for (var first = start; first < end; first += OutputBlocks.Charges)
            {
                bill.ReadCharges(first, Math.Min(OutputBlocks.Charges, end - first), block);
                for (var c = 0; c < block.Count; c++)
                {
                    var (table, tier) = (block.Tables[c], block.Tiers[c]);
                    var (account, service) = (cells.Account(accounts[block.AccountIndexes[c]]), cells.Service(block.Services[c].Id));
                    var (date, unitPrice, currency) = (cells.Period(block.Dates[c], table.Rules.Window), cells.UnitPrice(tier), cells.Currency(table.Currency));
                    var coverage = packs ? System.Text.Encoding.UTF8.GetBytes(PackOutput.CoverageCell(charges[first + c])) : [];
                    var longest = account.Length + service.Length + date.Length + unitPrice.Length + currency.Length + coverage.Length + 16 + (6 * CsvLine.MaxNumber);
                    if (text.Room < longest)
                    {
                        buffer.Advance(text.Length);
                        text = new CsvLine(buffer.GetSpan(Math.Max(longest, OutputBlocks.SpanBytes)));
                    }

                    text.Put(account);
                    text.Comma();
                    text.Put(service);
                    text.Comma();
                    text.Put(date);
                    text.Comma();
                    text.Number(block.BillableSeconds[c]);
                    text.Comma();
                    text.Number(tier.Number);
                    text.Comma();
                    text.Put(unitPrice);
                    text.Comma();
                    text.Put(currency);
                    text.Comma();
                    text.Number(block.Fees[c]);
                    if (packs)
                    {
                        text.Comma();
                        text.Number(block.AllowanceSeconds[c]);
                        text.Comma();
                        text.Number(block.PackSeconds[c]);
                        text.Comma();
                        text.Put(coverage);
                    }

                    text.End();
                }
            }

            buffer.Advance(text.Length);
        });
    }

    /// <summary>Writes monthly lines as CSV, formatted by chunks on all cores; with packs, each line also has the seconds the allowance and the packs covered.</summary>
    private static void WriteMonthlyCsv(CliContext context, MonthLines months, bool packs)
    {
        context.Output.Write("account,service,month,billable_seconds,currency,fee");
        context.Output.Write(packs ? ",allowance_seconds,pack_seconds\n" : "\n");
        context.Output.Flush();
        OrderedChunks.WriteUtf8(context.Stdout, months.Count, (buffer, start, end) =>
        {
            for (var l = start; l < end; l++)
            {
                var line = months.Line(l, packs);
                var text = CsvText.Row(CsvText.Cell(line.Account), CsvText.Cell(line.Service.Id), line.Date, Number(line.BillableSeconds), CsvText.Cell(line.Fee.Currency), Number(line.Fee.Amount))
                    + (packs ? "," + CsvText.Row(Number(line.AllowanceSeconds), Number(line.PackSeconds)) : string.Empty) + "\n";
                buffer.Advance(System.Text.Encoding.UTF8.GetBytes(text, buffer.GetSpan(System.Text.Encoding.UTF8.GetMaxByteCount(text.Length))));
            }
        });
    }

    /// <summary>
    /// How the bill's tables choose tiers: one clause when every service's tables agree (Tencent's
    /// international list: all of a day's hours at the tier the day reaches), else one per service,
    /// for example the China site's monthly recording file.
    /// </summary>
    private static string HowTiersApply(Bill bill)
    {
        var services = bill.ByService.Select(s => s.Key).ToHashSet(StringComparer.Ordinal);
        var clauses = bill.Options.PriceBook.Tables.Where(t => services.Contains(t.Service.Id))
            .GroupBy(t => t.Service.Id, StringComparer.Ordinal)
            .Select(g => (Service: g.Key, Clause: string.Join(" or ", g.Select(t => HowTiersApply(t.Rules)).Distinct(StringComparer.Ordinal))))
            .ToList();
        var tiers = clauses.Select(c => c.Clause).Distinct(StringComparer.Ordinal).Count() <= 1
            ? clauses.FirstOrDefault().Clause ?? HowTiersApply(PriceRules.Tencent)
            : string.Join("; ", clauses.Select(c => $"{c.Service}: {c.Clause}"));
        var free = bill.Options.PriceBook.Tables.Where(t => services.Contains(t.Service.Id))
            .Select(t => (t.Service, Hours: bill.Options.FreeHours.TryGetValue(t.Service, out var hours) ? hours : t.Rules.FreeHoursPerMonth))
            .Where(f => f.Hours > 0)
            .Select(f => $"{f.Service.Id} {TextValues.Hours(f.Hours)} h")
            .Distinct(StringComparer.Ordinal)
            .ToList();
        return free.Count == 0 ? tiers : $"{tiers}; each month's free hours come off first ({string.Join(", ", free)})";
    }

    private static string HowTiersApply(PriceRules rules)
    {
        var window = rules.Window == TierWindow.Day ? "day" : "month";
        return rules.Mode == TierMode.Volume
            ? $"all of a {window}'s hours are billed at the tier the {window} reaches"
            : $"each slice of a {window}'s hours is billed at its own tier's price";
    }

    /// <summary>Writes the bill as an aligned table of its lines [0, <paramref name="count"/>), whose cells are made on all cores as they are written.</summary>
    private static void WriteTable(CliContext context, Bill bill, UsageRows rows, int count, Func<int, MonthLine> lineAt, bool byMonth)
    {
        var output = context.Output;
        output.WriteLine($"Prices from '{bill.Options.PriceBook.Name}'; billing days in {bill.Options.Zone.Id}; {HowTiersApply(bill)}.");
        output.WriteLine();
        var packs = PackOutput.Any(bill);
        string[] covered = packs ? ["free", "packs"] : [];
        var table = byMonth
            ? new TextTable(["account", "service", "month", "days", "h:mm:ss", .. covered, "fee"])
            : new TextTable(["account", "service", "date", "h:mm:ss", .. covered, "tier", "unit price", "fee"]);
        table.MakeRows(count, i =>
        {
            var line = lineAt(i);
            var charge = line.First;
            string[] coveredCells = packs ? [Hours(line.AllowanceSeconds), Hours(line.PackSeconds)] : [];
            return byMonth
                ? [Show(line.Account), line.Service.Id, line.Date, Number(line.DayCount), Hours(line.BillableSeconds), .. coveredCells, line.Fee.ToString()]
                : [Show(line.Account), line.Service.Id, line.Date, Hours(line.BillableSeconds), .. coveredCells, Number(charge.Tier.Number), $"{charge.Tier.UnitPrice}/h", line.Fee.ToString()];
        });

        table.WriteTo(output, rightAligned: [.. Enumerable.Range(3, table.ColumnCount - 3)], context.Stdout);
        output.WriteLine();
        WriteSubtotalTable(output, "By account", bill.ByAccount);
        WriteSubtotalTable(output, "By service", bill.ByService);
        if (packs)
        {
            PackOutput.WriteTable(output, bill);
        }

        output.WriteLine($"Total: {(bill.Totals.Length == 0 ? bill.Total.ToString() : string.Join(" + ", bill.Totals))}");
        output.WriteLine($"Rows: read {rows.RowsRead}, billed {rows.RowsBilled}, duplicates ignored {rows.DuplicatesIgnored}, rejected {rows.Rejects.Count}.");
    }

    private static void WriteSubtotalTable(TextWriter output, string title, IEnumerable<Subtotal> subtotals)
    {
        var table = new TextTable(title.ToLowerInvariant().Replace("by ", string.Empty, StringComparison.Ordinal), "h:mm:ss", "fee");
        foreach (var subtotal in subtotals)
        {
            table.AddRow(Show(subtotal.Key), Hours(subtotal.BillableSeconds), subtotal.Fee.ToString());
        }

        output.WriteLine($"{title}:");
        table.WriteTo(output, rightAligned: [1, 2]);
        output.WriteLine();
    }

    internal static string Show(string account) => account.Length == 0 ? "(none)" : account;

    /// <summary>Billable time for people, exactly, as hours:minutes:seconds (312:00:00, 0:00:01).</summary>
    private static string Hours(long seconds) =>
        string.Create(CultureInfo.InvariantCulture, $"{seconds / 3600}:{seconds % 3600 / 60:00}:{seconds % 60:00}");

    /// <summary>Covered time as hours:minutes:seconds; an allowance's fraction of a second follows the seconds (0:00:00.5).</summary>
    private static string Hours(decimal seconds)
    {
        var whole = (long)decimal.Floor(seconds);
        var fraction = seconds - whole;
        return fraction == 0 ? Hours(whole) : Hours(whole) + fraction.ToString(".############################", CultureInfo.InvariantCulture);
    }

    internal static string Number(decimal value) => value.ToString(CultureInfo.InvariantCulture);

    internal static string Number(long value) => value.ToString(CultureInfo.InvariantCulture);

    /// <summary>The property names every charge writes, escaped once.</summary>
    private static class Names
    {
        public static readonly JsonEncodedText Account = JsonEncodedText.Encode("account");
        public static readonly JsonEncodedText Service = JsonEncodedText.Encode("service");
        public static readonly JsonEncodedText Date = JsonEncodedText.Encode("date");
        public static readonly JsonEncodedText BillableSeconds = JsonEncodedText.Encode("billableSeconds");
        public static readonly JsonEncodedText Tier = JsonEncodedText.Encode("tier");
        public static readonly JsonEncodedText UnitPrice = JsonEncodedText.Encode("unitPrice");
        public static readonly JsonEncodedText Fee = JsonEncodedText.Encode("fee");
        public static readonly JsonEncodedText PriceVersion = JsonEncodedText.Encode("priceVersion");
        public static readonly JsonEncodedText Key = JsonEncodedText.Encode("key");
        public static readonly JsonEncodedText Currency = JsonEncodedText.Encode("currency");
    }
}
