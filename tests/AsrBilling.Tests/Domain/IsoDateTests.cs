using System.Globalization;
using NodaTime.Calendars;
using NodaTime.Text;

namespace AsrBilling.Tests.Domain;

public class IsoDateTests
{
    public static TheoryData<LocalDate, string, string> Dates { get; } = new()
    {
        { new LocalDate(2025, 8, 19), "2025-08-19", "2025-08" },
        { new LocalDate(2025, 12, 31), "2025-12-31", "2025-12" },
        { new LocalDate(2024, 2, 29), "2024-02-29", "2024-02" },
        { new LocalDate(1, 1, 1), "0001-01-01", "0001-01" },
        { new LocalDate(999, 10, 5), "0999-10-05", "0999-10" },
        { new LocalDate(0, 2, 29), "0000-02-29", "0000-02" },
        { new LocalDate(9999, 12, 31), "9999-12-31", "9999-12" },
        { new LocalDate(-1, 3, 4), "-0001-03-04", "-0001-03" },
        { new LocalDate(-9998, 1, 1), "-9998-01-01", "-9998-01" },
    };

    /// <summary>Dates on every side of the hand-written path: each calendar's ends, year 0, and other calendars.</summary>
    public static TheoryData<LocalDate> OddDates { get; } = new()
    {
        LocalDate.MinIsoValue,
        LocalDate.MaxIsoValue,
        new LocalDate(0, 1, 1),
        new LocalDate(-1, 12, 31),
        new LocalDate(10, 1, 1),
        new LocalDate(2025, 8, 19, CalendarSystem.Julian),
        new LocalDate(5784, 13, 29, CalendarSystem.HebrewCivil),
        new LocalDate(1447, 2, 3, CalendarSystem.GetIslamicCalendar(IslamicLeapYearPattern.Base16, IslamicEpoch.Civil)),
    };

    public static TheoryData<string> Texts { get; } = new()
    {
        "2025-08-19", "2024-02-29", "0000-01-01", "9999-12-31", "0001-01-01",
        "2025-02-29", "2025-02-30", "2025-13-01", "2025-00-10", "2025-01-00", "2025-04-31", "2100-02-29",
        "2025-8-19", "2025-08-1", "25-08-19", "02025-08-19", "-0001-01-01", "+2025-08-19", "10000-01-01",
        " 2025-08-19", "2025-08-19 ", "2025/08/19", "2025-08-19T00:00", "20250819", "2025-0a-19", "２０２５-08-19", string.Empty, "x",
    };

    [Theory]
    [MemberData(nameof(Dates))]
    public void Format_WritesYearMonthAndDay(LocalDate date, string expected, string month)
    {
        _ = month;

        IsoDate.Format(date).Should().Be(expected);
    }

    [Theory]
    [MemberData(nameof(Dates))]
    public void FormatMonth_WritesYearAndMonth(LocalDate date, string day, string expected)
    {
        _ = day;

        IsoDate.FormatMonth(date).Should().Be(expected);
    }

    [Theory]
    [MemberData(nameof(OddDates))]
    public void Format_AnyDate_IsWhatNodaTimesPatternsWrite(LocalDate date)
    {
        IsoDate.Format(date).Should().Be(date.ToString("uuuu-MM-dd", CultureInfo.InvariantCulture));
        IsoDate.FormatMonth(date).Should().Be(date.ToString("uuuu-MM", CultureInfo.InvariantCulture));
    }

    [Fact]
    public void Format_EveryDayOfFourYears_IsWhatNodaTimesPatternsWrite()
    {
        for (var date = new LocalDate(2023, 1, 1); date < new LocalDate(2027, 1, 1); date = date.PlusDays(1))
        {
            IsoDate.Format(date).Should().Be(date.ToString("uuuu-MM-dd", CultureInfo.InvariantCulture));
            IsoDate.FormatMonth(date).Should().Be(date.ToString("uuuu-MM", CultureInfo.InvariantCulture));
        }
    }

    [Theory]
    [InlineData("2025-08-19", 2025, 8, 19)]
    [InlineData("2024-02-29", 2024, 2, 29)]
    [InlineData("0000-01-01", 0, 1, 1)]
    [InlineData("9999-12-31", 9999, 12, 31)]
    public void Parse_IsoDate_GivesTheDate(string text, int year, int month, int day)
    {
        var parsed = IsoDate.Parse(text);

        parsed.Success.Should().BeTrue();
        parsed.Value.Should().Be(new LocalDate(year, month, day));
    }

    [Fact]
    public void Parse_DayThatDoesNotExist_FailsWithNodaTimesMessage()
    {
        IsoDate.Parse("2025-02-29").Exception.Message.Should().Be("The day 29 is out of range in month 2 of year 2025. Value being parsed: '2025-02-29'.");
        IsoDate.Parse("2025-13-01").Exception.Message.Should().Be("The month 13 is out of range in year 2025. Value being parsed: '2025-13-01'.");
    }

    [Theory]
    [MemberData(nameof(Texts))]
    public void Parse_AnyText_GivesWhatNodaTimesIsoPatternGives(string text)
    {
        var expected = LocalDatePattern.Iso.Parse(text);

        var parsed = IsoDate.Parse(text);

        parsed.Success.Should().Be(expected.Success);
        if (expected.Success)
        {
            parsed.Value.Should().Be(expected.Value);
            parsed.Value.Calendar.Should().Be(CalendarSystem.Iso);
        }
        else
        {
            parsed.Exception.GetType().Should().Be(expected.Exception.GetType());
            parsed.Exception.Message.Should().Be(expected.Exception.Message);
        }
    }
}
