using System.CommandLine;
using AsrBilling.Cli.Sample;
using NodaTime;

namespace AsrBilling.Cli.Commands;

/// <summary>
/// <c>asr-billing sample --records N [--accounts K] [--days D] [--from YYYY-MM-DD] [--seed S] [--tags T]</c>:
/// a usage CSV on stdout. <c>--tags T</c> gives each account T tags of its own (<c>t01</c>…), one per row
/// at random, so there are T × K distinct (account, tag) pairs; 0 leaves every tag empty; without it the
/// tags come from a fixed list of six.
/// </summary>
internal static class SampleCommand
{
    public static Command Create(CliContext context)
    {
        var records = new Option<long>("--records")
        {
            Description = "How many usage records to write.",
            Required = true,
            CustomParser = r => CommonOptions.ParseCount(r, "--records", 0),
        };
        var accounts = new Option<int>("--accounts")
        {
            Description = "How many accounts.",
            DefaultValueFactory = _ => 50,
            CustomParser = r => CommonOptions.ParseInt(r, "--accounts", 1),
        };
        var days = new Option<int>("--days")
        {
            Description = "How many days the records span.",
            DefaultValueFactory = _ => 30,
            CustomParser = r => CommonOptions.ParseInt(r, "--days", 1),
        };
        var from = new Option<LocalDate?>("--from")
        {
            Description = "The first day (UTC), YYYY-MM-DD. Default: 2025-09-01.",
            CustomParser = r => CommonOptions.ParseDate(r, "--from"),
        };
        var seed = new Option<ulong>("--seed") { Description = "The random seed; the same seed gives the same file.", DefaultValueFactory = _ => 1UL };
        var tags = new Option<int?>("--tags")
        {
            Description = "How many tags each account has (t01, t02, …); each row gets one of its account's at random. 0: every tag empty. "
                + "Default: a fixed list of six shared by all accounts.",
            CustomParser = r => CommonOptions.ParseInt(r, "--tags", 0),
        };

        var command = new Command("sample", "Write a realistic usage log in the bill command's CSV format to stdout.") { records, accounts, days, from, seed, tags };
        command.SetAction(parsed =>
        {
            var generator = new UsageSampleGenerator(
                parsed.GetValue(accounts), parsed.GetValue(days), parsed.GetValue(from) ?? new LocalDate(2025, 9, 1), parsed.GetValue(seed), parsed.GetValue(tags));
            context.Output.Flush();
            generator.Write(context.Stdout, parsed.GetValue(records));
            return CliApp.Success;
        });
        return command;
    }
}
