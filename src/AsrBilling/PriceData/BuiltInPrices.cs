using NodaTime;

namespace AsrBilling;

/// <summary>The built-in price book.</summary>
internal static class BuiltInPrices
{
    private const string Source =
        "Tencent Cloud ASR international Billing Overview, pay-as-you-go, last updated 2025-08-19";

    private static readonly LocalDate Effective = new(2025, 8, 19);

    /// <summary>
    /// The 2025-08-19 international list. Thresholds are hours per day; the source writes the tiers
    /// as 0~299, 300~999, 1000~2999, 3000~4999 and ≥5000, read as half-open ranges (billing rule 3).
    /// </summary>
    public static PriceBook TencentCloudInternational { get; } = new(
        "Tencent Cloud international, 2025-08-19",
        [
            Table(AsrService.RealTime, 1.4m, 1.2m, 1m, 0.86m, 0.7m),
            Table(AsrService.RealTimeLargeModel, 2m, 1.7m, 1.5m, 1.3m, 1.1m),
            Table(AsrService.RecordingFile, 1m, 0.95m, 0.9m, 0.85m, 0.6m),
            Table(AsrService.RecordingFileLargeModel, 1.8m, 1.6m, 1.4m, 1.1m, 0.8m),
        ]);

    private static PriceTable Table(AsrService service, decimal p1, decimal p2, decimal p3, decimal p4, decimal p5) =>
        PriceTable.FromThresholds(service, Effective, "USD", [(0m, p1), (300m, p2), (1000m, p3), (3000m, p4), (5000m, p5)], source: Source);
}
