using System.Globalization;
using System.Text;
using NodaTime;

namespace AsrBilling.Sql;

/// <summary>
/// How one dialect spells the few things the daily-totals query needs: literals, text functions,
/// whole-number arithmetic, dates, and a check that stops the query with a message.
/// </summary>
/// <remarks>
/// Every function used exists in ClickHouse 18.16 and in current ClickHouse, or in DuckDB 1.x. Both
/// engines compile regular expressions with RE2 in UTF-8 mode, so one pattern serves both; only the
/// string literals that carry it differ (ClickHouse reads backslash escapes in literals, DuckDB does not).
/// </remarks>
internal abstract class SqlSyntax
{
    public static SqlSyntax For(SqlDialect dialect) => dialect switch
    {
        SqlDialect.ClickHouse => new ClickHouseSyntax(),
        SqlDialect.DuckDb => new DuckDbSyntax(),
        _ => throw new ArgumentOutOfRangeException(nameof(dialect), dialect, "Use SqlDialect.ClickHouse or SqlDialect.DuckDb."),
    };

    public abstract SqlDialect Dialect { get; }

    /// <summary>A column or table name, quoted.</summary>
    public abstract string Identifier(string name);

    /// <summary>A string literal holding <paramref name="text"/> exactly.</summary>
    public abstract string Literal(string text);

    /// <summary>A column read as text, with NULL as the empty string.</summary>
    public abstract string Text(string column);

    /// <summary>Whether the text matches an RE2 pattern anywhere.</summary>
    public abstract string Matches(string text, string pattern);

    /// <summary>The text with every match of an RE2 pattern removed.</summary>
    public abstract string RemoveAll(string text, string pattern);

    /// <summary>The first match of an RE2 pattern, or the empty string.</summary>
    public abstract string Extract(string text, string pattern);

    /// <summary>Text of decimal digits as a whole number; 0 for other text.</summary>
    public abstract string Number(string text);

    /// <summary>The text with ASCII capitals made small and every other character kept, as <see cref="StringComparison.OrdinalIgnoreCase"/> compares ids.</summary>
    public abstract string LowerAscii(string text);

    /// <summary><paramref name="length"/> characters from the 1-based <paramref name="start"/>.</summary>
    public abstract string Substring(string text, string start, int length);

    /// <summary>The text's length; ASCII text is all that is measured.</summary>
    public abstract string Length(string text);

    /// <summary>Texts joined.</summary>
    public abstract string Concat(params string[] parts);

    /// <summary>A date as text, <c>YYYY-MM-DD</c>.</summary>
    public abstract string DateText(string date);

    /// <summary>Whole-number division of non-negative numbers, rounding down.</summary>
    public abstract string Divide(string dividend, string divisor);

    /// <summary>A date literal.</summary>
    public abstract string Date(LocalDate date);

    /// <summary>The date of a number of days since 1970-01-01.</summary>
    public abstract string DateOfEpochDay(string days);

    /// <summary>The local date in an IANA zone of the instant a number of seconds after 1970-01-01T00:00:00Z.</summary>
    public abstract string ZoneDate(string epochSeconds, string zoneId);

    /// <summary>A condition that is true where <paramref name="ok"/> holds and stops the query with <paramref name="message"/> where it does not.</summary>
    public abstract string Check(string ok, string message);

    /// <summary>A whole number as a 128-bit one, which sums of 64-bit ones cannot overflow.</summary>
    public abstract string Exact(string value);

    /// <summary>The exact sum of whole numbers, whatever their count.</summary>
    public string ExactSum(string value) => $"sum({Exact(value)})";

    /// <summary>An exact whole number as a signed 64-bit one, in range already.</summary>
    public abstract string ToInt64(string value);

    /// <summary>A condition as a number, 1 or 0.</summary>
    public virtual string Bit(string condition) => $"CASE WHEN {condition} THEN 1 ELSE 0 END";

    private sealed class ClickHouseSyntax : SqlSyntax
    {
        public override SqlDialect Dialect => SqlDialect.ClickHouse;

        public override string Identifier(string name) => $"`{name}`";

        public override string Literal(string text)
        {
            var builder = new StringBuilder("'", text.Length + 2);
            foreach (var c in text)
            {
                builder.Append(c switch
                {
                    '\\' => @"\\",
                    '\'' => @"\'",
                    '\n' => @"\n",
                    '\r' => @"\r",
                    '\t' => @"\t",
                    _ => c.ToString(),
                });
            }

            return builder.Append('\'').ToString();
        }

        public override string Text(string column) => $"ifNull(toString({column}), '')";

        public override string Matches(string text, string pattern) => $"match({text}, {Literal(pattern)})";

        public override string RemoveAll(string text, string pattern) => $"replaceRegexpAll({text}, {Literal(pattern)}, '')";

        public override string Extract(string text, string pattern) => $"extract({text}, {Literal(pattern)})";

        public override string Number(string text) => $"toInt64OrZero({text})";

        // ClickHouse's lower() changes ASCII letters only (lowerUTF8 is the Unicode one).
        public override string LowerAscii(string text) => $"lower({text})";

        public override string Substring(string text, string start, int length) =>
            string.Create(CultureInfo.InvariantCulture, $"substring({text}, {start}, {length})");

        public override string Length(string text) => $"length({text})";

        public override string Concat(params string[] parts) => $"concat({string.Join(", ", parts)})";

        public override string DateText(string date) => $"toString({date})";

        public override string Divide(string dividend, string divisor) => $"intDiv({dividend}, {divisor})";

        public override string Date(LocalDate date) => $"toDate({Literal(IsoDate.Format(date))})";

        public override string DateOfEpochDay(string days) => $"toDate({days})";

        // No DateTime64 before ClickHouse 20.1: the instant is a DateTime of whole seconds, which dates it the same.
        public override string ZoneDate(string epochSeconds, string zoneId) => $"toDate(toDateTime(toUInt32({epochSeconds})), {Literal(zoneId)})";

        // throwIf takes no message before ClickHouse 19: parsing the message as a number fails with it.
        public override string Check(string ok, string message) => $"toUInt8(if({ok}, '0', {message})) = 0";

        public override string Exact(string value) => $"toDecimal128({value}, 0)";

        public override string ToInt64(string value) => $"toInt64({value})";

        public override string Bit(string condition) => $"toInt64({condition})";
    }

    private sealed class DuckDbSyntax : SqlSyntax
    {
        private const string Capitals = "ABCDEFGHIJKLMNOPQRSTUVWXYZ";

        public override SqlDialect Dialect => SqlDialect.DuckDb;

        public override string Identifier(string name) => $"\"{name}\"";

        public override string Literal(string text) => $"'{text.Replace("'", "''", StringComparison.Ordinal)}'";

        public override string Text(string column) => $"coalesce(CAST({column} AS VARCHAR), '')";

        public override string Matches(string text, string pattern) => $"regexp_matches({text}, {Literal(pattern)})";

        public override string RemoveAll(string text, string pattern) => $"regexp_replace({text}, {Literal(pattern)}, '', 'g')";

        public override string Extract(string text, string pattern) => $"regexp_extract({text}, {Literal(pattern)})";

        public override string Number(string text) => $"coalesce(TRY_CAST({text} AS BIGINT), 0)";

        // DuckDB's lower() is Unicode's, which makes the Kelvin sign a 'k': only ASCII capitals change here.
        public override string LowerAscii(string text) => $"translate({text}, '{Capitals}', '{Capitals.ToLowerInvariant()}')";

        public override string Substring(string text, string start, int length) =>
            string.Create(CultureInfo.InvariantCulture, $"substring({text}, {start}, {length})");

        public override string Length(string text) => $"length({text})";

        public override string Concat(params string[] parts) => $"concat({string.Join(", ", parts)})";

        public override string DateText(string date) => $"CAST({date} AS VARCHAR)";

        public override string Divide(string dividend, string divisor) => $"(({dividend}) // ({divisor}))";

        public override string Date(LocalDate date) => $"DATE {Literal(IsoDate.Format(date))}";

        public override string DateOfEpochDay(string days) => $"(DATE '1970-01-01' + CAST({days} AS INTEGER))";

        public override string ZoneDate(string epochSeconds, string zoneId) => $"CAST(timezone({Literal(zoneId)}, to_timestamp({epochSeconds})) AS DATE)";

        public override string Check(string ok, string message) => $"CASE WHEN {ok} THEN TRUE ELSE error({message}) END";

        public override string Exact(string value) => $"CAST({value} AS HUGEINT)";

        public override string ToInt64(string value) => $"CAST({value} AS BIGINT)";
    }
}
