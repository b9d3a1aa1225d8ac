using AsrBilling.Cli.Output;

namespace AsrBilling.Cli.Commands;

/// <summary>
/// Prices and writes a bill of two daily totals on another thread while the usage is read, with the run's options
/// and output: a process's first bill spends about 30 ms loading and compiling the pricing and output code, which
/// otherwise waits until the read is done (the figures are in the commit that added this).
/// </summary>
internal static class BillWarmUp
{
    /// <summary>Starts the warm-up; it writes nowhere, and the errors a book or an option can raise are left to the real bill to meet and report.</summary>
    public static Task Start(BillingOptions options, BillFormat format, bool byMonth, AllocationKey? allocateBy) =>
        Task.Run(() =>
        {
            try
            {
                Run(options, format, byMonth, allocateBy);
            }
            catch (Exception e) when (e is AsrBillingException or ArgumentException or InvalidOperationException or OverflowException)
            {
                // A book or option the real bill rejects: the real bill says so.
            }
        });

    /// <summary>The warm-up itself, on the calling thread.</summary>
    internal static void Run(BillingOptions options, BillFormat format, bool byMonth, AllocationKey? allocateBy)
    {
        var table = options.PriceBook.Tables[^1];
        var date = table.EffectiveFrom;
        var totals = DailyTotalTable.From(
        [
            new DailyTotal("warm-up-a", table.Service, date, 3_600, [new("t", 1_800)]),
            new DailyTotal("warm-up-b", table.Service, date.PlusDays(1), 7_200, [new("t", 7_200)]),
        ]);
        var bill = PriceCalculator.Compute(totals, options);
        var context = new CliContext(Stream.Null, TextWriter.Null, () => Stream.Null, stderrIsTerminal: false);
        var rows = new UsageRows(totals, 2, 2, 0, [], FromParquet: false);
        if (allocateBy is { } key)
        {
            AllocationOutput.Write(context, CostAllocation.Allocate(bill, key), rows, format);
        }
        else
        {
            BillOutput.Write(context, bill, rows, format, byMonth);
        }

        context.Output.Flush();
    }
}
