using System.Globalization;

namespace AsrBilling;

/// <summary>Counts in explanations, with the noun in the singular for one: <c>1 charge</c>, <c>2 charges</c>.</summary>
internal static class TextCount
{
    /// <summary>The count and the noun, which takes an <c>s</c> unless the count is 1.</summary>
    public static string Of(long count, string noun) => string.Create(CultureInfo.InvariantCulture, $"{count} {noun}{(count == 1 ? string.Empty : "s")}");
}
