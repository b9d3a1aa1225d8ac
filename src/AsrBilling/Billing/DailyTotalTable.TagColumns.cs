using System.Collections.Immutable;
using System.Runtime.InteropServices;

namespace AsrBilling;

// The per-tag seconds of a table, in compact columns.
public sealed partial class DailyTotalTable
{
    /// <summary>Per-tag seconds in compact form: row r's tags are entries [Start[r], Start[r + 1]), ordered by tag; entries past Start[^1] are unused room.</summary>
    internal sealed class TagColumns(string[] names, int[] start, int[] tag, long[] seconds)
    {
        public string[] Names { get; } = names;

        public int[] Start { get; } = start;

        public int[] Tag { get; } = tag;

        public long[] Seconds { get; } = seconds;

        public ImmutableSortedDictionary<string, long>? At(int row)
        {
            if (Start[row] == Start[row + 1])
            {
                return null;
            }

            var builder = ImmutableSortedDictionary.CreateBuilder<string, long>(StringComparer.Ordinal);
            for (var k = Start[row]; k < Start[row + 1]; k++)
            {
                builder.Add(Names[Tag[k]], Seconds[k]);
            }

            return builder.ToImmutable();
        }

        /// <summary>
        /// Builds tag columns row by row: by name, numbered in order of first use and renumbered by
        /// name at the end, or by rank in names given already sorted.
        /// </summary>
        internal sealed class Builder
        {
            private readonly Dictionary<string, int> _index = new(StringComparer.Ordinal);
            private readonly List<string> _names = [];
            private readonly string[]? _sortedNames;
            private readonly int[] _start;
            private int[] _tag = new int[16];
            private long[] _seconds = new long[16];
            private int _count;
            private int _row;

            public Builder(int rows) => _start = new int[rows + 1];

            /// <summary>A builder for rows given by rank in <paramref name="sortedNames"/> (distinct, ordinal order), with room for <paramref name="tagCapacity"/> entries.</summary>
            public Builder(int rows, string[] sortedNames, int tagCapacity)
                : this(rows)
            {
                _sortedNames = sortedNames;
                (_tag, _seconds) = (new int[Math.Max(tagCapacity, 16)], new long[Math.Max(tagCapacity, 16)]);
            }

            /// <summary>Adds a row whose tags are ranks in the sorted names, in increasing order.</summary>
            public void AddRow(ReadOnlySpan<int> ranks, ReadOnlySpan<long> seconds)
            {
                Reserve(ranks.Length);
                ranks.CopyTo(_tag.AsSpan(_count));
                seconds.CopyTo(_seconds.AsSpan(_count));
                _count += ranks.Length;
                EndRow();
            }

            /// <summary>Adds one tag to the row by rank in the sorted names; ranks come in increasing order.</summary>
            public void AddRanked(int rank, long seconds)
            {
                Reserve(1);
                (_tag[_count], _seconds[_count]) = (rank, seconds);
                _count++;
            }

            public void Add(string name, long seconds)
            {
                ref var index = ref CollectionsMarshal.GetValueRefOrAddDefault(_index, name, out var exists);
                if (!exists)
                {
                    index = _names.Count;
                    _names.Add(name);
                }

                AddRanked(index, seconds);
            }

            public void EndRow() => _start[++_row] = _count;

            public TagColumns Build()
            {
                // Rows given as an upper bound (a merge's) leave room at the end: Start has one entry per row, plus one.
                var start = _start.Length == _row + 1 ? _start : _start[..(_row + 1)];
                Array.Resize(ref _tag, _count);
                Array.Resize(ref _seconds, _count);
                if (_sortedNames is not null)
                {
                    return new TagColumns(_sortedNames, start, _tag, _seconds);
                }

                // Number the names in ordinal order; each row's entries were added in that order already.
                var order = Enumerable.Range(0, _names.Count).OrderBy(i => _names[i], StringComparer.Ordinal).ToArray();
                var rank = new int[order.Length];
                for (var r = 0; r < order.Length; r++)
                {
                    rank[order[r]] = r;
                }

                for (var k = 0; k < _count; k++)
                {
                    _tag[k] = rank[_tag[k]];
                }

                return new TagColumns([.. order.Select(i => _names[i])], start, _tag, _seconds);
            }

            private void Reserve(int more)
            {
                if (_count + more > _tag.Length)
                {
                    var size = Math.Max(_count + more, _tag.Length * 2);
                    Array.Resize(ref _tag, size);
                    Array.Resize(ref _seconds, size);
                }
            }
        }
    }
}
