using System.Globalization;
using NodaTime;
using NodaTime.Text;

namespace AsrBilling;

/// <summary>
/// ISO dates (<c>uuuu-MM-dd</c>) and months (<c>uuuu-MM</c>) as text, exactly as NodaTime's invariant
/// patterns write and read them.
/// </summary>
/// <remarks>
/// A NodaTime pattern is compiled on first use, together with NodaTime's invariant format info: about
/// 250 methods for the runtime to compile, which a short <c>asr-billing bill</c> paid in every run. The
/// common case here, an ISO-calendar date of a four-digit year, is written and read by hand; anything
/// else goes to the pattern, so results and error messages are NodaTime's own.
/// </remarks>
public static class IsoDate
{
    /// <summary>The date as <c>uuuu-MM-dd</c>, for example <c>2025-08-19</c>.</summary>
    public static string Format(LocalDate date) =>
        IsPlain(date)
            ? string.Create(CultureInfo.InvariantCulture, $"{date.Year:D4}-{date.Month:D2}-{date.Day:D2}")
            : date.ToString("uuuu-MM-dd", CultureInfo.InvariantCulture);

    /// <summary>The date's month as <c>uuuu-MM</c>, for example <c>2025-08</c>.</summary>
    public static string FormatMonth(LocalDate date) =>
        IsPlain(date)
            ? string.Create(CultureInfo.InvariantCulture, $"{date.Year:D4}-{date.Month:D2}")
            : date.ToString("uuuu-MM", CultureInfo.InvariantCulture);

    /// <summary>Reads a date as <see cref="LocalDatePattern.Iso"/> does, with the same result or error.</summary>
    public static ParseResult<LocalDate> Parse(string text) =>
        TryParsePlain(text, out var date) ? ParseResult<LocalDate>.ForValue(date) : LocalDatePattern.Iso.Parse(text);

    private static bool IsPlain(LocalDate date) => date.Calendar == CalendarSystem.Iso && date.Year is >= 0 and <= 9999;

    /// <summary>Exactly ten characters <c>dddd-dd-dd</c> naming a date that exists in the ISO calendar.</summary>
    private static bool TryParsePlain(string text, out LocalDate date)
    {
        date = default;
        if (text.Length != 10 || text[4] != '-' || text[7] != '-'
            || !TryDigits(text, 0, 4, out var year) || !TryDigits(text, 5, 2, out var month) || !TryDigits(text, 8, 2, out var day)
            || month is < 1 or > 12 || day < 1 || day > CalendarSystem.Iso.GetDaysInMonth(year, month))
        {
            return false;
        }

        date = new LocalDate(year, month, day);
        return true;
    }

    private static bool TryDigits(string text, int start, int count, out int value)
    {
        value = 0;
        for (var i = start; i < start + count; i++)
        {
            if (!char.IsAsciiDigit(text[i]))
            {
                return false;
            }

            value = (value * 10) + (text[i] - '0');
        }

        return true;
    }
}
