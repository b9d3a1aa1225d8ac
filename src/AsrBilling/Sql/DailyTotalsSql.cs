using System.Globalization;
using System.Text.RegularExpressions;
using NodaTime;

namespace AsrBilling.Sql;

/// <summary>
/// Writes the SQL query that sums a usage table into daily totals
/// (<c>account, service, date, billable_seconds</c>), the input of
/// <see cref="PriceCalculator.Compute(IEnumerable{DailyTotal}, BillingOptions?)"/> and of
/// <c>asr-billing bill --daily-totals</c>, applying a price book's per-record rules as the library does.
/// </summary>
/// <remarks>
/// <para>
/// The table has the usage CSV's columns: <c>id, account, service, start, duration_seconds, tag</c>.
/// <c>start</c> is ISO-8601 text, <c>duration_seconds</c> a decimal or its text, and a missing id or
/// account is an empty string (or NULL). Each row is read as the CSV reader reads it: ids, accounts and
/// services trimmed of white space, services matched to the book's ids ignoring ASCII case, the duration
/// rounded up to whole seconds and then to the billing increment and per-record minimum of the price
/// version in force on the record's billing day (the date in the zone on which it starts). A repeated id
/// counts once, as <see cref="DuplicatePolicy.Ignore"/> does.
/// </para>
/// <para>
/// A row the CSV reader would reject stops the query with a message that names the row: an unknown or
/// unpriced service, a malformed start, a start with no price version on its billing day, a malformed
/// duration. So do rows of one id that differ (a table has no order, so no "first" row could be kept),
/// and spellings the reader takes that the query does not read: a start must be
/// <c>YYYY-MM-DDTHH:MM:SS[.fraction](Z|±HH:MM)</c> from <see cref="FirstStart"/> to before
/// <see cref="EndStart"/>, and a duration digits with an optional fraction, at most 18 digits before the point.
/// </para>
/// </remarks>
public static class DailyTotalsSql
{
    /// <summary>The table read when none is named.</summary>
    public const string DefaultTable = "usage";

    /// <summary>The earliest start the query dates: 1970-01-02T00:00:00Z, the first whose billing date ClickHouse's <c>Date</c> holds in every zone.</summary>
    public static Instant FirstStart { get; } = Instant.FromUtc(1970, 1, 2, 0, 0);

    /// <summary>The end (exclusive) of the starts the query dates: 2100-01-01T00:00:00Z, inside ClickHouse's 32-bit <c>DateTime</c>.</summary>
    public static Instant EndStart { get; } = Instant.FromUtc(2100, 1, 1, 0, 0);

    private const string Indent = "    ";
    private const string NewLine = "\n";

    // char.IsWhiteSpace, which string.Trim uses on ids, accounts and services (a test checks the list).
    private const string WhiteSpaceClass = @"[\t\n\x0B\f\r \x{85}\x{A0}\x{1680}\x{2000}-\x{200A}\x{2028}\x{2029}\x{202F}\x{205F}\x{3000}]";

    // The shape of the CSV reader's fast path: the usage CSV's own starts and durations.
    private const string StartPattern = @"^[0-9]{4}-[0-9]{2}-[0-9]{2}[Tt][0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]{1,9})?([Zz]|[+-][0-9]{2}:[0-9]{2})$";
    private const string DurationPattern = @"^[0-9]{1,18}(\.[0-9]+)?$";

    private static readonly Regex TableName = new(@"^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)?$", RegexOptions.CultureInvariant);

    /// <summary>Writes the daily-totals query of a price book for a dialect.</summary>
    /// <param name="book">The price book whose per-record rules (increment, minimum, price versions) apply.</param>
    /// <param name="dialect">The SQL engine.</param>
    /// <param name="table">The usage table: a name, or <c>database.name</c>, of ASCII letters, digits and underscores. Default: <c>usage</c>.</param>
    /// <param name="zone">The zone whose dates are billing days. Default: Asia/Shanghai.</param>
    /// <returns>One SELECT statement, with comments, returning <c>account, service, date, billable_seconds</c> ordered by the first three.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="book"/> or <paramref name="table"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="table"/> is not a plain name.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="dialect"/> is undefined.</exception>
    /// <exception cref="SqlGenerationException">The zone is not an IANA zone and its offset changes between <see cref="FirstStart"/> and <see cref="EndStart"/>: engines know zones by IANA id only.</exception>
    public static string Generate(PriceBook book, SqlDialect dialect, string table = DefaultTable, DateTimeZone? zone = null)
    {
        ArgumentNullException.ThrowIfNull(book);
        ArgumentNullException.ThrowIfNull(table);
        var sql = SqlSyntax.For(dialect);
        if (!TableName.IsMatch(table))
        {
            throw new ArgumentException($"A table is named with ASCII letters, digits and underscores, optionally as database.table, but was '{table}'.", nameof(table));
        }

        zone ??= BillingOptions.ChinaStandardTime;
        var from = string.Join(".", table.Split('.').Select(sql.Identifier));
        var rows = Rows(book, sql, from, ZoneDate(sql, zone), zone.Id);
        var message = sql.Concat(
            sql.Literal("asr-billing: the billable seconds of account '"), "account", sql.Literal("', "), "service", sql.Literal(" on "), sql.DateText("date"),
            sql.Literal(" exceed 9223372036854775807"));
        return string.Join(
            NewLine,
            Header(book, table, zone.Id).Select(line => "-- " + line).Concat(
            [
                $"SELECT account, service, date, {sql.ToInt64(sql.ExactSum("seconds"))} AS billable_seconds",
                "FROM",
                "(",
                Indented(Once(sql, rows)),
                ") AS usage_once",
                "GROUP BY account, service, date",
                $"HAVING {sql.Check($"{sql.ExactSum("seconds")} <= 9223372036854775807", message)}",
                "ORDER BY account, service, date",
            ]));
    }

    private static IEnumerable<string> Header(PriceBook book, string table, string zoneId)
    {
        yield return $"Daily totals of the usage table {table} for `asr-billing bill --daily-totals` (columns account, service, date, billable_seconds),";
        yield return $"with the per-record rules of the price book '{OneLine(book.Name)}' and billing days in {zoneId}.";
        yield return "Each record bills its duration rounded up to whole seconds, then to the billing increment and per-record minimum";
        yield return "of the price version in force on its billing day: the date in the zone on which it starts.";
        yield return "A repeated id counts once, as `bill --duplicates ignore` does; rows of one id that differ stop the query.";
        yield return "A row that `bill` would reject stops the query with a message that names it.";
    }

    /// <summary>
    /// Every row counted once, in one pass: the rows of a non-empty id form one group (and must agree),
    /// and rows without an id are summed per account, service and date.
    /// </summary>
    private static string Once(SqlSyntax sql, string rows)
    {
        var agree = "min(row_account) = max(row_account) AND min(row_service) = max(row_service) AND min(row_date) = max(row_date) AND min(row_seconds) = max(row_seconds)";
        var message = sql.Concat(
            sql.Literal("asr-billing: the rows with id '"), "row_id",
            sql.Literal("' differ in account, service, billing date or billable seconds; a repeated id counts once only when its rows agree"));
        return string.Join(
            NewLine,
            "-- A repeated id counts once, as `bill --duplicates ignore` does.",
            "SELECT min(row_account) AS account, min(row_service) AS service, min(row_date) AS date,",
            $"{Indent}CASE WHEN row_id = '' THEN {sql.ExactSum("row_seconds")} ELSE {sql.Exact("min(row_seconds)")} END AS seconds",
            "FROM",
            "(",
            Indented(rows),
            ") AS usage_rows",
            $"GROUP BY row_id, CASE WHEN row_id = '' THEN row_account ELSE '' END, CASE WHEN row_id = '' THEN row_service ELSE '' END, CASE WHEN row_id = '' THEN row_date ELSE {sql.Date(FirstBillingDate)} END",
            $"HAVING {sql.Check($"row_id = '' OR ({agree})", message)}");
    }

    /// <summary>The table's rows, checked, dated and rounded: <c>row_id, row_account, row_service, row_date, row_seconds</c>.</summary>
    private static string Rows(PriceBook book, SqlSyntax sql, string table, Func<string, string> zoneDate, string zoneId)
    {
        var trimmed = (string column, string chars) => sql.RemoveAll(sql.Text(sql.Identifier(column)), $"^{chars}+|{chars}+$");
        var texts = Layer(
            [
                $"{trimmed("id", WhiteSpaceClass)} AS id_text",
                $"{trimmed("account", WhiteSpaceClass)} AS account_text",
                $"{trimmed("service", WhiteSpaceClass)} AS service_text",
                $"{trimmed("start", "[ \\t]")} AS start_text",
                $"{trimmed("duration_seconds", "[ \\t]")} AS duration_text",
            ],
            table);

        var ids = string.Join(", ", book.Services.Select(s => sql.Literal(s.Id)));
        var number = (string start, int length) => sql.Number(sql.Substring("start_text", start, length));
        var end = (int back) => $"{sql.Length("start_text")} - {back}";
        var fields = Layer(
            [
                "id_text", "account_text", "service_text", "start_text", "duration_text",
                $"CASE WHEN {sql.LowerAscii("service_text")} IN ({ids}) THEN {sql.LowerAscii("service_text")} ELSE '' END AS service",
                $"{sql.Bit(sql.Matches("start_text", StartPattern))} AS start_shape",
                $"{number("1", 4)} AS y", $"{number("6", 2)} AS mo", $"{number("9", 2)} AS d",
                $"{number("12", 2)} AS h", $"{number("15", 2)} AS mi", $"{number("18", 2)} AS s",
                $"{sql.Bit($"{sql.Substring("start_text", sql.Length("start_text"), 1)} IN ('Z', 'z')")} AS utc",
                $"CASE WHEN {sql.Substring("start_text", end(5), 1)} = '-' THEN -1 ELSE 1 END AS offset_sign",
                $"{number(end(4), 2)} AS oh", $"{number(end(1), 2)} AS om",
                $"{sql.Bit(sql.Matches("duration_text", DurationPattern))} AS duration_shape",
                $"{sql.Number(sql.Extract("duration_text", "^[0-9]+"))} + {sql.Bit(sql.Matches("duration_text", @"\.[0-9]*[1-9]"))} AS whole_seconds",
            ],
            texts);

        // Days since 1970-01-01 of the proleptic Gregorian date y-mo-d (H. Hinnant's days_from_civil; y is at least 1970 where it counts).
        var year = "(y - CASE WHEN mo <= 2 THEN 1 ELSE 0 END)";
        var era = sql.Divide(year, "400");
        var yearOfEra = $"({year} - {era} * 400)";
        var dayOfYear = $"({sql.Divide("153 * (mo + CASE WHEN mo > 2 THEN -3 ELSE 9 END) + 2", "5")} + d - 1)";
        var days = $"({era} * 146097 + {yearOfEra} * 365 + {sql.Divide(yearOfEra, "4")} - {sql.Divide(yearOfEra, "100")} + {dayOfYear} - 719468)";
        var leap = "((y % 4 = 0 AND y % 100 <> 0) OR y % 400 = 0)";
        var monthDays = $"CASE WHEN mo = 2 THEN CASE WHEN {leap} THEN 29 ELSE 28 END WHEN mo IN (4, 6, 9, 11) THEN 30 ELSE 31 END";
        var instant = Layer(
            [
                "id_text", "account_text", "service_text", "start_text", "duration_text", "service", "duration_shape", "whole_seconds",
                $"{sql.Bit($"start_shape = 1 AND mo >= 1 AND mo <= 12 AND d >= 1 AND d <= {monthDays} AND h <= 23 AND mi <= 59 AND s <= 59 AND (utc = 1 OR (om <= 59 AND oh * 60 + om <= 1080))")} AS start_ok",
                $"{days} * 86400 + h * 3600 + mi * 60 + s - CASE WHEN utc = 1 THEN 0 ELSE offset_sign * (oh * 3600 + om * 60) END AS epoch_seconds",
            ],
            fields);

        var first = FirstStart.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        var last = EndStart.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        var dated = Layer(
            [
                "id_text", "account_text", "service_text", "start_text", "duration_text", "service", "start_ok", "duration_shape", "whole_seconds",
                $"{sql.Bit($"start_ok = 1 AND epoch_seconds >= {first} AND epoch_seconds < {last}")} AS start_in_range",
                $"{zoneDate($"CASE WHEN start_ok = 1 AND epoch_seconds >= {first} AND epoch_seconds < {last} THEN epoch_seconds ELSE {first} END")} AS billing_date",
            ],
            instant);

        var reason = Reason(book, sql, zoneId);
        var rowName = $"CASE WHEN id_text = '' THEN {sql.Concat(sql.Literal("the row without an id starting at '"), "start_text", sql.Literal("'"))} ELSE {sql.Concat(sql.Literal("the row with id '"), "id_text", sql.Literal("'"))} END";
        var checkedRows = Layer(
            ["id_text", "account_text", "service", "billing_date", "whole_seconds", $"{reason} AS reason", $"{rowName} AS row_name"],
            dated);

        return string.Join(
            NewLine,
            $"SELECT id_text AS row_id, account_text AS row_account, service AS row_service, billing_date AS row_date, {RecordRules(book, sql)} AS row_seconds",
            "FROM",
            "(",
            Indented(checkedRows),
            ") AS checked_rows",
            $"WHERE {sql.Check("reason = ''", sql.Concat(sql.Literal("asr-billing: "), "row_name", sql.Literal(": "), "reason"))}");
    }

    /// <summary>Why a row cannot be billed, in the CSV reader's order (service, start, price on its date, duration), or ''.</summary>
    private static string Reason(PriceBook book, SqlSyntax sql, string zoneId)
    {
        var ids = string.Join(", ", book.Services.Select(s => s.Id));
        var known = string.Join(", ", AsrService.All.Select(s => sql.Literal(s.Id)));
        var unknownService = $"CASE WHEN {sql.LowerAscii("service_text")} IN ({known}) "
            + $"THEN {sql.Concat(sql.Literal("service: the price book has no prices for '"), "service_text", sql.Literal($"'; it prices: {ids}"))} "
            + $"ELSE {sql.Concat(sql.Literal("service: unknown service id '"), "service_text", sql.Literal($"'; valid ids: {ids}"))} END";
        var whens = new List<string>
        {
            $"WHEN service = '' THEN {unknownService}",
            $"WHEN start_ok = 0 THEN {sql.Concat(sql.Literal("start: '"), "start_text", sql.Literal("' is not an ISO-8601 instant such as 2025-09-01T08:00:00.000Z or 2025-09-01T16:00:00+08:00"))}",
            $"WHEN start_in_range = 0 THEN {sql.Concat(sql.Literal("start: '"), "start_text", sql.Literal($"' is outside the starts the query dates, {Format(FirstStart)} to before {Format(EndStart)}"))}",
        };

        var unpriced = book.Tables.GroupBy(t => t.Service)
            .Select(g => (Service: g.Key, First: g.Min(t => t.EffectiveFrom)))
            .Where(v => v.First > FirstBillingDate)
            .Select(v => $"(service = {sql.Literal(v.Service.Id)} AND billing_date < {sql.Date(v.First)})")
            .ToList();
        if (unpriced.Count > 0)
        {
            whens.Add($"WHEN {string.Join(" OR ", unpriced)} THEN {sql.Concat(sql.Literal("start: no price version of "), "service", sql.Literal(" is in force on "), sql.DateText("billing_date"), sql.Literal($" in {zoneId}"))}");
        }

        whens.Add($"WHEN duration_shape = 0 THEN {sql.Concat(sql.Literal("duration_seconds: '"), "duration_text", sql.Literal("' is not a number of seconds written as digits with an optional fraction, at most 18 digits before the point, such as 90 or 12.5"))}");
        return $"CASE {string.Join(" ", whens)} ELSE '' END";
    }

    /// <summary>The first billing date a readable start can have: <see cref="FirstStart"/> in a zone 18 hours behind UTC.</summary>
    private static LocalDate FirstBillingDate => new(1970, 1, 1);

    /// <summary>The last billing date a readable start can have: just before <see cref="EndStart"/> in a zone 18 hours ahead of UTC.</summary>
    private static LocalDate LastBillingDate => new(2100, 1, 1);

    /// <summary>
    /// A record's billable seconds from its whole seconds, by the increment and minimum of the price
    /// version in force on its service and billing day: a CASE over services and dates when they differ.
    /// </summary>
    private static string RecordRules(PriceBook book, SqlSyntax sql)
    {
        // Per service, the versions that can apply to a readable start, newest first, with equal neighbours merged.
        var branches = new List<(AsrService Service, LocalDate? From, string Seconds)>();
        foreach (var versions in book.Tables.GroupBy(t => t.Service))
        {
            var inForce = versions.OrderBy(t => t.EffectiveFrom).Where(t => t.EffectiveFrom <= LastBillingDate).ToList();
            var fromFirst = inForce.FindLastIndex(t => t.EffectiveFrom <= FirstBillingDate);
            var applying = inForce.Skip(Math.Max(fromFirst, 0)).ToList();
            var merged = new List<(LocalDate From, string Seconds)>();
            foreach (var table in applying)
            {
                var seconds = Billable(sql, table.Rules);
                if (merged.Count == 0 || merged[^1].Seconds != seconds)
                {
                    merged.Add((table.EffectiveFrom, seconds));
                }
            }

            for (var i = merged.Count - 1; i >= 0; i--)
            {
                branches.Add((versions.Key, i == 0 ? null : merged[i].From, merged[i].Seconds));
            }
        }

        if (branches.Select(b => b.Seconds).Distinct(StringComparer.Ordinal).Count() <= 1)
        {
            return branches.Count == 0 ? "whole_seconds" : branches[0].Seconds;
        }

        var whens = branches.Select(b =>
            $"WHEN service = {sql.Literal(b.Service.Id)}{(b.From is { } from ? $" AND billing_date >= {sql.Date(from)}" : string.Empty)} THEN {b.Seconds}");
        return $"CASE {string.Join(" ", whens)} END";
    }

    /// <summary>Whole seconds after a version's increment and minimum, as <see cref="PriceRules"/> applies them (0 s stays 0).</summary>
    private static string Billable(SqlSyntax sql, PriceRules rules)
    {
        if (rules.IncrementSeconds == 1 && rules.MinimumSeconds == 0)
        {
            return "whole_seconds";
        }

        var increment = rules.IncrementSeconds.ToString(CultureInfo.InvariantCulture);
        var rounded = rules.IncrementSeconds == 1 ? "whole_seconds" : $"{sql.Divide($"whole_seconds + {rules.IncrementSeconds - 1}", increment)} * {increment}";
        var billed = rules.MinimumSeconds == 0 ? rounded : $"greatest({rounded}, {rules.MinimumSeconds.ToString(CultureInfo.InvariantCulture)})";
        return $"(CASE WHEN whole_seconds = 0 THEN 0 ELSE {billed} END)";
    }

    /// <summary>How a number of seconds since 1970 becomes a billing date in the zone.</summary>
    private static Func<string, string> ZoneDate(SqlSyntax sql, DateTimeZone zone)
    {
        var intervals = zone.GetZoneIntervals(FirstStart, EndStart).ToList();
        if (intervals.Select(i => i.WallOffset).Distinct().Count() == 1)
        {
            // One offset for every readable start: plain arithmetic, no time-zone data in the engine.
            var offset = intervals[0].WallOffset.Seconds;
            return seconds => sql.DateOfEpochDay(sql.Divide(string.Create(CultureInfo.InvariantCulture, $"{seconds} + {offset}"), "86400"));
        }

        if (!ReferenceEquals(DateTimeZoneProviders.Tzdb.GetZoneOrNull(zone.Id), zone))
        {
            throw new SqlGenerationException(
                $"The zone '{zone.Id}' is not an IANA time zone of the tz database, and its offset changes between {Format(FirstStart)} and {Format(EndStart)}: {sql.Dialect} knows such zones by IANA id only.",
                sql.Dialect.ToString());
        }

        return seconds => sql.ZoneDate(seconds, zone.Id);
    }

    private static string Layer(IEnumerable<string> columns, string from) =>
        string.Join(
            NewLine,
            "SELECT",
            string.Join("," + NewLine, columns.Select(c => Indent + c)),
            "FROM",
            from.StartsWith("SELECT", StringComparison.Ordinal) ? $"({NewLine}{Indented(from)}{NewLine}) AS t" : from);

    private static string Indented(string text) =>
        string.Join(NewLine, text.Split(NewLine).Select(line => line.Length == 0 ? line : Indent + line));

    private static string Format(Instant instant) => NodaTime.Text.InstantPattern.General.Format(instant);

    private static string OneLine(string text) => string.Concat(text.Select(c => char.IsControl(c) ? ' ' : c));
}
