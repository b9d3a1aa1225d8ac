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

        return MergeNames(order, (k, i, m, j) => string.CompareOrdinal(sorted[k][i], sorted[m][j]), (k, i) => sorted[k][i], parallel);
    }

    /// <summary>
    /// As <see cref="Union(string[][], ParallelOptions)"/>, for lists of names that are all ASCII, compared as bytes: each
    /// list is sorted into a copy of its names in order (<see cref="SortedNames"/>), so that the merge reads memory in order.
    /// </summary>
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

        // A name given as a string is that string; one given as bytes is made from the copy read in order.
        return MergeNames(
            [.. sorted.Select(l => l.Ids)],
            (k, i, m, j) => sorted[k].Compare(i, sorted[m], j),
            (k, i) => lists[k].HasStrings ? lists[k].NameOf(sorted[k].Ids[i]) : Encoding.ASCII.GetString(sorted[k].BytesAt(i)),
            parallel);
    }

    /// <summary>
    /// Merges lists of names each in order: list k's i-th name in order has the id <paramref name="ids"/>[k][i], and
    /// <paramref name="compare"/>(k, i, m, j) compares it with list m's j-th. Returns the union's names in order (a name from
    /// <paramref name="nameAt"/>(k, i)) and each list's ranks in it by id. The merge reads and writes in order; the ranks by
    /// id and the union's strings are then filled on all cores.
    /// </summary>
    // Fully optimized at its first call: run once per bill, its loop would stay in precompiled code.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static (string[] Union, int[][] ToUnion) MergeNames(int[][] ids, Func<int, int, int, int, int> compare, Func<int, int, string> nameAt, ParallelOptions parallel)
    {
        var ranks = ids.Select(l => new int[l.Length]).ToArray();
        var (from, at) = (new int[ids.Max(l => l.Length)], new int[ids.Max(l => l.Length)]);
        var count = 0;
        var heads = new int[ids.Length];
        while (true)
        {
            var least = -1;
            for (var k = 0; k < ids.Length; k++)
            {
                if (heads[k] < ids[k].Length && (least < 0 || compare(k, heads[k], least, heads[least]) < 0))
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
            for (var k = 0; k < ids.Length; k++)
            {
                while (heads[k] < ids[k].Length && compare(k, heads[k], least, at[count]) == 0)
                {
                    ranks[k][heads[k]++] = count;
                }
            }

            count++;
        }

        var union = new string[count];
        var toUnion = ids.Select(l => new int[l.Length]).ToArray();
        var parts = parallel.MaxDegreeOfParallelism == 1 ? 1 : Environment.ProcessorCount;
        Parallel.For(0, ids.Length + parts, parallel, k =>
        {
            if (k < ids.Length)
            {
                var (order, rank, to) = (ids[k], ranks[k], toUnion[k]);
                for (var i = 0; i < order.Length; i++)
                {
                    to[order[i]] = rank[i];
                }

                return;
            }

            var part = k - ids.Length;
            for (var u = (int)((long)count * part / parts); u < (int)((long)count * (part + 1) / parts); u++)
            {
                union[u] = nameAt(from[u], at[u]);
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
        private readonly long[] _keys;
        private readonly byte[] _bytes;
        private readonly int[] _start;

        // Fully optimized at its first call: run once per bill, its loops would stay in precompiled code.
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public SortedNames(NameList names, int prefix)
        {
            var ids = new int[names.Count];
            var keys = new long[ids.Length];
            var order = new long[ids.Length];
            Span<byte> padded = stackalloc byte[8];
            var length = 0;
            for (var id = 0; id < ids.Length; id++)
            {
                // Bytes past a name's end count as 0, which keeps the keys in the names' order, ties apart.
                var rest = names.BytesOf(id)[prefix..];
                padded.Clear();
                rest[..Math.Min(8, rest.Length)].CopyTo(padded);
                (order[id], keys[id]) = (id, unchecked((long)BinaryPrimitives.ReadUInt64BigEndian(padded)));
                length += prefix + rest.Length;
            }

            // A radix sort of the keys as unsigned, with the ids: faster than Array.Sort of keys and items (figures in the commit).
            KeySort.SortByKey(keys, order, ids.Length);
            for (var i = 0; i < ids.Length; i++)
            {
                ids[i] = (int)order[i];
            }

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
            _keys[i] != other._keys[j] ? unchecked((ulong)_keys[i]).CompareTo(unchecked((ulong)other._keys[j])) : BytesAt(i).SequenceCompareTo(other.BytesAt(j));
    }
}
