using System.Collections.Frozen;
using System.Collections.Immutable;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using NodaTime;

namespace AsrBilling;

/// <summary>
/// A named, versioned set of price tables: for each service, tables with effective-from dates.
/// A billing date is priced by the latest version whose effective date is on or before it
/// (billing rule 8).
/// </summary>
/// <remarks>
/// Immutable and safe to share across threads. Validated when built: one table per service and
/// effective date. Equality compares the name and every table, so a book saved and loaded again
/// (<see cref="PriceBookJson"/>) equals the original.
/// </remarks>
public sealed class PriceBook : IEquatable<PriceBook>
{
    private readonly FrozenDictionary<AsrService, PriceTable[]> _versions;

    /// <summary>Creates a book.</summary>
    /// <param name="name">A name for explanations, for example "Tencent Cloud international, 2025-08-19".</param>
    /// <param name="tables">The tables, in any order.</param>
    /// <exception cref="ArgumentNullException"><paramref name="name"/> or <paramref name="tables"/> is null.</exception>
    /// <exception cref="PriceTableException">The book is empty, a table is null, or two tables share a service and an effective date.</exception>
    public PriceBook(string name, IEnumerable<PriceTable> tables)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(tables);
        Name = name;
        var list = tables.ToList();
        if (list.Count == 0)
        {
            throw new PriceTableException($"The price book '{name}' has no tables.");
        }

        if (list.Any(t => t is null))
        {
            throw new PriceTableException($"The price book '{name}' holds a null table.");
        }

        Tables = [.. list.OrderBy(t => t.Service.Id, StringComparer.Ordinal).ThenBy(t => t.EffectiveFrom)];
        for (var i = 1; i < Tables.Length; i++)
        {
            if (Tables[i].Service == Tables[i - 1].Service && Tables[i].EffectiveFrom == Tables[i - 1].EffectiveFrom)
            {
                throw new PriceTableException(
                    string.Create(CultureInfo.InvariantCulture, $"The price book '{name}' has two tables for {Tables[i].Service.Id} effective from {IsoDate.Format(Tables[i].EffectiveFrom)}: a service has one table per effective date."),
                    Tables[i].Service.Id);
            }
        }

        _versions = Tables.GroupBy(t => t.Service).ToFrozenDictionary(g => g.Key, g => g.ToArray());
        Services = [.. AsrService.All.Where(_versions.ContainsKey)
            .Concat(_versions.Keys.Where(s => !AsrService.All.Contains(s)).OrderBy(s => s.Id, StringComparer.Ordinal))];
    }

    /// <summary>
    /// Tencent Cloud's international pay-as-you-go list, last updated 2025-08-19, in force from
    /// 2025-08-19: four services, five all-units tiers of hours per day, USD.
    /// </summary>
    /// <remarks>Its built-in name is <c>tencent-cloud-international</c> (<see cref="TryGetBuiltIn"/>).</remarks>
    public static PriceBook TencentCloudInternational => BuiltInPrices.TencentCloudInternational;

    /// <summary>
    /// Tencent Cloud's China-site postpaid list, in CNY: real-time with five all-units tiers of hours
    /// per day (3.2 to 1.2 CNY/h) and 5 free hours a month; recording file with three all-units tiers
    /// of hours per month (1.75 to 0.95 CNY/h) and 10 free hours a month. Free hours count toward the
    /// tier. The large-model services are not in it: no CNY prices were found for them.
    /// </summary>
    /// <remarks>
    /// Its built-in name is <c>tencent-cloud-china</c> (<see cref="TryGetBuiltIn"/>). The source, an
    /// undated copy of the page 计费概述 (document 216/35246) in tencentyun/qcloud-documents, carries no
    /// date: the prices are not known to be current. The tables take effect on 2020-03-25, the latest
    /// date the page mentions, which is not a date Tencent gives for these prices.
    /// </remarks>
    public static PriceBook TencentCloudChina => BuiltInPrices.TencentCloudChina;

    /// <summary>The names of the built-in books: <c>tencent-cloud-international</c> (the default) and <c>tencent-cloud-china</c>.</summary>
    public static ImmutableArray<string> BuiltInNames => BuiltInPrices.Names;

    /// <summary>Looks up a built-in book by name, for example where a command line or a setting names a book.</summary>
    /// <param name="name">One of <see cref="BuiltInNames"/>, exactly (ordinal); any other text, or null, gives false.</param>
    /// <param name="book">The book, when found.</param>
    /// <returns>Whether <paramref name="name"/> names a built-in book.</returns>
    public static bool TryGetBuiltIn([NotNullWhen(true)] string? name, [NotNullWhen(true)] out PriceBook? book) => BuiltInPrices.TryGet(name, out book);

    /// <summary>The book's name.</summary>
    public string Name { get; }

    /// <summary>Every table, ordered by service id, then effective date.</summary>
    public ImmutableArray<PriceTable> Tables { get; }

    /// <summary>The services the book prices: well-known ones in price-list order, then others by id.</summary>
    public ImmutableArray<AsrService> Services { get; }

    /// <summary>Returns the service of the book with an id, such as a custom service that only this book defines.</summary>
    /// <param name="id">The service id; matching ignores ASCII case, as <see cref="AsrService.Parse"/> does.</param>
    /// <returns>The service.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="id"/> is null.</exception>
    /// <exception cref="PriceNotFoundException">The book prices no service with that id; the message lists the ids it prices.</exception>
    public AsrService GetService(string id)
    {
        ArgumentNullException.ThrowIfNull(id);
        return TryGetService(id, out var service) ? service : throw NotFound(id, LocalDate.MaxIsoValue);
    }

    /// <summary>Looks up the service of the book with an id, ignoring ASCII case.</summary>
    /// <param name="id">The service id; null gives false.</param>
    /// <param name="service">The service, when found.</param>
    /// <returns>Whether the book prices a service with that id.</returns>
    public bool TryGetService([NotNullWhen(true)] string? id, [NotNullWhen(true)] out AsrService? service) => AsrService.TryFind(Services, id, out service);

    /// <summary>Returns the version of a service's prices in force on a billing date.</summary>
    /// <param name="service">The service.</param>
    /// <param name="date">The billing date.</param>
    /// <returns>The latest table whose effective date is on or before <paramref name="date"/>.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="service"/> is null.</exception>
    /// <exception cref="PriceNotFoundException">The date is before the earliest version, or the book does not price the service.</exception>
    public PriceTable GetTable(AsrService service, LocalDate date)
    {
        ArgumentNullException.ThrowIfNull(service);
        return TryGetTable(service, date, out var table) ? table : throw NotFound(service.Id, date);
    }

    /// <summary>Looks up the version of a service's prices in force on a billing date.</summary>
    /// <param name="service">The service.</param>
    /// <param name="date">The billing date.</param>
    /// <param name="table">The table, when found.</param>
    /// <returns>Whether a version is in force on <paramref name="date"/>.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="service"/> is null.</exception>
    public bool TryGetTable(AsrService service, LocalDate date, [NotNullWhen(true)] out PriceTable? table)
    {
        ArgumentNullException.ThrowIfNull(service);
        if (_versions.TryGetValue(service, out var versions))
        {
            for (var i = versions.Length - 1; i >= 0; i--)
            {
                if (versions[i].EffectiveFrom <= date)
                {
                    table = versions[i];
                    return true;
                }
            }
        }

        table = null;
        return false;
    }

    /// <summary>Returns the latest version of a service's prices.</summary>
    /// <param name="service">The service.</param>
    /// <returns>The table with the latest effective date.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="service"/> is null.</exception>
    /// <exception cref="PriceNotFoundException">The book does not price the service.</exception>
    public PriceTable GetLatestTable(AsrService service)
    {
        ArgumentNullException.ThrowIfNull(service);
        return _versions.TryGetValue(service, out var versions)
            ? versions[^1]
            : throw NotFound(service.Id, LocalDate.MaxIsoValue);
    }

    /// <summary>Returns the book's name.</summary>
    /// <returns>The name.</returns>
    public override string ToString() => Name;

    /// <inheritdoc />
    public bool Equals(PriceBook? other) =>
        ReferenceEquals(this, other)
        || (other is not null && string.Equals(Name, other.Name, StringComparison.Ordinal) && Tables.SequenceEqual(other.Tables));

    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as PriceBook);

    /// <inheritdoc />
    public override int GetHashCode()
    {
        // Tables are in a fixed order (service id, then date), so equal books add them in the same order.
        var hash = new HashCode();
        hash.Add(Name, StringComparer.Ordinal);
        foreach (var table in Tables)
        {
            hash.Add(table);
        }

        return hash.ToHashCode();
    }

    private PriceNotFoundException NotFound(string serviceId, LocalDate date)
    {
        var versions = _versions.FirstOrDefault(v => v.Key.Id == serviceId).Value;
        if (versions is null)
        {
            return new PriceNotFoundException(
                $"The price book '{Name}' has no prices for {serviceId}. It prices: {string.Join(", ", Services.Select(s => s.Id))}.",
                serviceId,
                date,
                null);
        }

        var earliest = versions[0].EffectiveFrom;
        return new PriceNotFoundException(
            string.Create(CultureInfo.InvariantCulture, $"No price of {serviceId} is in force on {IsoDate.Format(date)}: the earliest version in '{Name}' takes effect on {IsoDate.Format(earliest)}."),
            serviceId,
            date,
            earliest);
    }
}
