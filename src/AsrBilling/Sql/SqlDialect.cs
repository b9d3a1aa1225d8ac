namespace AsrBilling.Sql;

/// <summary>The SQL engines that <see cref="DailyTotalsSql"/> writes queries for.</summary>
public enum SqlDialect
{
    /// <summary>ClickHouse, from version 18.16 (Debian's) on: instants are read from text, no <c>DateTime64</c> is needed.</summary>
    ClickHouse = 0,

    /// <summary>DuckDB 1.x, with its ICU extension for time zones (built into its release builds).</summary>
    DuckDb = 1,
}
