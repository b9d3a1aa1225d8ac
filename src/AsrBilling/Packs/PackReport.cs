using System.Collections.Immutable;
using System.Text;
using NodaTime;

namespace AsrBilling;

/// <summary>
/// What a bill did with one prepaid pack: the seconds it covered in each calendar month, the seconds
/// left after the billed period, and the seconds that expired unused, with what they were worth.
/// </summary>
/// <remarks>
/// The billed period runs to <see cref="AsOf"/>, the last day of the calendar month of the bill's last
/// billing date. A pack whose <see cref="ResourcePack.ValidTo"/> is on or before it has expired: its
/// seconds not used are <see cref="ExpiredSeconds"/>, and none are left. Otherwise they are
/// <see cref="LeftSeconds"/>. So <see cref="UsedSeconds"/> + <see cref="LeftSeconds"/> +
/// <see cref="ExpiredSeconds"/> = the pack's <see cref="ResourcePack.Seconds"/>. Immutable.
/// </remarks>
public sealed class PackReport
{
    internal PackReport(ResourcePack pack, ImmutableSortedDictionary<YearMonth, long> secondsByMonth, LocalDate? asOf)
    {
        Pack = pack;
        SecondsByMonth = secondsByMonth;
        AsOf = asOf;
        UsedSeconds = secondsByMonth.Values.Sum();
        var unused = pack.Seconds - UsedSeconds;
        var expired = asOf is { } end && pack.ValidTo <= end;
        (LeftSeconds, ExpiredSeconds) = expired ? (0L, unused) : (unused, 0L);

        // Worth = price × expired ÷ held, multiplied first, rounded once to cents half away from zero (as billing rule 5).
        ExpiredValue = pack.Price is { } price
            ? Money.Trusted(Math.Round(price.Amount * ExpiredSeconds / pack.Seconds, 2, MidpointRounding.AwayFromZero) + 0.00m, price.Currency)
            : null;
    }

    /// <summary>The pack.</summary>
    public ResourcePack Pack { get; }

    /// <summary>The last date of the billed period: the end of the month of the bill's last billing date; null for a bill without usage.</summary>
    public LocalDate? AsOf { get; }

    /// <summary>The seconds the pack covered, per calendar month of the billing dates, in month order; months without use are left out.</summary>
    public ImmutableSortedDictionary<YearMonth, long> SecondsByMonth { get; }

    /// <summary>The seconds the pack covered in the bill.</summary>
    public long UsedSeconds { get; }

    /// <summary>The seconds still usable after <see cref="AsOf"/>: 0 once the pack has expired.</summary>
    public long LeftSeconds { get; }

    /// <summary>The seconds that expired unused: those not used by a pack whose last valid date is on or before <see cref="AsOf"/>.</summary>
    public long ExpiredSeconds { get; }

    /// <summary>The hours the pack covered: <see cref="UsedSeconds"/> ÷ 3600.</summary>
    public decimal UsedHours => UsedSeconds / 3600m;

    /// <summary>The hours left: <see cref="LeftSeconds"/> ÷ 3600.</summary>
    public decimal LeftHours => LeftSeconds / 3600m;

    /// <summary>The hours that expired unused: <see cref="ExpiredSeconds"/> ÷ 3600.</summary>
    public decimal ExpiredHours => ExpiredSeconds / 3600m;

    /// <summary>
    /// What the expired hours were worth: the pack's price × expired seconds ÷ its seconds, multiplied
    /// first, rounded to cents half away from zero; null when the pack has no price.
    /// </summary>
    public Money? ExpiredValue { get; }

    /// <summary>
    /// Formats invariantly, for example <c>rt-30: used 25 h (2026-03: 25 h); expired unused 5 h, worth 15.00 CNY</c>
    /// or <c>rt-1000: used 0 h; 1000 h left</c>.
    /// </summary>
    /// <returns>The report as text.</returns>
    public override string ToString()
    {
        var text = new StringBuilder();
        text.Append(Pack.Id).Append(": used ").Append(PackCoverage.FormatSeconds(UsedSeconds));
        if (SecondsByMonth.Count > 0)
        {
            text.Append(" (").AppendJoin(", ", SecondsByMonth.Select(m => $"{IsoDate.FormatMonth(m.Key.OnDayOfMonth(1))}: {PackCoverage.FormatSeconds(m.Value)}")).Append(')');
        }

        if (ExpiredSeconds > 0)
        {
            text.Append("; expired unused ").Append(PackCoverage.FormatSeconds(ExpiredSeconds));
            if (ExpiredValue is { } worth)
            {
                text.Append(", worth ").Append(worth.ToString());
            }
        }
        else
        {
            text.Append("; ").Append(PackCoverage.FormatSeconds(LeftSeconds)).Append(" left");
        }

        return text.ToString();
    }
}
