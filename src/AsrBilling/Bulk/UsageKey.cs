namespace AsrBilling.Bulk;

/// <summary>
/// An (account, tag) pair resolved by one <see cref="UsageAggregator"/> with
/// <see cref="UsageAggregatorBulk.GetKey"/>, so that a bulk loader adds rows without string lookups.
/// Valid only for the aggregator that made it. Equality compares the aggregator and the pair.
/// </summary>
public readonly struct UsageKey : IEquatable<UsageKey>
{
    internal UsageKey(long owner, int slot, int tag)
    {
        Owner = owner;
        Slot = slot;
        Tag = tag;
    }

    // The stamp of the aggregator that made the key (0 for none): a number, not a reference, so that
    // storing keys in arrays, once per row of a bulk load, needs no GC write barrier.
    internal long Owner { get; }

    internal int Slot { get; }

    // The tag id in the owner, or -1 when the key keeps no per-tag seconds.
    internal int Tag { get; }

    /// <inheritdoc />
    public bool Equals(UsageKey other) => Owner == other.Owner && Slot == other.Slot && Tag == other.Tag;

    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is UsageKey other && Equals(other);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Owner, Slot, Tag);

    /// <summary>Compares two keys.</summary>
    /// <param name="left">The first key.</param>
    /// <param name="right">The second key.</param>
    /// <returns>Whether they name the same pair of the same aggregator.</returns>
    public static bool operator ==(UsageKey left, UsageKey right) => left.Equals(right);

    /// <summary>Compares two keys.</summary>
    /// <param name="left">The first key.</param>
    /// <param name="right">The second key.</param>
    /// <returns>Whether they differ.</returns>
    public static bool operator !=(UsageKey left, UsageKey right) => !left.Equals(right);
}
