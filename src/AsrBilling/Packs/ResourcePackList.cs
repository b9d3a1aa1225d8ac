using System.Collections;
using System.Collections.Immutable;
using System.Diagnostics.CodeAnalysis;

namespace AsrBilling;

/// <summary>
/// Prepaid packs in a fixed order, the order of their file, with unique ids. Deduction uses the order
/// to break ties: of packs that expire on the same date, the earlier in the list goes first (billing rule 11).
/// </summary>
/// <remarks>
/// Immutable and safe to share across threads. Ids are compared by ordinal, case-sensitive:
/// <c>rt-1</c> and <c>RT-1</c> are two packs, as usage record ids are two records. Two lists are equal
/// when they hold equal packs in the same order. <see cref="ResourcePackJson"/> reads and writes them.
/// </remarks>
public sealed class ResourcePackList : IReadOnlyList<ResourcePack>, IEquatable<ResourcePackList>
{
    private readonly Dictionary<string, ResourcePack> _byId;

    /// <summary>Creates a list of packs, in the given order.</summary>
    /// <param name="packs">The packs; no null, no two with the same <see cref="ResourcePack.Id"/>.</param>
    /// <exception cref="ArgumentNullException"><paramref name="packs"/> is null.</exception>
    /// <exception cref="ArgumentException">A pack is null, or two packs share an id; the message names the id and both positions.</exception>
    public ResourcePackList(IEnumerable<ResourcePack> packs)
    {
        ArgumentNullException.ThrowIfNull(packs);
        Packs = [.. packs];
        _byId = new Dictionary<string, ResourcePack>(Packs.Length, StringComparer.Ordinal);
        for (var i = 0; i < Packs.Length; i++)
        {
            var pack = Packs[i] ?? throw new ArgumentException($"The pack at position {i} is null.", nameof(packs));
            if (!_byId.TryAdd(pack.Id, pack))
            {
                throw new ArgumentException(
                    $"Pack ids should be unique, but '{pack.Id}' is at positions {Packs.IndexOf(_byId[pack.Id])} and {i}.", nameof(packs));
            }
        }
    }

    /// <summary>A list without packs.</summary>
    public static ResourcePackList Empty { get; } = new([]);

    /// <summary>The packs, in the order given (file order).</summary>
    public ImmutableArray<ResourcePack> Packs { get; }

    /// <summary>The number of packs.</summary>
    public int Count => Packs.Length;

    /// <summary>The pack at a position, in file order.</summary>
    /// <param name="index">The 0-based position.</param>
    /// <returns>The pack.</returns>
    /// <exception cref="IndexOutOfRangeException"><paramref name="index"/> is outside the list.</exception>
    public ResourcePack this[int index] => Packs[index];

    /// <summary>Returns the pack with an id.</summary>
    /// <param name="id">The id, compared by ordinal (case-sensitive).</param>
    /// <returns>The pack.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="id"/> is null.</exception>
    /// <exception cref="KeyNotFoundException">No pack has that id.</exception>
    public ResourcePack Get(string id)
    {
        ArgumentNullException.ThrowIfNull(id);
        return _byId.TryGetValue(id, out var pack) ? pack : throw new KeyNotFoundException($"No pack has the id '{id}'.");
    }

    /// <summary>Looks up the pack with an id.</summary>
    /// <param name="id">The id, compared by ordinal (case-sensitive); null gives false.</param>
    /// <param name="pack">The pack, when found.</param>
    /// <returns>Whether a pack has that id.</returns>
    public bool TryGet([NotNullWhen(true)] string? id, [NotNullWhen(true)] out ResourcePack? pack)
    {
        if (id is null)
        {
            pack = null;
            return false;
        }

        return _byId.TryGetValue(id, out pack);
    }

    /// <summary>Enumerates the packs in file order.</summary>
    /// <returns>An enumerator.</returns>
    public ImmutableArray<ResourcePack>.Enumerator GetEnumerator() => Packs.GetEnumerator();

    /// <inheritdoc />
    IEnumerator<ResourcePack> IEnumerable<ResourcePack>.GetEnumerator() => ((IEnumerable<ResourcePack>)Packs).GetEnumerator();

    /// <inheritdoc />
    IEnumerator IEnumerable.GetEnumerator() => ((IEnumerable)Packs).GetEnumerator();

    /// <summary>Counts the packs: <c>3 packs</c>.</summary>
    /// <returns>The count and the noun.</returns>
    public override string ToString() => TextCount.Of(Count, "pack");

    /// <inheritdoc />
    public bool Equals(ResourcePackList? other) =>
        ReferenceEquals(this, other) || (other is not null && Packs.SequenceEqual(other.Packs));

    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as ResourcePackList);

    /// <inheritdoc />
    public override int GetHashCode()
    {
        var hash = new HashCode();
        foreach (var pack in Packs)
        {
            hash.Add(pack);
        }

        return hash.ToHashCode();
    }
}
