using System.Globalization;

namespace AsrBilling;

/// <summary>The whole seconds of one charge that one prepaid pack covered (billing rule 11).</summary>
/// <remarks>Equality is by value: the same pack (by <see cref="ResourcePack.Equals(ResourcePack?)"/>) and the same seconds.</remarks>
public readonly struct PackCoverage : IEquatable<PackCoverage>
{
    internal PackCoverage(ResourcePack pack, long seconds)
    {
        Pack = pack;
        Seconds = seconds;
    }

    /// <summary>The pack.</summary>
    public ResourcePack Pack { get; }

    /// <summary>The seconds it covered: more than 0.</summary>
    public long Seconds { get; }

    /// <summary>The hours it covered: <see cref="Seconds"/> ÷ 3600, to 28 significant digits.</summary>
    public decimal Hours => Seconds / 3600m;

    /// <summary>Formats invariantly: <c>rt-30 2.5 h</c>, or <c>rt-30 10 s</c> when the seconds are no whole hundredth of an hour.</summary>
    /// <returns>The pack id and what it covered.</returns>
    public override string ToString() => Pack is null ? "(no pack)" : $"{Pack.Id} {FormatSeconds(Seconds)}";

    /// <inheritdoc />
    public bool Equals(PackCoverage other) => Equals(Pack, other.Pack) && Seconds == other.Seconds;

    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is PackCoverage other && Equals(other);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Pack, Seconds);

    /// <summary>Compares two coverages by value.</summary>
    /// <param name="left">The first.</param>
    /// <param name="right">The second.</param>
    /// <returns>Whether they are equal.</returns>
    public static bool operator ==(PackCoverage left, PackCoverage right) => left.Equals(right);

    /// <summary>Compares two coverages by value.</summary>
    /// <param name="left">The first.</param>
    /// <param name="right">The second.</param>
    /// <returns>Whether they differ.</returns>
    public static bool operator !=(PackCoverage left, PackCoverage right) => !left.Equals(right);

    /// <summary>Seconds as hours when they are whole hundredths of an hour (36 s), else as seconds.</summary>
    internal static string FormatSeconds(long seconds) =>
        seconds % 36 == 0 ? PriceTier.FormatHours(seconds / 3600m) + " h" : seconds.ToString(CultureInfo.InvariantCulture) + " s";
}
