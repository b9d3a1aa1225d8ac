using System.Text;
using System.Text.RegularExpressions;

namespace AsrBilling.Tests.PriceData;

/// <summary>Broken price-book texts for fuzzing Load, made deterministically from a seed.</summary>
internal static partial class PriceBookJsonMutations
{
    private const string ValidHeader = "{\"format\":\"asr-billing-price-book\",\"version\":1,";

    /// <summary>Text that means something to the JSON reader, the scanner or the validation.</summary>
    private static readonly string[] Fragments =
    [
        "{", "}", "[", "]", ",", ":", "\"", "\\", " ", "\n", "-", ".", "e", "0", "1", "9",
        "null", "true", "false", "\"\"", "\"x\"", "{}", "[]", "-1", "-0", "0.5", "1e400", "-1e400", "1e-400", "79228162514264337593543950336",
        "\"1.4\"", "\"abc\"", "\"\\ud800\"", "\"\\u0000\"", "\"2025-02-30\"", "\"2025-08-19\"", "2147483648", "1.5",
        "\"format\"", "\"version\"", "\"name\"", "\"tables\"", "\"service\"", "\"tiers\"", "\"from\"", "\"unitPrice\"", "\"currency\"",
        "\"effectiveFrom\"", "\"tierMode\"", "\"displayName\"", "\"billingIncrementSeconds\"", "\"freeHoursPerMonth\"",
        "\"real-time\"", "\"acme-asr\"", "\"USD\"", "\"graduated\"", "\"month\"", "\uD800", "\u00e9", "\uFEFF", "\0",
    ];

    /// <summary>Applies <paramref name="count"/> random edits: delete, insert, replace a character, swap two values, or replace a value.</summary>
    public static string Mutate(string text, int seed, int count)
    {
        var random = new Random(seed);
        var builder = new StringBuilder(text);
        for (var i = 0; i < count; i++)
        {
            var at = random.Next(builder.Length + 1);
            switch (random.Next(5))
            {
                case 0:
                    builder.Remove(Math.Min(at, builder.Length), Math.Min(random.Next(1, 9), builder.Length - Math.Min(at, builder.Length)));
                    break;
                case 1:
                    builder.Insert(at, Pick(random, Fragments));
                    break;
                case 2 when at < builder.Length:
                    builder[at] = Pick(random, Fragments)[0];
                    break;
                case 3:
                    SwapValues(builder, random);
                    break;
                default:
                    ReplaceValue(builder, random);
                    break;
            }
        }

        return builder.ToString();
    }

    /// <summary>A valid header, then random tokens: texts that reach the deserializer and the validation.</summary>
    public static string RandomTokens(int seed, int length)
    {
        var random = new Random(seed);
        var builder = new StringBuilder(ValidHeader);
        for (var i = 0; i < length; i++)
        {
            builder.Append(Pick(random, Fragments));
        }

        return builder.ToString();
    }

    private static void SwapValues(StringBuilder builder, Random random)
    {
        var values = Values().Matches(builder.ToString());
        if (values.Count < 2)
        {
            return;
        }

        var (a, b) = (values[random.Next(values.Count)], values[random.Next(values.Count)]);
        if (a.Index > b.Index)
        {
            (a, b) = (b, a);
        }

        if (a.Index + a.Length > b.Index)
        {
            return;
        }

        builder.Remove(b.Index, b.Length).Insert(b.Index, a.Value);
        builder.Remove(a.Index, a.Length).Insert(a.Index, b.Value);
    }

    private static void ReplaceValue(StringBuilder builder, Random random)
    {
        var values = Values().Matches(builder.ToString());
        if (values.Count == 0)
        {
            return;
        }

        var value = values[random.Next(values.Count)];
        builder.Remove(value.Index, value.Length).Insert(value.Index, Pick(random, Fragments));
    }

    private static string Pick(Random random, string[] items) => items[random.Next(items.Length)];

    /// <summary>JSON strings (names too), numbers and literals.</summary>
    [GeneratedRegex("\"(?:[^\"\\\\]|\\\\.)*\"|-?\\d+(?:\\.\\d+)?(?:[eE][+-]?\\d+)?|true|false|null")]
    private static partial Regex Values();
}
