using System.Globalization;
using NodaTime;

namespace AsrBilling;

/// <summary>
/// One use of a service: when it started, how long it ran, and optionally an id (for duplicate
/// detection), the billing account whose daily totals decide the tier, and a tag (a customer,
/// team or project to allocate costs to).
/// </summary>
/// <remarks>
/// The record belongs to the billing day on which it starts (billing rule 6) and bills its
/// duration rounded up to whole seconds (rule 4). <c>default(UsageRecord)</c> has no service and
/// is rejected by billing. Equality compares every component.
/// </remarks>
public readonly struct UsageRecord : IEquatable<UsageRecord>
{
    /// <summary>Creates a record.</summary>
    /// <param name="service">The service used.</param>
    /// <param name="start">When the use started.</param>
    /// <param name="duration">How long it ran; not negative.</param>
    /// <param name="id">An id that is unique per use, or null; a second record with the same id is a duplicate.</param>
    /// <param name="account">The billing account, or null for the one default account.</param>
    /// <param name="tag">A label to allocate costs by, or null.</param>
    /// <exception cref="ArgumentNullException"><paramref name="service"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="duration"/> is negative.</exception>
    public UsageRecord(AsrService service, Instant start, Duration duration, string? id = null, string? account = null, string? tag = null)
    {
        ArgumentNullException.ThrowIfNull(service);
        if (duration < Duration.Zero)
        {
            throw new ArgumentOutOfRangeException(
                nameof(duration), duration, string.Create(CultureInfo.InvariantCulture, $"A usage duration should not be negative, but was {duration.TotalSeconds} s."));
        }

        Service = service;
        Start = start;
        Duration = duration;
        Id = id;
        Account = account;
        Tag = tag;
        BillableSeconds = RoundUpToSeconds(duration);
    }

    /// <summary>The service used.</summary>
    public AsrService Service { get; }

    /// <summary>When the use started; it chooses the billing day.</summary>
    public Instant Start { get; }

    /// <summary>How long the use ran.</summary>
    public Duration Duration { get; }

    /// <summary>The record's id, or null.</summary>
    public string? Id { get; }

    /// <summary>The billing account, or null for the default account.</summary>
    public string? Account { get; }

    /// <summary>The cost-allocation tag, or null.</summary>
    public string? Tag { get; }

    /// <summary>The duration rounded up to whole seconds: 0.2 s bills 1 s, 0 s bills 0 (billing rule 4).</summary>
    public long BillableSeconds { get; }

    /// <inheritdoc />
    public bool Equals(UsageRecord other) =>
        Service == other.Service && Start == other.Start && Duration == other.Duration
        && string.Equals(Id, other.Id, StringComparison.Ordinal)
        && string.Equals(Account, other.Account, StringComparison.Ordinal)
        && string.Equals(Tag, other.Tag, StringComparison.Ordinal);

    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is UsageRecord other && Equals(other);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Service, Start, Duration, Id, Account, Tag);

    /// <summary>Formats invariantly: <c>real-time at 2025-09-02T01:00:00Z for 90 s (id r1, account acme, tag team-a)</c>.</summary>
    /// <returns>The record as text.</returns>
    public override string ToString()
    {
        var extras = new[] { ("id", Id), ("account", Account), ("tag", Tag) }
            .Where(p => p.Item2 is not null).Select(p => $"{p.Item1} {p.Item2}").ToList();
        var text = string.Create(CultureInfo.InvariantCulture, $"{Service?.Id ?? "(no service)"} at {Start} for {Duration.TotalSeconds} s");
        return extras.Count == 0 ? text : $"{text} ({string.Join(", ", extras)})";
    }

    /// <summary>Compares two records.</summary>
    /// <param name="left">The first record.</param>
    /// <param name="right">The second record.</param>
    /// <returns>Whether every component is equal.</returns>
    public static bool operator ==(UsageRecord left, UsageRecord right) => left.Equals(right);

    /// <summary>Compares two records.</summary>
    /// <param name="left">The first record.</param>
    /// <param name="right">The second record.</param>
    /// <returns>Whether any component differs.</returns>
    public static bool operator !=(UsageRecord left, UsageRecord right) => !left.Equals(right);

    /// <summary>Rounds a non-negative duration up to whole seconds without overflow: days and the nanoseconds of the last day.</summary>
    internal static long RoundUpToSeconds(Duration duration)
    {
        const long NanosPerSecond = 1_000_000_000L;
        var nanos = duration.NanosecondOfDay;
        return (duration.Days * 86_400L) + (nanos / NanosPerSecond) + (nanos % NanosPerSecond == 0 ? 0 : 1);
    }
}
