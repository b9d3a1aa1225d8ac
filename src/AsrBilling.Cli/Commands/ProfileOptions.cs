using System.CommandLine;
using NodaTime;

namespace AsrBilling.Cli.Commands;

/// <summary>
/// The options that describe a usage profile, as <c>forecast</c> takes them: <c>--hours-per-day H --month YYYY-MM</c>
/// (or <c>--year YYYY</c> where a command allows it), <c>--hours H,H,… --from DATE</c>, or <c>--so-far H,H,… --from DATE</c>.
/// </summary>
internal sealed class ProfileOptions
{
    private readonly Option<decimal?> _perDay = new("--hours-per-day")
    {
        Description = "The same hours every day of --month.",
        CustomParser = r => CommonOptions.ParseHours(r, "--hours-per-day"),
    };

    private readonly Option<YearMonth?> _month = new("--month")
    {
        Description = "The month to forecast, YYYY-MM, with --hours-per-day.",
        CustomParser = r => CommonOptions.ParseMonth(r, "--month"),
    };

    private readonly Option<int?>? _year;

    private readonly Option<decimal[]?> _hours = new("--hours")
    {
        Description = "Hours of each day from --from, comma-separated.",
        CustomParser = r => CommonOptions.ParseHoursList(r, "--hours"),
    };

    private readonly Option<decimal[]?> _soFar = new("--so-far")
    {
        Description = "Hours of each day so far from --from, comma-separated; the rest of the month gets their average.",
        CustomParser = r => CommonOptions.ParseHoursList(r, "--so-far"),
    };

    private readonly Option<LocalDate?> _from = new("--from")
    {
        Description = "The first day of --hours or --so-far, YYYY-MM-DD.",
        CustomParser = r => CommonOptions.ParseDate(r, "--from"),
    };

    /// <summary>The profile options; with <paramref name="year"/>, also <c>--year</c>, a whole calendar year for <c>--hours-per-day</c>.</summary>
    public ProfileOptions(bool year = false)
    {
        if (year)
        {
            _perDay.Description = "The same hours every day of --month or --year.";
            _year = new("--year")
            {
                Description = "The calendar year, YYYY, with --hours-per-day.",
                CustomParser = r => (int)CommonOptions.ParseCount(r, "--year", 1, 9999),
            };
        }
    }

    /// <summary>Adds the options to a command, with the check that exactly one way to describe the days is given.</summary>
    public void AddTo(Command command)
    {
        Option[] options = [_perDay, _month, .. _year is null ? Array.Empty<Option>() : [_year], _hours, _soFar, _from];
        foreach (var option in options)
        {
            command.Options.Add(option);
        }

        var period = _year is null ? _month.Name : $"{_month.Name} or {_year.Name}";
        command.Validators.Add(result =>
        {
            Option[] modes = [_perDay, _hours, _soFar];
            var given = modes.Where(result.IsGiven).ToList();
            if (given.Count == 0)
            {
                result.AddError($"give --hours-per-day with {period}, or --hours or --so-far with --from.");
                return;
            }

            if (given.Count > 1)
            {
                CommonOptions.RefuseTogether(result, given[0], given[1], "give one way to describe the days");
                return;
            }

            Option[] periods = given[0] == _perDay ? [_month, .. _year is null ? Array.Empty<Option>() : [_year]] : [_from];
            Option[] refused = given[0] == _perDay ? [_from] : [_month, .. _year is null ? Array.Empty<Option>() : [_year]];
            var wrong = refused.FirstOrDefault(result.IsGiven);
            var needs = given[0] == _perDay ? period : _from.Name;
            if (wrong is not null)
            {
                CommonOptions.RefuseTogether(result, given[0], wrong, $"{given[0].Name} goes with {needs}");
            }
            else if (periods.Count(result.IsGiven) > 1)
            {
                CommonOptions.RefuseTogether(result, periods[0], periods[1], "give one period");
            }
            else if (!periods.Any(result.IsGiven))
            {
                result.AddError($"{given[0].Name} needs {needs}.");
            }
        });
    }

    /// <summary>The profile of the one mode the validator let through.</summary>
    /// <exception cref="CliUsageException">The --so-far days run past the month's end.</exception>
    public UsageProfile Read(ParseResult parsed)
    {
        if (parsed.GetValue(_perDay) is { } h)
        {
            if (_year is not null && parsed.GetValue(_year) is { } year)
            {
                return UsageProfile.Constant(h, new DateInterval(new LocalDate(year, 1, 1), new LocalDate(year, 12, 31)));
            }

            var ym = parsed.GetValue(_month)!.Value;
            return UsageProfile.Constant(h, new DateInterval(ym.OnDayOfMonth(1), ym.OnDayOfMonth(ym.Calendar.GetDaysInMonth(ym.Year, ym.Month))));
        }

        var hours = parsed.IsGiven(_hours) ? parsed.GetValue(_hours) : null;
        var from = parsed.GetValue(_from)!.Value;
        try
        {
            return hours is not null ? UsageProfile.Daily(from, hours) : UsageProfile.MonthSoFar(from, parsed.GetValue(_soFar)!);
        }
        catch (ArgumentException e)
        {
            throw new CliUsageException($"{(hours is not null ? "--hours" : "--so-far")}: {e.Message.Split(" (Parameter", 2)[0]}");
        }
    }
}
