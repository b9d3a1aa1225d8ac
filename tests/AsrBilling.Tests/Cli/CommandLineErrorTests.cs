namespace AsrBilling.Tests.Cli;

/// <summary>
/// A malformed command line exits with 2 and one line on stderr that names the option the user typed;
/// options that cannot both apply are refused, never silently dropped.
/// </summary>
public class CommandLineErrorTests
{
    public static TheoryData<string[], string> Malformed => new()
    {
        // Missing, doubled or out-of-range values.
        { ["bill"], "give the usage CSV to bill (a file, or - for standard input), or --sample for the built-in example" },
        { ["bill", "x.csv", "--sample"], "give a file or --sample, not both" },
        { ["bill", "--sample", "--threads", "0"], "--threads: '0' is not a whole number ≥ 1" },
        { ["forecast", "real-time"], "give --hours-per-day with --month, or --hours or --so-far with --from" },
        { ["sample", "--records", "-1"], "--records: '-1' is not a whole number ≥ 0" },
        { ["sample", "--records", "1", "--accounts", "0"], "--accounts: '0' is not a whole number ≥ 1" },
        { ["sample", "--records", "1", "--days", "0"], "--days: '0' is not a whole number ≥ 1" },
        { ["sample", "--records", "1", "--tags", "-1"], "--tags: '-1' is not a whole number ≥ 0" },
        { ["forecast", "real-time", "--hours-per-day", "1", "--month", "2025-13"], "--month: '2025-13' is not a month in the form YYYY-MM" },
        { ["price", "real-time", "5", "--date", "2025-13-01"], "--date: '2025-13-01' is not a date in the form YYYY-MM-DD" },
        { ["curve", "real-time", "--to", "0"], "--to: '0' is not a number of hours above 0" },

        // What System.CommandLine reports on several lines, or twice.
        { ["bill", "--sample", "--format", "xml"], "--format: 'xml' is not one of table, csv, json" },
        { ["foo"], "unknown command or argument 'foo'" },
        { ["price"], "price: missing <service> <hours>" },
        { [], "give a command: price, tiers, sample, bill, cliffs, forecast, curve, packs" },

        // Options that cannot both apply.
        { ["forecast", "real-time", "--hours-per-day", "280", "--month", "2025-09", "--hours", "1,2", "--from", "2025-09-01"], "--hours-per-day and --hours cannot be used together" },
        { ["forecast", "real-time", "--hours", "1,2", "--so-far", "3", "--from", "2025-09-01"], "--hours and --so-far cannot be used together" },
        { ["forecast", "real-time", "--hours", "1,2", "--from", "2025-09-01", "--month", "2025-09"], "--hours and --month cannot be used together" },
        { ["forecast", "real-time", "--hours-per-day", "1", "--month", "2025-09", "--from", "2025-09-01"], "--hours-per-day and --from cannot be used together" },
        { ["forecast", "real-time", "--hours", "1,2"], "--hours needs --from" },
        { ["bill", "x.csv", "--daily-totals", "--zone", "America/New_York"], "--daily-totals and --zone cannot be used together" },
        { ["bill", "x.csv", "--daily-totals", "--duplicates", "ignore"], "--daily-totals and --duplicates cannot be used together" },
        { ["bill", "x.csv", "--daily-totals", "--threads", "2"], "--daily-totals and --threads cannot be used together" },
        { ["bill", "x.csv", "--daily-totals", "--allocate-by", "tag"], "--daily-totals and --allocate-by tag cannot be used together" },
        { ["bill", "--sample", "--daily-totals"], "--sample and --daily-totals cannot be used together" },
        { ["bill", "--sample", "--allocate-by", "tag", "--by", "month"], "--allocate-by and --by month cannot be used together" },

        // The option the user typed, not a library parameter.
        { ["forecast", "real-time", "--hours-per-day", "-1", "--month", "2025-09"], "--hours-per-day: '-1' is not a number of hours ≥ 0" },
        { ["forecast", "real-time", "--hours", "1,-2", "--from", "2025-09-01"], "--hours: entry 2, '-2', is not a number of hours ≥ 0" },
        { ["forecast", "real-time", "--so-far", "1, x", "--from", "2025-09-01"], "--so-far: entry 2, ' x', is not a number of hours ≥ 0" },
        { ["forecast", "real-time", "--so-far", "1,2,3", "--from", "2025-09-29"], "--so-far: 3 days from 2025-09-29 run past the month's end (2025-09-30)" },
        { ["price", "real-time", "--", "-5"], "hours: '-5' is not a number of hours ≥ 0" },
    };

    [Theory]
    [MemberData(nameof(Malformed))]
    public void MalformedCommandLine_ExitsWith2_AndOneLineNamingTheProblem(string[] args, string reason)
    {
        var (code, output, error) = CliRunner.Run(args);

        code.Should().Be(2, error);
        output.Should().BeEmpty();
        var lines = error.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        lines.Should().ContainSingle().Which.Should().StartWith("asr-billing: " + reason);
        lines[0].Should().EndWith($"Run 'asr-billing {(args.Length > 0 && args[0] != "foo" ? args[0] + " " : string.Empty)}--help' for usage.");
        error.Should().NotContain("hoursPerDay").And.NotContain("hoursSoFar");
    }

    [Fact]
    public void DefaultsThatApplyOnTheirOwn_AreNotRefused()
    {
        // --duplicates, --format and --by have defaults; only typing them counts.
        var (code, _, error) = CliRunner.Run("bill", "--sample", "--allocate-by", "tag", "--by", "day");

        code.Should().Be(0, error);
    }
}
