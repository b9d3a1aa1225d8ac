using System.CommandLine;
using System.Globalization;
using System.Text;
using AsrBilling.Csv;
using AsrBilling.Parquet;
using AsrBilling.Cli.Output;

namespace AsrBilling.Cli.Commands;

/// <summary>
/// <c>asr-billing bill &lt;FILE|-&gt; [--zone ID] [--duplicates reject|ignore] [--rejects FILE]
/// [--format table|csv|json|focus] [--by day|month] [--daily-totals] [--threads N] [--prices NAME|FILE] [--packs FILE]</c>,
/// or <c>bill --sample</c>.
/// </summary>
internal static class BillCommand
{
    public static Command Create(CliContext context)
    {
        var file = new Argument<string?>("file")
        {
            Description = "The usage CSV, a Parquet file (by its .parquet extension), or - for standard input (CSV).",
            Arity = ArgumentArity.ZeroOrOne,
        };
        var sample = new Option<bool>("--sample") { Description = "Bill the small usage log built into the tool." };
        var zone = CommonOptions.Zone();
        var duplicates = new Option<string>("--duplicates")
        {
            Description = "What to do with a repeated record id: reject, or ignore (keep the first).",
            DefaultValueFactory = _ => "reject",
        }.OneOf("reject", "ignore");
        var rejects = new Option<string?>("--rejects")
        {
            Description = "Bill the valid rows, and write every rejected row, its line number and the reason to this CSV file.",
        };
        var format = new Option<string>("--format")
        {
            Description = "table for people, csv, json, or focus: a FinOps FOCUS 1.2 cost-and-usage dataset (CSV, one row per charge).",
            DefaultValueFactory = _ => "table",
        }.OneOf("table", "csv", "json", "focus");
        var by = new Option<string>("--by") { Description = "day: one line per daily charge; month: one line per month.", DefaultValueFactory = _ => "day" }
            .OneOf("day", "month");
        var dailyTotals = new Option<bool>("--daily-totals")
        {
            Description = "The input holds daily totals that another engine computed: account,service,date,billable_seconds.",
        };
        var prices = CommonOptions.Prices();
        var packs = CommonOptions.Packs();
        var allocateBy = new Option<string?>("--allocate-by")
        {
            Description = "Split each charge among its tags (by their seconds, in exact cents) or accounts, and print that statement instead.",
        }.OneOf("tag", "account");
        var threads = new Option<int?>("--threads")
        {
            Description = "How many threads may read a large file. Default: one per core.",
            CustomParser = r => CommonOptions.ParseInt(r, "--threads", 1),
        };

        var command = new Command("bill", "Bill a usage CSV: daily totals per account, service and billing day, priced and explained.")
        {
            file, sample, zone, duplicates, rejects, format, by, dailyTotals, prices, packs, allocateBy, threads,
        };
        command.Validators.Add(result =>
        {
            var useSample = result.IsGiven(sample);
            if (useSample == result.GetResult(file) is { Tokens.Count: > 0 })
            {
                result.AddError(useSample
                    ? "give a file or --sample, not both."
                    : "give the usage CSV to bill (a file, or - for standard input), or --sample for the built-in example.");
            }

            CommonOptions.RefuseTogether(result, sample, dailyTotals, "the sample is a usage log, not daily totals");
            if (result.GetValue(format) != "focus")
            {
                // A FOCUS dataset needs the zone of the totals' dates to place them in UTC.
                CommonOptions.RefuseTogether(result, dailyTotals, zone, "daily totals already carry their billing dates");
            }
            CommonOptions.RefuseTogether(result, dailyTotals, duplicates, "daily totals have no record ids");
            CommonOptions.RefuseTogether(result, dailyTotals, threads, "daily totals are read by one thread");
            if (result.IsGiven(dailyTotals) && result.GetValue(allocateBy) == "tag")
            {
                result.AddError("--daily-totals and --allocate-by tag cannot be used together: daily totals have no tags.");
            }

            if (result.GetValue(allocateBy) is not null && result.GetValue(by) == "month")
            {
                result.AddError("--allocate-by and --by month cannot be used together: the statement splits each daily charge.");
            }

            if (result.GetValue(format) == "focus")
            {
                if (result.GetValue(allocateBy) is not null)
                {
                    result.AddError("--format focus and --allocate-by cannot be used together: a FOCUS dataset has one row per charge, not per share of one.");
                }

                if (result.GetValue(by) == "month")
                {
                    result.AddError("--format focus and --by month cannot be used together: each row is a charge, and BillingPeriodStart already names its month.");
                }
            }
        });
        command.SetAction(parsed =>
        {
            var path = parsed.GetValue(file);
            var useSample = parsed.GetValue(sample);

            var options = CommonOptions.WithPacks(
                new BillingOptions(
                    priceBook: CommonOptions.LoadPrices(parsed.GetValue(prices)),
                    zone: parsed.GetValue(zone),
                    duplicates: parsed.GetValue(duplicates) == "ignore" ? DuplicatePolicy.Ignore : DuplicatePolicy.Reject),
                parsed.GetValue(packs));
            var rejectsPath = parsed.GetValue(rejects);
            if (rejectsPath is not null)
            {
                CheckRejectsFolder(rejectsPath);
            }

            using var progress = context.StderrIsTerminal ? new ProgressLine(context.Error) : null;
            var csv = new UsageCsvOptions
            {
                Billing = options,
                KeepRejects = rejectsPath is not null,
                Threads = parsed.GetValue(threads) ?? Environment.ProcessorCount,
                DailyTotals = parsed.GetValue(dailyTotals),
                TagSeconds = parsed.GetValue(allocateBy) == "tag",
                Progress = progress,
                SourceName = useSample ? "the embedded sample" : path == "-" ? "standard input" : path,
            };
            var outputFormat = parsed.GetValue(format) switch
            {
                "csv" => BillFormat.Csv,
                "json" => BillFormat.Json,
                "focus" => BillFormat.Focus,
                _ => BillFormat.Table,
            };
            var byMonth = parsed.GetValue(by) == "month";
            var allocation = parsed.GetValue(allocateBy) switch
            {
                "tag" => AllocationKey.Tag,
                "account" => AllocationKey.Account,
                _ => (AllocationKey?)null,
            };
            _ = BillWarmUp.Start(options, outputFormat, byMonth, allocation);
            var rows = IsParquet(path) && !useSample
                ? UsageRows.From(UsageParquet.Read(path!, new UsageParquetOptions
                {
                    Billing = options,
                    KeepRejects = csv.KeepRejects,
                    DailyTotals = csv.DailyTotals,
                    TagSeconds = csv.TagSeconds,
                    SourceName = path,
                }))
                : UsageRows.From(Read(context, useSample ? null : path, csv));
            progress?.Stop();
            var bill = PriceCalculator.Compute(rows.Totals, options);

            if (rejectsPath is not null)
            {
                // Opened only now: a run that fails on the header, a row or a price leaves an earlier rejects file as it was.
                using (var rejectsFile = OpenRejects(rejectsPath))
                {
                    WriteRejects(rejectsFile, rows);
                }

                context.Error.WriteLine(string.Create(
                    CultureInfo.InvariantCulture,
                    $"asr-billing: read {TextValues.Count(rows.RowsRead, "row")}: billed {rows.RowsBilled}, duplicates ignored {rows.DuplicatesIgnored}, rejected {rows.Rejects.Count} (written to {rejectsPath})."));
            }

            if (allocation is { } key)
            {
                var statement = CostAllocation.Allocate(bill, key);
                AllocationOutput.Write(context, statement, rows, outputFormat);
            }
            else
            {
                BillOutput.Write(context, bill, rows, outputFormat, byMonth);
            }

            return CliApp.Success;
        });
        return command;
    }

    /// <summary>Whether a path names a Parquet file: by its extension, as the README says.</summary>
    private static bool IsParquet(string? path) => path is not null && path.EndsWith(".parquet", StringComparison.OrdinalIgnoreCase);

    /// <summary>Reads a file, standard input (<c>-</c>), or the built-in sample (null).</summary>
    private static UsageCsvResult Read(CliContext context, string? path, UsageCsvOptions options)
    {
        if (path is null)
        {
            using var sample = typeof(BillCommand).Assembly.GetManifestResourceStream("AsrBilling.Cli.sample-usage.csv")
                ?? throw new InvalidOperationException("The embedded sample is missing from the build.");
            return UsageCsv.Read(sample, options);
        }

        return path == "-" ? UsageCsv.Read(context.OpenStdin(), options) : UsageCsv.Read(path, options);
    }

    /// <summary>Fails before the read, without creating the file, when the rejects file could not be written at all.</summary>
    private static void CheckRejectsFolder(string path)
    {
        string? folder;
        try
        {
            folder = Path.GetDirectoryName(Path.GetFullPath(path));
        }
        catch (Exception e) when (e is ArgumentException or NotSupportedException or PathTooLongException)
        {
            throw new CliInputException($"--rejects: cannot write '{path}': {e.Message}");
        }

        if (Directory.Exists(path) || (folder is not null && !Directory.Exists(folder)))
        {
            throw new CliInputException($"--rejects: cannot write '{path}': {(Directory.Exists(path) ? "it is a folder" : $"the folder '{folder}' does not exist")}.");
        }
    }

    private static StreamWriter OpenRejects(string path)
    {
        try
        {
            return new StreamWriter(path, append: false, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            throw new CliInputException($"--rejects: cannot write '{path}': {e.Message}");
        }
    }

    /// <summary>Writes the rejects: <c>line,reason,row</c> from a CSV, <c>row,reason,values</c> from Parquet (its row number and values).</summary>
    private static void WriteRejects(StreamWriter writer, UsageRows rows)
    {
        writer.Write(rows.FromParquet ? "row,reason,values\n" : "line,reason,row\n");
        foreach (var reject in rows.Rejects)
        {
            writer.Write(CsvText.Row(reject.Number.ToString(CultureInfo.InvariantCulture), CsvText.Cell(reject.Reason), CsvText.Cell(reject.Row)));
            writer.Write('\n');
        }
    }
}
