using System.Collections.Immutable;
using System.Diagnostics.CodeAnalysis;

namespace AsrBilling;

/// <summary>The built-in price books, each read from a JSON file embedded in the library.</summary>
internal static class BuiltInPrices
{
    /// <summary>The name of <see cref="TencentCloudInternational"/> where a book is chosen by name.</summary>
    public const string TencentCloudInternationalName = "tencent-cloud-international";

    /// <summary>The name of <see cref="TencentCloudChina"/> where a book is chosen by name.</summary>
    public const string TencentCloudChinaName = "tencent-cloud-china";

    private const string TencentCloudInternationalResource = "AsrBilling.PriceData.tencent-cloud-international-2025-08-19.json";

    private const string TencentCloudChinaResource = "AsrBilling.PriceData.tencent-cloud-china.json";

    // Loaded on first use: a run that never asks for the China book does not read it.
    private static readonly Lazy<PriceBook> China = new(() => LoadEmbedded(TencentCloudChinaResource));

    /// <summary>The names of the built-in books, the default first.</summary>
    public static ImmutableArray<string> Names { get; } = [TencentCloudInternationalName, TencentCloudChinaName];

    /// <summary>
    /// The 2025-08-19 international list, in force from 2025-08-19 ("Tencent Cloud ASR international
    /// Billing Overview, pay-as-you-go, last updated 2025-08-19"). Thresholds are hours per day; the
    /// source writes the tiers as 0~299, 300~999, 1000~2999, 3000~4999 and ≥5000, read as half-open
    /// ranges (billing rule 3). The one copy of these prices is
    /// <c>PriceData/tencent-cloud-international-2025-08-19.json</c>.
    /// </summary>
    public static PriceBook TencentCloudInternational { get; } = LoadEmbedded(TencentCloudInternationalResource);

    /// <summary>
    /// The China site's postpaid list, from an undated copy of the page 计费概述 (document 216/35246)
    /// in tencentyun/qcloud-documents: real-time at daily tiers, recording file at monthly tiers, CNY,
    /// with the month's free hours (5 h and 10 h) counted toward the tier, as the page's worked
    /// examples do. The large models are left out: the page gives no CNY prices for them. The
    /// tables take effect on 2020-03-25, the latest date the page mentions; each table's source
    /// says why. The one copy of these prices is <c>PriceData/tencent-cloud-china.json</c>.
    /// </summary>
    public static PriceBook TencentCloudChina => China.Value;

    /// <summary>Looks up a built-in book by its name (exact, ordinal).</summary>
    public static bool TryGet([NotNullWhen(true)] string? name, [NotNullWhen(true)] out PriceBook? book)
    {
        book = name switch
        {
            TencentCloudInternationalName => TencentCloudInternational,
            TencentCloudChinaName => TencentCloudChina,
            _ => null,
        };
        return book is not null;
    }

    private static PriceBook LoadEmbedded(string resource)
    {
        using var stream = typeof(BuiltInPrices).Assembly.GetManifestResourceStream(resource)
            ?? throw new InvalidOperationException($"The library lacks its embedded price book '{resource}'.");
        return PriceBookJson.Load(stream);
    }
}
