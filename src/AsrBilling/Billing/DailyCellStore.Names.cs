using System.Buffers.Binary;

namespace AsrBilling;

// The names of several stores put together: their sorted union, and where each store's names went in it.
internal sealed partial class DailyCellStore
{
    /// <summary>
    /// The sorted union of the stores' tag names (ordinal), and the rank of each store's tag ids in it. Names
    /// that are all ASCII are compared as bytes, so that no string is made for a name until it is in the union.
    /// </summary>
    private static (string[] Union, int[][] ToUnion) UnionOfTags(IReadOnlyList<DailyCellStore> stores, ParallelOptions parallel)
    {
        var lists = stores.Select(s => s._tagNames).ToArray();
        return lists.All(l => l.AllAscii) ? UnionOfBytes(lists, parallel) : Union([.. lists.Select(l => l.ToArray())], parallel);
    }

    /// <summary>
    /// The sorted union of several lists of names (ordinal), and where each list's names went in it, by
    /// their index in the list; a name may be in a list more than once. Each list is sorted on its own thread, then merged.
    /// </summary>
    private static (string[] Union, int[][] ToUnion) Union(string[][] lists, ParallelOptions parallel)
    {
        var sorted = new string[lists.Length][];
        var order = new int[lists.Length][];
        Parallel.For(0, lists.Length, parallel, k =>
        {
            sorted[k] = (string[])lists[k].Clone();
            order[k] = [.. Enumerable.Range(0, lists[k].Length)];
            Array.Sort(sorted[k], order[k], StringComparer.Ordinal);
        });

        var union = new List<string>(lists.Max(l => l.Length));
        var toUnion = lists.Select(l => new int[l.Length]).ToArray();
        var heads = new int[lists.Length];
        while (true)
        {
            string? least = null;
            for (var k = 0; k < lists.Length; k++)
            {
                if (heads[k] < sorted[k].Length && (least is null || string.CompareOrdinal(sorted[k][heads[k]], least) < 0))
                {
                    least = sorted[k][heads[k]];
                }
            }

            if (least is null)
            {
                return ([.. union], toUnion);
            }

            for (var k = 0; k < lists.Length; k++)
            {
                while (heads[k] < sorted[k].Length && string.Equals(sorted[k][heads[k]], least, StringComparison.Ordinal))
                {
                    toUnion[k][order[k][heads[k]++]] = union.Count;
                }
            }

            union.Add(least);
        }
    }

    /// <summary>As <see cref="Union(string[][], ParallelOptions)"/>, for lists of names that are all ASCII, compared as bytes.</summary>
    private static (string[] Union, int[][] ToUnion) UnionOfBytes(TagNames[] lists, ParallelOptions parallel)
    {
        var order = new int[lists.Length][];
        Parallel.For(0, lists.Length, parallel, k => order[k] = SortedIds(lists[k]));

        var union = new List<string>(lists.Max(l => l.Count));
        var toUnion = lists.Select(l => new int[l.Count]).ToArray();
        var heads = new int[lists.Length];
        while (true)
        {
            var least = -1;
            for (var k = 0; k < lists.Length; k++)
            {
                if (heads[k] < order[k].Length
                    && (least < 0 || lists[k].BytesOf(order[k][heads[k]]).SequenceCompareTo(lists[least].BytesOf(order[least][heads[least]])) < 0))
                {
                    least = k;
                }
            }

            if (least < 0)
            {
                return ([.. union], toUnion);
            }

            var name = lists[least].BytesOf(order[least][heads[least]]);
            var text = lists[least].NameOf(order[least][heads[least]]);
            for (var k = 0; k < lists.Length; k++)
            {
                while (heads[k] < order[k].Length && lists[k].BytesOf(order[k][heads[k]]).SequenceEqual(name))
                {
                    toUnion[k][order[k][heads[k]++]] = union.Count;
                }
            }

            union.Add(text);
        }
    }

    /// <summary>
    /// The ids of a list of names in the order of their bytes: by the eight bytes after the prefix every name
    /// shares, as one number, then, where those agree, by the rest (far fewer comparisons of names than a sort of strings).
    /// </summary>
    private static int[] SortedIds(TagNames names)
    {
        var ids = new int[names.Count];
        for (var id = 0; id < ids.Length; id++)
        {
            ids[id] = id;
        }

        if (ids.Length < 2)
        {
            return ids;
        }

        var first = names.BytesOf(0);
        var prefix = first.Length;
        for (var id = 1; id < ids.Length && prefix > 0; id++)
        {
            prefix = first[..prefix].CommonPrefixLength(names.BytesOf(id));
        }

        // Bytes past a name's end count as 0, which keeps the keys in the names' order, ties apart.
        var keys = new ulong[ids.Length];
        Span<byte> padded = stackalloc byte[8];
        for (var id = 0; id < keys.Length; id++)
        {
            var rest = names.BytesOf(id)[prefix..];
            if (rest.Length >= 8)
            {
                keys[id] = BinaryPrimitives.ReadUInt64BigEndian(rest);
            }
            else
            {
                padded.Clear();
                rest.CopyTo(padded);
                keys[id] = BinaryPrimitives.ReadUInt64BigEndian(padded);
            }
        }

        Array.Sort(keys, ids);
        Comparison<int> byRest = (a, b) => names.BytesOf(a)[prefix..].SequenceCompareTo(names.BytesOf(b)[prefix..]);
        for (var i = 0; i < ids.Length;)
        {
            var j = i + 1;
            while (j < ids.Length && keys[j] == keys[i])
            {
                j++;
            }

            if (j - i > 1)
            {
                ids.AsSpan(i, j - i).Sort(byRest);
            }

            i = j;
        }

        return ids;
    }
}
