using System.Globalization;

namespace AsrBilling.Cli.Output;

/// <summary>Numbers in text output for people; JSON and CSV output keep them exact.</summary>
internal static class TextValues
{
    /// <summary>
    /// Hours to 2 decimals, half away from zero, without trailing zeros, and with <c>≈</c> before a value
    /// that rounding changed: <c>300</c>, <c>12.5</c>, <c>≈4166.67</c> (as the library's explanations show them).
    /// </summary>
    public static string Hours(decimal hours)
    {
        var rounded = Math.Round(hours, 2, MidpointRounding.AwayFromZero);
        return (rounded == hours ? string.Empty : "≈") + rounded.ToString("0.##", CultureInfo.InvariantCulture);
    }

    /// <summary>The count and the noun, which takes an <c>s</c> unless the count is 1: <c>1 row</c>, <c>2 rows</c>.</summary>
    public static string Count(long count, string noun) => string.Create(CultureInfo.InvariantCulture, $"{count} {noun}{(count == 1 ? string.Empty : "s")}");
}
