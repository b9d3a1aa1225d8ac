using System.Numerics;
using System.Runtime.CompilerServices;

namespace AsrBilling;

// The daily totals of one store or several (the workers of a parallel read), written in one pass over all of them.
internal sealed partial class DailyCellStore
{
    // Below this many blocks in all, one thread writes the table: the work is too small to share.
    private const int ParallelBlocks = 1 << 12;

    // How many accounts ahead the walks ask for their blocks' memory.
    private const int PrefetchAccounts = 3;

    /// <summary>
    /// Returns the daily totals, column-wise, ordered by account, service id and date (ordinal),
    /// with per-tag seconds when any record had a tag.
    /// </summary>
    internal DailyTotalTable ToDailyTotalTable() => ToDailyTotalTable([this]);

    /// <summary>
    /// The daily totals of several stores together, as if one store had taken all their records:
    /// cells of the same (account, service, day) are added, and so are their tags' seconds. Each
    /// store sorts its blocks on its own thread, then ranges of accounts are written on all cores
    /// straight into the table's columns, with no table per store to merge afterwards.
    /// </summary>
    /// <param name="stores">Stores with the same price book and zone, each listed once.</param>
    /// <exception cref="ArgumentException">The stores count more than 256 services between them.</exception>
    /// <exception cref="UsageOverflowException">A day's total would exceed <see cref="long.MaxValue"/> seconds.</exception>
    internal static DailyTotalTable ToDailyTotalTable(IReadOnlyList<DailyCellStore> stores)
    {
        if (stores.Count == 0)
        {
            return DailyTotalTable.Empty;
        }

        var services = stores.SelectMany(s => s._services.Take(s._serviceCount)).Distinct().OrderBy(s => s.Id, StringComparer.Ordinal).ToArray();
        if (services.Length > MaxServices)
        {
            throw new ArgumentException($"One aggregator counts at most {MaxServices} services.", nameof(stores));
        }

        var blocks = stores.Sum(s => (long)s._blockCount);
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = blocks < ParallelBlocks ? 1 : Environment.ProcessorCount };
        var accountLists = new NameList[stores.Count];
        Parallel.For(0, stores.Count, parallel, s => accountLists[s] = NameList.Of(stores[s]._slotAccounts, stores[s]._slotCount));
        var (accounts, accountOf) = UnionOfNames(accountLists, parallel);
        var hasTags = stores.Any(s => s._tagCells is not null);
        var (tagNames, tagRankOf) = hasTags ? UnionOfNames([.. stores.Select(s => s._tagNames)], parallel) : ([], []);

        var sorted = new SortedStore[stores.Count];
        Parallel.For(0, stores.Count, parallel, s => sorted[s] = new SortedStore(stores[s], services, accountOf[s], accounts.Length, hasTags ? tagRankOf[s] : null));

        // Ranges of accounts, several per core so that a range of large accounts does not hold up the rest.
        var rangeCount = Math.Max(1, Math.Min(accounts.Length, parallel.MaxDegreeOfParallelism == 1 ? 1 : 8 * Environment.ProcessorCount));
        var rangeStart = new int[rangeCount + 1];
        for (var r = 0; r <= rangeCount; r++)
        {
            rangeStart[r] = (int)((long)accounts.Length * r / rangeCount);
        }

        // First the rows of each account, exactly, and an upper bound of its tag entries: where each range writes.
        var rowsBefore = new int[accounts.Length + 1];
        var tagsBefore = new long[accounts.Length + 1];
        Parallel.For(0, rangeCount, parallel, r =>
        {
            var walk = new BlockWalk(stores, sorted);
            for (var a = rangeStart[r]; a < rangeStart[r + 1]; a++)
            {
                walk.Prefetch(a + PrefetchAccounts, cells: false);
                long tags = 0;
                var rows = 0;
                for (walk.Start(a); walk.Next();)
                {
                    rows += BitOperations.PopCount(walk.Seen);
                    for (var c = 0; c < walk.Count; c++)
                    {
                        tags += sorted[walk.Stores[c]].TagEntries(walk.Blocks[c]);
                    }
                }

                (rowsBefore[a + 1], tagsBefore[a + 1]) = (rows, tags);
            }
        });
        for (var a = 0; a < accounts.Length; a++)
        {
            rowsBefore[a + 1] = checked(rowsBefore[a + 1] + rowsBefore[a]);
            tagsBefore[a + 1] += tagsBefore[a];
        }

        BalanceRanges(rangeStart, rowsBefore, tagsBefore);
        var n = rowsBefore[^1];
        var columns = new Columns(n, hasTags, checked((int)tagsBefore[^1]));
        var tagsWritten = new int[rangeCount];
        var failures = new UsageOverflowException?[rangeCount];
        Parallel.For(0, rangeCount, parallel, r =>
        {
            try
            {
                tagsWritten[r] = WriteRange(stores, sorted, services, accounts, columns, rangeStart[r], rangeStart[r + 1], rowsBefore, (int)tagsBefore[rangeStart[r]]);
            }
            catch (UsageOverflowException e)
            {
                failures[r] = e;
            }
        });

        // The first overflow in the table's order, as a merge in order would have met it.
        if (failures.FirstOrDefault(f => f is not null) is { } failure)
        {
            throw failure;
        }

        DailyTotalTable.TagColumns? tagColumns = null;
        if (hasTags)
        {
            // Each range wrote its entries from its upper bound on; move them together, in order, so nothing is overwritten.
            var (start, ranks, seconds) = (columns.TagStart!, columns.TagRanks, columns.TagSeconds);
            var at = 0;
            for (var r = 0; r < rangeCount; r++)
            {
                var from = (int)tagsBefore[rangeStart[r]];
                Array.Copy(ranks, from, ranks, at, tagsWritten[r]);
                Array.Copy(seconds, from, seconds, at, tagsWritten[r]);
                for (var row = rowsBefore[rangeStart[r]]; row < rowsBefore[rangeStart[r + 1]]; row++)
                {
                    start[row] -= from - at;
                }

                at += tagsWritten[r];
            }

            // The room left after the last entry stays: copying 100 MB to trim it cost more than it holds.
            start[n] = at;
            tagColumns = new DailyTotalTable.TagColumns(tagNames, start, ranks, seconds);
        }

        return new DailyTotalTable(accounts, services, columns.Accounts, columns.Services, columns.Days, columns.Seconds, tagColumns);
    }

    /// <summary>
    /// Moves the inner bounds of the ranges of accounts so that each holds about as many rows and tag entries
    /// (accounts busy by rank made the first ranges the last to finish); the bounds stay in order.
    /// </summary>
    private static void BalanceRanges(int[] rangeStart, int[] rowsBefore, long[] tagsBefore)
    {
        var ranges = rangeStart.Length - 1;
        var accounts = rangeStart[ranges];
        var total = rowsBefore[accounts] + tagsBefore[accounts];
        for (var r = 1; r < ranges; r++)
        {
            // The first account whose work before it reaches the range's share.
            var target = total * r / ranges;
            var (low, high) = (rangeStart[r - 1], accounts);
            while (low < high)
            {
                var middle = low + ((high - low) / 2);
                (low, high) = rowsBefore[middle] + tagsBefore[middle] < target ? (middle + 1, high) : (low, middle);
            }

            rangeStart[r] = low;
        }
    }

    /// <summary>Writes the rows of accounts [first, end) at their places, and their tag entries from <paramref name="tagAt"/> on; returns how many tag entries it wrote.</summary>
    // Fully optimized at its first call: run a few times per bill, its loop would stay in precompiled code.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static int WriteRange(
        IReadOnlyList<DailyCellStore> stores, SortedStore[] sorted, AsrService[] services, string[] accounts, Columns columns, int first, int end, int[] rowsBefore, int tagAt)
    {
        var walk = new BlockWalk(stores, sorted);
        var heads = new (int At, int End)[stores.Count];
        var owners = new int[stores.Count];
        var firstTag = tagAt;
        for (var a = first; a < end; a++)
        {
            var row = rowsBefore[a];
            walk.Prefetch(a + PrefetchAccounts, cells: true);
            for (walk.Start(a); walk.Next();)
            {
                var service = (int)(walk.Key >> 24);
                var firstDay = stores[walk.Stores[0]]._blockFirstDay[walk.Blocks[0]];
                for (var seen = walk.Seen; seen != 0; seen &= seen - 1)
                {
                    var offset = BitOperations.TrailingZeroCount(seen);
                    var bit = 1u << offset;
                    long sum = 0;
                    var tagged = 0;
                    for (var c = 0; c < walk.Count; c++)
                    {
                        var store = stores[walk.Stores[c]];
                        var block = walk.Blocks[c];
                        if ((store._seen[block] & bit) == 0)
                        {
                            continue;
                        }

                        var cell = (block << 5) + offset;
                        var next = unchecked(sum + store.Seconds(cell));
                        sum = next < sum ? throw new UsageOverflowException(accounts[a], services[service].Id, ZoneDayCache.DateOf(firstDay + offset)) : next;
                        if (sorted[walk.Stores[c]].TagStart is { } tagStart)
                        {
                            (owners[tagged], heads[tagged]) = (walk.Stores[c], (tagStart[cell], tagStart[cell + 1]));
                            tagged++;
                        }
                    }

                    (columns.Accounts[row], columns.Services[row], columns.Days[row], columns.Seconds[row]) = (a, service, firstDay + offset, sum);
                    if (columns.TagStart is { } start)
                    {
                        start[row] = tagAt;
                        tagAt = MergeTags(sorted, owners.AsSpan(0, tagged), heads.AsSpan(0, tagged), columns, tagAt);
                    }

                    row++;
                }
            }
        }

        return tagAt - firstTag;
    }

    /// <summary>
    /// Writes one cell's tag entries, summed by tag over the stores that hold the cell (heads[h] is the
    /// cell's entries in store owners[h]), in rank order; returns where the next cell's go.
    /// </summary>
    private static int MergeTags(SortedStore[] sorted, ReadOnlySpan<int> owners, ReadOnlySpan<(int At, int End)> heads, Columns columns, int at)
    {
        var (ranks, seconds) = (columns.TagRanks, columns.TagSeconds);
        var first = at;
        var inRankOrder = heads.Length == 1;
        for (var h = 0; h < heads.Length; h++)
        {
            var store = sorted[owners[h]];
            var (keys, tagSeconds, rankOf) = (store.TagKeys!, store.TagSeconds!, store.TagRankOf!);
            inRankOrder &= store.TagIdsInRankOrder;
            for (var k = heads[h].At; k < heads[h].End; k++)
            {
                (ranks[at], seconds[at]) = (rankOf[TagCellTable.TagOf(keys[k])], tagSeconds[k]);
                at++;
            }
        }

        if (inRankOrder || at - first < 2)
        {
            return at;
        }

        return SumByRank(ranks, seconds, first, at);
    }

    /// <summary>
    /// Orders a cell's entries [first, end) by rank in place, adding those of the same rank; returns where they end.
    /// Ranks within 64 of each other (shared tags, or one account's) are added by a bit each and read back in order, without a sort.
    /// </summary>
    // The sums are written before they are read: clearing them would cost more than the merge.
    [SkipLocalsInit]
    private static int SumByRank(int[] ranks, long[] seconds, int first, int end)
    {
        var (low, high) = (ranks[first], ranks[first]);
        for (var k = first + 1; k < end; k++)
        {
            (low, high) = (Math.Min(low, ranks[k]), Math.Max(high, ranks[k]));
        }

        if (high - low < 64)
        {
            Span<long> sums = stackalloc long[64];
            ulong present = 0;
            for (var k = first; k < end; k++)
            {
                var bit = ranks[k] - low;

                // A part of the cell's seconds, which did not overflow.
                sums[bit] = (present & (1UL << bit)) == 0 ? seconds[k] : unchecked(sums[bit] + seconds[k]);
                present |= 1UL << bit;
            }

            var at = first;
            for (; present != 0; present &= present - 1)
            {
                var bit = BitOperations.TrailingZeroCount(present);
                (ranks[at], seconds[at]) = (low + bit, sums[bit]);
                at++;
            }

            return at;
        }

        // Ranks far apart: sorted, then a tag's entries from several stores added.
        ranks.AsSpan(first, end - first).Sort(seconds.AsSpan(first, end - first));
        var w = first;
        for (var k = first; k < end; k++)
        {
            if (w > first && ranks[w - 1] == ranks[k])
            {
                // A part of the cell's seconds, which did not overflow.
                seconds[w - 1] = unchecked(seconds[w - 1] + seconds[k]);
            }
            else
            {
                (ranks[w], seconds[w]) = (ranks[k], seconds[k]);
                w++;
            }
        }

        return w;
    }

    /// <summary>The table's columns, written in place by ranges of accounts; each element is written before it is read, so they are not cleared.</summary>
    private sealed class Columns(int rows, bool hasTags, int tagEntries)
    {
        public int[] Accounts { get; } = HugePages.NewUninitialized<int>(rows);

        public int[] Services { get; } = HugePages.NewUninitialized<int>(rows);

        public int[] Days { get; } = HugePages.NewUninitialized<int>(rows);

        public long[] Seconds { get; } = HugePages.NewUninitialized<long>(rows);

        public int[]? TagStart { get; } = hasTags ? HugePages.NewUninitialized<int>(rows + 1) : null;

        public int[] TagRanks { get; } = HugePages.NewUninitialized<int>(tagEntries);

        public long[] TagSeconds { get; } = HugePages.NewUninitialized<long>(tagEntries);
    }

    /// <summary>
    /// One store's blocks in (account in the union, service rank, first day) order, each account's a
    /// run, and its tag entries by cell, ranked among all the stores' tags.
    /// </summary>
    private sealed class SortedStore
    {
        public SortedStore(DailyCellStore store, AsrService[] services, int[] accountOf, int accounts, int[]? tagRankOf)
        {
            var rank = new int[store._serviceCount];
            for (var i = 0; i < rank.Length; i++)
            {
                rank[i] = Array.IndexOf(services, store._services[i]);
            }

            // Placed by account with a counting sort, then each run (a few blocks) sorted: linear, where a sort of all keys is not (figures in the commit).
            var count = store._blockCount;
            (Keys, Blocks, RunStart, RunEnd) = (new long[count], new int[count], new int[accounts], new int[accounts]);
            for (var b = 0; b < count; b++)
            {
                RunEnd[accountOf[store._blockSlot[b]]]++;
            }

            for (int a = 0, at = 0; a < accounts; a++)
            {
                (RunStart[a], at, RunEnd[a]) = (at, at + RunEnd[a], at);
            }

            for (var b = 0; b < count; b++)
            {
                var key = store._blockKey[b];
                var account = accountOf[store._blockSlot[b]];
                var k = RunEnd[account]++;
                (Keys[k], Blocks[k]) = (((long)account << 32) | ((uint)rank[key & 0xFF] << 24) | (uint)((key >> 8) + (1 << 23)), b);
            }

            for (var a = 0; a < accounts; a++)
            {
                SortRun(Keys, Blocks, RunStart[a], RunEnd[a]);
            }

            if (tagRankOf is not null && store._tagCells is { } tagCells)
            {
                (TagStart, TagKeys, TagSeconds) = tagCells.GroupByCell(count << 5);
                TagRankOf = tagRankOf;

                // A cell's entries are in tag id order, which is rank order when ids are in name order.
                TagIdsInRankOrder = true;
                for (var id = 1; id < tagRankOf.Length && TagIdsInRankOrder; id++)
                {
                    TagIdsInRankOrder = tagRankOf[id] > tagRankOf[id - 1];
                }
            }
        }

        /// <summary>Sorts keys [start, end), with their blocks: by insertion when few, as an account's are.</summary>
        private static void SortRun(long[] keys, int[] blocks, int start, int end)
        {
            if (end - start > 32)
            {
                Array.Sort(keys, blocks, start, end - start);
                return;
            }

            for (var i = start + 1; i < end; i++)
            {
                var (key, block) = (keys[i], blocks[i]);
                var j = i - 1;
                for (; j >= start && keys[j] > key; j--)
                {
                    (keys[j + 1], blocks[j + 1]) = (keys[j], blocks[j]);
                }

                (keys[j + 1], blocks[j + 1]) = (key, block);
            }
        }

        /// <summary>The blocks' keys: account in the union (high 32 bits), service rank (8 bits), then first day's window + 2²³ (24 bits).</summary>
        public long[] Keys { get; }

        /// <summary>The block of each key.</summary>
        public int[] Blocks { get; }

        /// <summary>Where each account's run of keys starts, by account in the union.</summary>
        public int[] RunStart { get; }

        /// <summary>Where each account's run of keys ends (equal to its start when the store has none).</summary>
        public int[] RunEnd { get; }

        /// <summary>Where each cell's tag entries start in <see cref="TagKeys"/>, by cell; null without tags.</summary>
        public int[]? TagStart { get; }

        /// <summary>The tag entries' keys, read-only: the store's own, their low 32 bits the tag id (<see cref="TagCellTable.TagOf"/>).</summary>
        public long[]? TagKeys { get; }

        /// <summary>The tag entries' seconds, read-only.</summary>
        public long[]? TagSeconds { get; }

        /// <summary>Each tag id's rank among all the stores' tags.</summary>
        public int[]? TagRankOf { get; }

        /// <summary>Whether tag ids are in rank order, so that a cell's entries are too.</summary>
        public bool TagIdsInRankOrder { get; }

        /// <summary>The tag entries of a block's cells.</summary>
        public int TagEntries(int block) => TagStart is null ? 0 : TagStart[(block + 1) << 5] - TagStart[block << 5];
    }

    /// <summary>
    /// Walks one account's blocks across the stores, one (service, window) key at a time in order,
    /// with the stores that hold it and their blocks.
    /// </summary>
    private sealed class BlockWalk(IReadOnlyList<DailyCellStore> stores, SortedStore[] sorted)
    {
        private readonly int[] _at = new int[sorted.Length];
        private readonly int[] _end = new int[sorted.Length];

        /// <summary>The stores that hold the current key, in store order.</summary>
        public int[] Stores { get; } = new int[sorted.Length];

        /// <summary>Their blocks of the current key.</summary>
        public int[] Blocks { get; } = new int[sorted.Length];

        /// <summary>How many stores hold the current key.</summary>
        public int Count { get; private set; }

        /// <summary>The current key's low 32 bits: service rank and window.</summary>
        public uint Key { get; private set; }

        /// <summary>The days of the current key that any store has.</summary>
        public uint Seen { get; private set; }

        /// <summary>The days of the current key that the c-th store holding it has.</summary>
        public uint SeenOf(int c) => stores[Stores[c]]._seen[Blocks[c]];

        /// <summary>
        /// Asks for the memory an account's walk will read (its blocks' seen bits, and their cells when
        /// <paramref name="cells"/>), a few accounts ahead: its blocks lie anywhere in the stores (figures in the commit).
        /// </summary>
        public void Prefetch(int account, bool cells)
        {
            for (var s = 0; s < sorted.Length; s++)
            {
                var (store, run) = (stores[s], sorted[s]);
                if (unchecked((uint)account) >= unchecked((uint)run.RunStart.Length))
                {
                    continue;
                }

                // Up to 8 blocks: a large account's later blocks are asked for as the walk reaches it.
                for (var k = run.RunStart[account]; k < Math.Min(run.RunEnd[account], run.RunStart[account] + 8); k++)
                {
                    var block = run.Blocks[k];
                    DailyCellStore.Prefetch(ref store._seen[block]);
                    if (cells)
                    {
                        DailyCellStore.Prefetch(ref store.Cell(block << 5));
                        DailyCellStore.Prefetch(ref store.Cell((block << 5) + 16));
                    }
                }
            }
        }

        public void Start(int account)
        {
            for (var s = 0; s < sorted.Length; s++)
            {
                (_at[s], _end[s]) = (sorted[s].RunStart[account], sorted[s].RunEnd[account]);
            }
        }

        public bool Next()
        {
            var least = ulong.MaxValue;
            for (var s = 0; s < sorted.Length; s++)
            {
                if (_at[s] < _end[s])
                {
                    least = Math.Min(least, unchecked((uint)sorted[s].Keys[_at[s]]));
                }
            }

            if (least == ulong.MaxValue)
            {
                return false;
            }

            (Count, Key, Seen) = (0, (uint)least, 0);
            for (var s = 0; s < sorted.Length; s++)
            {
                if (_at[s] < _end[s] && unchecked((uint)sorted[s].Keys[_at[s]]) == least)
                {
                    (Stores[Count], Blocks[Count]) = (s, sorted[s].Blocks[_at[s]++]);
                    Seen |= SeenOf(Count++);
                }
            }

            return true;
        }
    }
}
