using AsrBilling.Cli.Commands;
using System.Text.Encodings.Web;
using System.Text.Json;
using NodaTime;

namespace AsrBilling.Cli.Output;

/// <summary>
/// JSON output with <see cref="Utf8JsonWriter"/>: money values are JSON numbers written from
/// <see cref="decimal"/> as they are (fees carry exactly two decimals), never through double.
/// </summary>
internal static class JsonOutput
{
    private static readonly JsonWriterOptions Options = new()
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static void Write(TextWriter output, Action<Utf8JsonWriter> write)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, Options))
        {
            write(writer);
        }

        output.WriteLine(System.Text.Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length));
    }

    public static void WriteCharge(Utf8JsonWriter w, Charge charge, decimal hours, LocalDate? date, TierCliff? cliff = null)
    {
        w.WriteStartObject();
        w.WriteString("service", charge.Service.Id);
        w.WriteNumber("hours", hours);
        if (date is { } d)
        {
            w.WriteString("date", Iso(d));
        }

        w.WriteNumber("tier", charge.Tier.Number);
        w.WriteNumber("tierFromHours", charge.Tier.FromHours);
        WriteNullableNumber(w, "tierToHours", charge.Tier.ToHours);
        w.WriteNumber("unitPrice", charge.UnitPrice.Amount);
        w.WriteString("currency", charge.Fee.Currency);
        w.WriteNumber("fee", charge.Fee.Amount);
        w.WriteNumber("exactFee", charge.ExactFee.Amount);
        w.WriteString("priceVersion", Iso(charge.Table.EffectiveFrom));
        w.WriteString("explanation", charge.ToString());
        if (cliff is { } c)
        {
            w.WriteStartObject("cliff");
            WriteCliff(w, c);
            w.WriteNumber("saving", (charge.Fee - c.FeeAtCheaperPoint).Amount);
            w.WriteEndObject();
        }

        w.WriteEndObject();
    }

    /// <summary>Where a cliff's threshold is and what its cheaper point (the threshold, or the first billable total past it) costs.</summary>
    public static void WriteCliff(Utf8JsonWriter w, TierCliff cliff)
    {
        w.WriteNumber("thresholdHours", cliff.ThresholdHours);
        w.WriteNumber("cheaperPointSeconds", cliff.CheaperPointSeconds);
        w.WriteNumber("feeAtCheaperPoint", cliff.FeeAtCheaperPoint.Amount);
    }

    /// <summary>The row counts of a read: read = billed + duplicates + rejected.</summary>
    public static void WriteRows(Utf8JsonWriter w, UsageRows rows)
    {
        w.WriteStartObject("rows");
        w.WriteNumber("read", rows.RowsRead);
        w.WriteNumber("billed", rows.RowsBilled);
        w.WriteNumber("duplicates", rows.DuplicatesIgnored);
        w.WriteNumber("rejected", rows.Rejects.Count);
        w.WriteEndObject();
    }

    public static string Iso(LocalDate date) => IsoDate.Format(date);

    private static void WriteNullableNumber(Utf8JsonWriter w, string name, decimal? value)
    {
        if (value is { } v)
        {
            w.WriteNumber(name, v);
        }
        else
        {
            w.WriteNull(name);
        }
    }
}
