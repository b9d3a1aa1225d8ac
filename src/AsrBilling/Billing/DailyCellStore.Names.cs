using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Text;

namespace AsrBilling;

// The names of several stores put together: their sorted union, and where each store's names went in it.
internal sealed partial class DailyCellStore
{
    /// <summary>
    /// The sorted union of several lists of names (ordinal), and where each list's names went in it, by id. Names that
    /// are all ASCII are compared as bytes, so that no string is made for a name given as bytes until it is in the union.
    /// </summary>
    private static (string[] Union, int[][] ToUnion) UnionOfNames(NameList[] lists, ParallelOptions parallel) =>
        lists.All(l => l.AllAscii) ? UnionOfBytes(lists, parallel) : Union([.. lists.Select(l => l.ToArray())], parallel);

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

    /// <summary>
    /// As <see cref="Union(string[][], ParallelOptions)"/>, for lists of names that are all ASCII, compared as bytes: each
    /// list is sorted into a copy of its names in order (<see cref="SortedNames"/>), so that the merge reads memory in order.
    /// </summary>
    // Fully optimized at its first call: run once per bill, its loop would stay in precompiled code.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static (string[] Union, int[][] ToUnion) UnionOfBytes(NameList[] lists, ParallelOptions parallel)
    {
        // The bytes every name of every list starts with: skipped by the keys, which then tell more names apart.
        var prefixes = new int[lists.Length];
        Parallel.For(0, lists.Length, parallel, k => prefixes[k] = SharedPrefix(lists[k]));
        var prefix = int.MaxValue;
        var first = lists.FirstOrDefault(l => l.Count > 0);
        for (var k = 0; k < lists.Length; k++)
        {
            if (lists[k].Count > 0)
            {
                prefix = Math.Min(prefix, Math.Min(prefixes[k], first!.BytesOf(0).CommonPrefixLength(lists[k].BytesOf(0))));
            }
        }
        var sorted = new SortedNames[lists.Length];
        Parallel.For(0, lists.Length, parallel, k => sorted[k] = new SortedNames(lists[k], prefix == int.MaxValue ? 0 : prefix));

        // The merge writes in order: each name's place in the union by its place in its list, and where each name of the union is.
        var ranks = sorted.Select(l => new int[l.Count]).ToArray();
        var (from, at) = (new int[lists.Max(l => l.Count)], new int[lists.Max(l => l.Count)]);
        var count = 0;
        var heads = new int[lists.Length];
        while (true)
        {
            var least = -1;
            for (var k = 0; k < lists.Length; k++)
            {
                if (heads[k] < sorted[k].Count && (least < 0 || sorted[k].Compare(heads[k], sorted[least], heads[least]) < 0))
                {
                    least = k;
                }
            }

            if (least < 0)
            {
                break;
            }

            if (count == from.Length)
            {
                Array.Resize(ref from, 2 * count);
                Array.Resize(ref at, 2 * count);
            }

            (from[count], at[count]) = (least, heads[least]);
            var (names, head) = (sorted[least], heads[least]);
            for (var k = 0; k < lists.Length; k++)
            {
                while (heads[k] < sorted[k].Count && sorted[k].Compare(heads[k], names, head) == 0)
                {
                    ranks[k][heads[k]++] = count;
                }
            }

            count++;
        }

        var union = new string[count];
        var toUnion = lists.Select(l => new int[l.Count]).ToArray();
        // Each list's ranks by id, and the strings of the union in parts, on all cores.
        var parts = parallel.MaxDegreeOfParallelism == 1 ? 1 : Environment.ProcessorCount;
        Parallel.For(0, lists.Length + parts, parallel, k =>
        {
            if (k < lists.Length)
            {
                var (ids, rank, to) = (sorted[k].Ids, ranks[k], toUnion[k]);
                for (var i = 0; i < ids.Length; i++)
                {
                    to[ids[i]] = rank[i];
                }

                return;
            }

            var part = k - lists.Length;
            for (var u = (int)((long)count * part / parts); u < (int)((long)count * (part + 1) / parts); u++)
            {
                // A name given as a string is that string; one given as bytes is made from the copy read in order.
                var list = lists[from[u]];
                union[u] = list.HasStrings ? list.NameOf(sorted[from[u]].Ids[at[u]]) : Encoding.ASCII.GetString(sorted[from[u]].BytesAt(at[u]));
            }
        });

        return (union, toUnion);
    }

    /// <summary>How many bytes every name of a list starts with.</summary>
    private static int SharedPrefix(NameList names)
    {
        if (names.Count == 0)
        {
            return 0;
        }

        var first = names.BytesOf(0);
        var prefix = first.Length;
        for (var id = 1; id < names.Count && prefix > 0; id++)
        {
            prefix = first[..prefix].CommonPrefixLength(names.BytesOf(id));
        }

        return prefix;
    }

    /// <summary>
    /// A list's names in the order of their bytes, copied in that order, with their ids: sorted by the eight bytes after a
    /// prefix every name shares, as one number, then, where those agree, by the rest (far fewer comparisons of names than a sort of strings).
    /// </summary>
    private sealed class SortedNames
    {
        private readonly ulong[] _keys;
        private readonly byte[] _bytes;
        private readonly int[] _start;

        // Fully optimized at its first call: run once per bill, its loops would stay in precompiled code.
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public SortedNames(NameList names, int prefix)
        {
            var ids = new int[names.Count];
            var keys = new ulong[ids.Length];
            Span<byte> padded = stackalloc byte[8];
            var length = 0;
            for (var id = 0; id < ids.Length; id++)
            {
                // Bytes past a name's end count as 0, which keeps the keys in the names' order, ties apart.
                var rest = names.BytesOf(id)[prefix..];
                padded.Clear();
                rest[..Math.Min(8, rest.Length)].CopyTo(padded);
                (ids[id], keys[id]) = (id, BinaryPrimitives.ReadUInt64BigEndian(padded));
                length += prefix + rest.Length;
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

            (_keys, Ids, _bytes, _start) = (keys, ids, new byte[length], new int[ids.Length + 1]);
            for (var i = 0; i < ids.Length; i++)
            {
                var name = names.BytesOf(ids[i]);
                name.CopyTo(_bytes.AsSpan(_start[i]));
                _start[i + 1] = _start[i] + name.Length;
            }
        }

        /// <summary>How many names there are.</summary>
        public int Count => Ids.Length;

        /// <summary>The id of each name, in order.</summary>
        public int[] Ids { get; }

        /// <summary>The i-th name in order.</summary>
        public ReadOnlySpan<byte> BytesAt(int i) => _bytes.AsSpan(_start[i], _start[i + 1] - _start[i]);

        /// <summary>Compares this list's i-th name with another's j-th, both sorted after the same prefix.</summary>
        public int Compare(int i, SortedNames other, int j) =>
            _keys[i] != other._keys[j] ? _keys[i].CompareTo(other._keys[j]) : BytesAt(i).SequenceCompareTo(other.BytesAt(j));
    }
}
