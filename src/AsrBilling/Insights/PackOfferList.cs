using System.Collections;
using System.Collections.Immutable;
using System.Diagnostics.CodeAnalysis;

namespace AsrBilling;

/// <summary>
/// A named list of <see cref="PackOffer"/>s with unique names, in a fixed order, and where they come
/// from; <see cref="TencentCloudChina"/> is built in. <see cref="PackOfferJson"/> reads and writes lists.
/// </summary>
/// <remarks>Immutable and safe to share across threads. Two lists are equal when their names, sources and offers, in order, are.</remarks>
public sealed class PackOfferList : IReadOnlyList<PackOffer>, IEquatable<PackOfferList>
{
    /// <summary>The name of <see cref="TencentCloudChina"/> where a list is chosen by name.</summary>
    private const string TencentCloudChinaName = "tencent-cloud-china";

    private const string TencentCloudChinaResource = "AsrBilling.PriceData.tencent-cloud-china-packs.json";

    // Loaded on first use, as the China price book is.
    private static readonly Lazy<PackOfferList> China = new(() =>
    {
        using var stream = typeof(PackOfferList).Assembly.GetManifestResourceStream(TencentCloudChinaResource)
            ?? throw new InvalidOperationException($"The library lacks its embedded offer list '{TencentCloudChinaResource}'.");
        return PackOfferJson.Load(stream, PriceBook.TencentCloudChina);
    });

    /// <summary>Creates a list of offers, in the given order.</summary>
    /// <param name="name">A name for explanations, such as "Tencent Cloud China site, undated copy".</param>
    /// <param name="offers">The offers; no null, no two with the same <see cref="PackOffer.Name"/> (ordinal).</param>
    /// <param name="source">Where the offers come from; optional.</param>
    /// <exception cref="ArgumentNullException"><paramref name="name"/> or <paramref name="offers"/> is null.</exception>
    /// <exception cref="ArgumentException">An offer is null, or two share a name; the message names it and both positions.</exception>
    public PackOfferList(string name, IEnumerable<PackOffer> offers, string? source = null)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(offers);
        Name = name;
        Source = source;
        Offers = [.. offers];
        var positions = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < Offers.Length; i++)
        {
            var offer = Offers[i] ?? throw new ArgumentException($"The offer at position {i} is null.", nameof(offers));
            if (!positions.TryAdd(offer.Name, i))
            {
                throw new ArgumentException($"Offer names should be unique, but '{offer.Name}' is at positions {positions[offer.Name]} and {i}.", nameof(offers));
            }
        }
    }

    /// <summary>
    /// Tencent Cloud's China-site resource packs, each lasting one year, in CNY: real-time 30 h for 90,
    /// 1,000 h for 1,800, 10,000 h for 15,000, 100,000 h for 120,000 and 300,000 h for 300,000
    /// (<c>rt-30</c> … <c>rt-300000</c>); recording file 60 h for 90, 1,000 h for 1,200, 10,000 h for
    /// 10,000, 100,000 h for 80,000 and 300,000 h for 210,000 (<c>rf-60</c> … <c>rf-300000</c>).
    /// </summary>
    /// <remarks>
    /// Its built-in name is <c>tencent-cloud-china</c>. The source is the page of
    /// <see cref="PriceBook.TencentCloudChina"/>, an undated copy of 计费概述 (document 216/35246) in
    /// tencentyun/qcloud-documents: these prices are not known to be current. Read it against
    /// <see cref="PriceBook.TencentCloudChina"/>, whose currency it shares.
    /// </remarks>
    public static PackOfferList TencentCloudChina => China.Value;

    /// <summary>The names of the built-in lists: <c>tencent-cloud-china</c>.</summary>
    public static ImmutableArray<string> BuiltInNames { get; } = [TencentCloudChinaName];

    /// <summary>The list's name.</summary>
    public string Name { get; }

    /// <summary>Where the offers come from, or null.</summary>
    public string? Source { get; }

    /// <summary>The offers, in the order given.</summary>
    public ImmutableArray<PackOffer> Offers { get; }

    /// <summary>The number of offers.</summary>
    public int Count => Offers.Length;

    /// <summary>The offer at a position.</summary>
    /// <param name="index">The 0-based position.</param>
    /// <returns>The offer.</returns>
    /// <exception cref="IndexOutOfRangeException"><paramref name="index"/> is outside the list.</exception>
    public PackOffer this[int index] => Offers[index];

    /// <summary>Looks up a built-in list by name, for example where a command line names one.</summary>
    /// <param name="name">One of <see cref="BuiltInNames"/>, exactly (ordinal); any other text, or null, gives false.</param>
    /// <param name="offers">The list, when found.</param>
    /// <returns>Whether <paramref name="name"/> names a built-in list.</returns>
    public static bool TryGetBuiltIn([NotNullWhen(true)] string? name, [NotNullWhen(true)] out PackOfferList? offers)
    {
        offers = string.Equals(name, TencentCloudChinaName, StringComparison.Ordinal) ? TencentCloudChina : null;
        return offers is not null;
    }

    /// <inheritdoc />
    public IEnumerator<PackOffer> GetEnumerator() => ((IEnumerable<PackOffer>)Offers).GetEnumerator();

    /// <inheritdoc />
    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <summary>Returns the list's name and its number of offers, such as <c>Tencent Cloud China site, undated copy (10 offers)</c>.</summary>
    /// <returns>The list as text.</returns>
    public override string ToString() => $"{Name} ({TextCount.Of(Count, "offer")})";

    /// <inheritdoc />
    public bool Equals(PackOfferList? other) =>
        ReferenceEquals(this, other)
        || (other is not null
            && string.Equals(Name, other.Name, StringComparison.Ordinal)
            && string.Equals(Source, other.Source, StringComparison.Ordinal)
            && Offers.SequenceEqual(other.Offers));

    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as PackOfferList);

    /// <inheritdoc />
    public override int GetHashCode()
    {
        var hash = new HashCode();
        hash.Add(Name, StringComparer.Ordinal);
        foreach (var offer in Offers)
        {
            hash.Add(offer);
        }

        return hash.ToHashCode();
    }
}
