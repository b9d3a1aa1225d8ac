using System.Globalization;
using System.Text.Json;
using NodaTime;

namespace AsrBilling.Cli.Output;

/// <summary>How a bill's prepaid packs show in every format: per charge, what they covered; per pack, its report.</summary>
internal static class PackOutput
{
    /// <summary>Whether the run was given packs: only then do the outputs gain pack columns and fields.</summary>
    public static bool Any(Bill bill) => !bill.Packs.IsEmpty;

    /// <summary>What a charge took from each pack, for a CSV cell: <c>rt-30:36000;rt-1000:7200</c> (seconds), empty for none.</summary>
    public static string CoverageCell(BillCharge charge) =>
        CsvText.Cell(string.Join(";", charge.PackCoverage.Select(c => string.Create(CultureInfo.InvariantCulture, $"{c.Pack.Id}:{c.Seconds}"))));

    /// <summary>A charge's pack fields in JSON: <c>packSeconds</c>, and <c>packs</c> with each pack's id and seconds.</summary>
    public static void WriteCharge(Utf8JsonWriter w, BillCharge charge)
    {
        w.WriteNumber("packSeconds", charge.PackSeconds);
        w.WriteStartArray("packs");
        foreach (var coverage in charge.PackCoverage)
        {
            w.WriteStartObject();
            w.WriteString("id", coverage.Pack.Id);
            w.WriteNumber("seconds", coverage.Seconds);
            w.WriteEndObject();
        }

        w.WriteEndArray();
    }

    /// <summary>The bill's pack reports in JSON, as <c>packsAsOf</c> and <c>packs</c>.</summary>
    public static void WriteReports(Utf8JsonWriter w, Bill bill)
    {
        if (bill.Packs[0].AsOf is { } asOf)
        {
            w.WriteString("packsAsOf", IsoDate.Format(asOf));
        }
        else
        {
            w.WriteNull("packsAsOf");
        }

        w.WriteStartArray("packs");
        foreach (var report in bill.Packs)
        {
            var pack = report.Pack;
            w.WriteStartObject();
            w.WriteString("id", pack.Id);
            w.WriteString("account", pack.Account);
            w.WriteString("service", pack.Service.Id);
            w.WriteNumber("hours", pack.Hours);
            w.WriteString("validFrom", IsoDate.Format(pack.ValidFrom));
            w.WriteString("validTo", IsoDate.Format(pack.ValidTo));
            w.WriteNumber("usedSeconds", report.UsedSeconds);
            w.WriteNumber("leftSeconds", report.LeftSeconds);
            w.WriteNumber("expiredSeconds", report.ExpiredSeconds);
            w.WriteStartArray("usedByMonth");
            foreach (var (month, seconds) in report.SecondsByMonth)
            {
                w.WriteStartObject();
                w.WriteString("month", Month(month));
                w.WriteNumber("seconds", seconds);
                w.WriteEndObject();
            }

            w.WriteEndArray();
            if (pack.Price is { } price && report.ExpiredValue is { } worth)
            {
                w.WriteString("currency", price.Currency);
                w.WriteNumber("price", price.Amount);
                w.WriteNumber("expiredValue", worth.Amount);
            }

            w.WriteEndObject();
        }

        w.WriteEndArray();
    }

    /// <summary>The packs table for people: hours used (and per month), left, and expired unused with their worth.</summary>
    public static void WriteTable(TextWriter output, Bill bill)
    {
        var asOf = bill.Packs[0].AsOf is { } date ? $" as of {IsoDate.Format(date)}" : string.Empty;
        output.WriteLine($"Packs{asOf} (free hours first, then the pack that expires first):");
        var table = new TextTable("pack", "account", "service", "valid", "hours", "used", "used by month", "left", "expired", "expired worth");
        foreach (var report in bill.Packs)
        {
            var pack = report.Pack;
            table.AddRow(
                pack.Id,
                BillOutput.Show(pack.Account),
                pack.Service.Id,
                $"{IsoDate.Format(pack.ValidFrom)} to {IsoDate.Format(pack.ValidTo)}",
                TextValues.Hours(pack.Hours),
                TextValues.Hours(report.UsedHours),
                report.SecondsByMonth.Count == 0 ? "-" : string.Join(", ", report.SecondsByMonth.Select(m => $"{Month(m.Key)}: {TextValues.Hours(m.Value / 3600m)} h")),
                TextValues.Hours(report.LeftHours),
                TextValues.Hours(report.ExpiredHours),
                report.ExpiredValue?.ToString() ?? "-");
        }

        table.WriteTo(output, rightAligned: [4, 5, 7, 8, 9]);
        output.WriteLine();
    }

    private static string Month(YearMonth month) => IsoDate.FormatMonth(month.OnDayOfMonth(1));
}
