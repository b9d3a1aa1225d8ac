namespace AsrBilling;

/// <summary>The built-in price book, read from the JSON file embedded in the library.</summary>
internal static class BuiltInPrices
{
    private const string TencentCloudInternationalResource = "AsrBilling.PriceData.tencent-cloud-international-2025-08-19.json";

    /// <summary>
    /// The 2025-08-19 international list, in force from 2025-08-19 ("Tencent Cloud ASR international
    /// Billing Overview, pay-as-you-go, last updated 2025-08-19"). Thresholds are hours per day; the
    /// source writes the tiers as 0~299, 300~999, 1000~2999, 3000~4999 and ≥5000, read as half-open
    /// ranges (billing rule 3). The one copy of these prices is
    /// <c>PriceData/tencent-cloud-international-2025-08-19.json</c>.
    /// </summary>
    public static PriceBook TencentCloudInternational { get; } = LoadEmbedded(TencentCloudInternationalResource);

    private static PriceBook LoadEmbedded(string resource)
    {
        using var stream = typeof(BuiltInPrices).Assembly.GetManifestResourceStream(resource)
            ?? throw new InvalidOperationException($"The library lacks its embedded price book '{resource}'.");
        return PriceBookJson.Load(stream);
    }
}
