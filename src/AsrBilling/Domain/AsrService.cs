using System.Collections.Immutable;
using System.Diagnostics.CodeAnalysis;

namespace AsrBilling;

/// <summary>
/// A billable speech-recognition service, identified by a stable <see cref="Id"/>.
/// </summary>
/// <remarks>
/// Equality is ordinal on <see cref="Id"/>. Each service counts its own tiers (billing rule 7):
/// a standard service and its large-model version never share a tier counter.
/// </remarks>
public sealed class AsrService : IEquatable<AsrService>
{
    private readonly int _hashCode;

    private AsrService(string id, string displayName, int ordinal)
    {
        Id = id;
        DisplayName = displayName;
        Ordinal = ordinal;
        _hashCode = StringComparer.Ordinal.GetHashCode(id);
    }

    /// <summary>Real-time speech recognition (<c>real-time</c>).</summary>
    public static AsrService RealTime { get; } = new("real-time", "Real-time speech recognition", 0);

    /// <summary>Real-time speech recognition, large model version (<c>real-time-large-model</c>).</summary>
    public static AsrService RealTimeLargeModel { get; } = new("real-time-large-model", "Real-time speech recognition - large model version", 1);

    /// <summary>Recording file recognition (<c>recording-file</c>).</summary>
    public static AsrService RecordingFile { get; } = new("recording-file", "Recording file recognition", 2);

    /// <summary>Recording file recognition, large model version (<c>recording-file-large-model</c>).</summary>
    public static AsrService RecordingFileLargeModel { get; } = new("recording-file-large-model", "Recording file recognition - large model version", 3);

    /// <summary>The position in <see cref="All"/> of a well-known service; -1 for any other.</summary>
    internal int Ordinal { get; }

    /// <summary>The four well-known services, in the order of Tencent's price list.</summary>
    public static ImmutableArray<AsrService> All { get; } = [RealTime, RealTimeLargeModel, RecordingFile, RecordingFileLargeModel];

    /// <summary>The stable, lower-case id, for example <c>real-time</c>.</summary>
    public string Id { get; }

    /// <summary>The name Tencent's price list uses, for example "Real-time speech recognition".</summary>
    public string DisplayName { get; }

    /// <summary>
    /// Returns the service with an id: a well-known one, or a service of another price list (another
    /// vendor's model, say) that a price book defines.
    /// </summary>
    /// <param name="id">Lower-case ASCII letters, digits and single dashes, such as <c>aws-transcribe-standard</c>.</param>
    /// <param name="displayName">A name for people; for a well-known id it is ignored.</param>
    /// <returns>The well-known instance for a well-known id, else a new service.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="id"/> or <paramref name="displayName"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="id"/> is not lower-case letters, digits and dashes.</exception>
    public static AsrService Create(string id, string displayName)
    {
        ArgumentNullException.ThrowIfNull(id);
        ArgumentNullException.ThrowIfNull(displayName);
        if (TryParse(id, out var known) && known.Id == id)
        {
            return known;
        }

        var valid = id.Length is > 0 and <= 64 && id[0] != '-' && id[^1] != '-' && !id.Contains("--", StringComparison.Ordinal)
            && id.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '-');
        return valid
            ? new AsrService(id, displayName, -1)
            : throw new ArgumentException($"A service id is lower-case ASCII letters, digits and single dashes, such as aws-transcribe-standard, but was '{id}'.", nameof(id));
    }

    /// <summary>Returns the well-known service with the given id.</summary>
    /// <param name="id">One of <c>real-time</c>, <c>real-time-large-model</c>, <c>recording-file</c> or
    /// <c>recording-file-large-model</c>. Matching ignores ASCII case.</param>
    /// <returns>The service.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="id"/> is null.</exception>
    /// <exception cref="FormatException"><paramref name="id"/> is not a known id; the message lists the valid ids.</exception>
    public static AsrService Parse(string id)
    {
        ArgumentNullException.ThrowIfNull(id);
        return TryParse(id, out var service) ? service : throw new FormatException(UnknownIdMessage(id));
    }

    /// <summary>Looks up a well-known service by id, ignoring ASCII case.</summary>
    /// <param name="id">The id to look up; null gives false.</param>
    /// <param name="service">The service, when found.</param>
    /// <returns>Whether <paramref name="id"/> names a well-known service.</returns>
    public static bool TryParse([NotNullWhen(true)] string? id, [NotNullWhen(true)] out AsrService? service) => TryFind(All, id, out service);

    /// <summary>Looks up a service among some by id, ignoring ASCII case.</summary>
    internal static bool TryFind(ImmutableArray<AsrService> services, [NotNullWhen(true)] string? id, [NotNullWhen(true)] out AsrService? service)
    {
        foreach (var candidate in services)
        {
            if (string.Equals(candidate.Id, id, StringComparison.OrdinalIgnoreCase))
            {
                service = candidate;
                return true;
            }
        }

        service = null;
        return false;
    }

    internal static string UnknownIdMessage(string id) =>
        $"Unknown service id '{id}'. Valid ids: {string.Join(", ", All.Select(s => s.Id))}.";

    /// <inheritdoc />
    public bool Equals(AsrService? other) =>
        ReferenceEquals(this, other) || (other is not null && string.Equals(Id, other.Id, StringComparison.Ordinal));

    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as AsrService);

    /// <inheritdoc />
    public override int GetHashCode() => _hashCode;

    /// <summary>Returns the <see cref="Id"/>.</summary>
    /// <returns>The id, for example <c>real-time</c>.</returns>
    public override string ToString() => Id;

    /// <summary>Compares two services by id.</summary>
    /// <param name="left">The first service.</param>
    /// <param name="right">The second service.</param>
    /// <returns>Whether both are null or have the same id.</returns>
    public static bool operator ==(AsrService? left, AsrService? right) => left is null ? right is null : left.Equals(right);

    /// <summary>Compares two services by id.</summary>
    /// <param name="left">The first service.</param>
    /// <param name="right">The second service.</param>
    /// <returns>Whether the ids differ.</returns>
    public static bool operator !=(AsrService? left, AsrService? right) => !(left == right);
}
