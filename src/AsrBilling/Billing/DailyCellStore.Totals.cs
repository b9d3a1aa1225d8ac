using System.Numerics;

namespace AsrBilling;

// The reading of a whole store: merging another into it, and building its daily totals.
internal sealed partial class DailyCellStore
{
    /// <summary>Adds another store's cells to this one, as if its records had been added here; when this throws, nothing has been added.</summary>
    /// <param name="other">A store with the same price book and zone, not this one; it is not changed.</param>
    /// <exception cref="ArgumentException">The two count more than 256 services between them.</exception>
    /// <exception cref="UsageOverflowException">A day's total would exceed <see cref="long.MaxValue"/> seconds.</exception>
    internal void Merge(DailyCellStore other)
    {
        CheckMerge(other);
        var slots = new int[other._slotCount];
        for (var s = 0; s < other._slotCount; s++)
        {
            slots[s] = SlotOf(other._slotAccounts[s]);
        }

        var cellMap = other._tagCells is null ? null : new int[other._blockCount << 5];
        for (var b = 0; b < other._blockCount; b++)
        {
            var key = other._blockKey[b];
            var serviceIndex = IndexOf(other._services[key & 0xFF]);
            for (var seen = other._seen[b]; seen != 0; seen &= seen - 1)
            {
                var offset = BitOperations.TrailingZeroCount(seen);
                // The cell first: making it may grow the cell array.
                var cell = CellOf(slots[other._blockSlot[b]], serviceIndex, (key >> 8 << 5) + offset);
                Cell(cell) += other.Cell((b << 5) + offset);
                cellMap?[(b << 5) + offset] = cell;
            }
        }

        if (other._tagCells is { } otherTags && cellMap is not null)
        {
            var tagMap = other._tagNames.Select(TagIdOf).ToArray();
            var (start, tags, seconds) = otherTags.GroupByCell(cellMap.Length);
            for (var c = 0; c < cellMap.Length; c++)
            {
                for (var k = start[c]; k < start[c + 1]; k++)
                {
                    _tagCells!.Add(cellMap[c], tagMap[tags[k]], seconds[k]);
                }
            }
        }
    }

    /// <summary>
    /// Returns the daily totals, column-wise, ordered by account, service id and date (ordinal),
    /// with per-tag seconds when any record had a tag.
    /// </summary>
    internal DailyTotalTable ToDailyTotalTable()
    {
        var serviceRank = ServiceRanks();

        // Blocks in (slot, service id, first day) order; each slot's blocks are a run of that order.
        var order = new int[_blockCount];
        var sortKeys = new long[_blockCount];
        for (var b = 0; b < _blockCount; b++)
        {
            order[b] = b;
            sortKeys[b] = ((long)_blockSlot[b] << 32) | OrderInSlot(_blockKey[b], serviceRank);
        }

        Array.Sort(sortKeys, order);
        var runStart = new int[_slotCount];
        var runEnd = new int[_slotCount];
        for (var k = 0; k < _blockCount; k++)
        {
            var slot = (int)(sortKeys[k] >> 32);
            if (k == 0 || slot != (int)(sortKeys[k - 1] >> 32))
            {
                runStart[slot] = k;
            }

            runEnd[slot] = k + 1;
        }

        var accountSlots = Enumerable.Range(0, _slotCount).ToArray();
        Array.Sort(accountSlots, (a, b) => string.CompareOrdinal(_slotAccounts[a], _slotAccounts[b]));
        var servicesById = new AsrService[_serviceCount];
        for (var i = 0; i < _serviceCount; i++)
        {
            servicesById[serviceRank[i]] = _services[i];
        }

        var n = DailyTotalCount;
        var (accounts, services, days, seconds) = (new int[n], new int[n], new int[n], new long[n]);
        (string[] Names, int[] Start, int[] Ranks, long[] Seconds)? tags = _tagCells is null ? null : TagsByCell();
        var tagColumns = tags is null ? null : new DailyTotalTable.TagColumns.Builder(n, tags.Value.Names, tags.Value.Ranks.Length);
        var row = 0;
        for (var a = 0; a < accountSlots.Length; a++)
        {
            var slot = accountSlots[a];
            for (var k = runStart[slot]; k < runEnd[slot]; k++)
            {
                var block = order[k];
                var key = _blockKey[block];
                var firstDay = key >> 8 << 5;
                for (var seen = _seen[block]; seen != 0; seen &= seen - 1)
                {
                    var offset = BitOperations.TrailingZeroCount(seen);
                    var cell = (block << 5) + offset;
                    accounts[row] = a;
                    services[row] = serviceRank[key & 0xFF];
                    days[row] = firstDay + offset;
                    seconds[row] = Cell(cell);
                    if (tags is { } byCell)
                    {
                        var (from, end) = (byCell.Start[cell], byCell.Start[cell + 1]);
                        tagColumns!.AddRow(byCell.Ranks.AsSpan(from, end - from), byCell.Seconds.AsSpan(from, end - from));
                    }

                    row++;
                }
            }
        }

        var accountNames = new string[accountSlots.Length];
        for (var a = 0; a < accountNames.Length; a++)
        {
            accountNames[a] = _slotAccounts[accountSlots[a]];
        }

        return new DailyTotalTable(accountNames, servicesById, accounts, services, days, seconds, tagColumns?.Build());
    }

    /// <summary>The tag seconds grouped by cell, each cell's sorted by the tag's rank among the names (ordinal).</summary>
    private (string[] Names, int[] Start, int[] Ranks, long[] Seconds) TagsByCell()
    {
        var names = _tagNames.ToArray();
        var ids = Enumerable.Range(0, names.Length).ToArray();
        Array.Sort(names, ids, StringComparer.Ordinal);
        var rank = new int[names.Length];
        for (var r = 0; r < ids.Length; r++)
        {
            rank[ids[r]] = r;
        }

        var (start, tags, seconds) = _tagCells!.GroupByCell(_blockCount << 5);
        for (var k = 0; k < tags.Length; k++)
        {
            tags[k] = rank[tags[k]];
        }

        for (var c = 0; c < _blockCount << 5; c++)
        {
            if (start[c + 1] - start[c] > 1)
            {
                tags.AsSpan(start[c], start[c + 1] - start[c]).Sort(seconds.AsSpan(start[c], start[c + 1] - start[c]));
            }
        }

        return (names, start, tags, seconds);
    }

    /// <summary>
    /// A block key's place among a slot's blocks, as 32 bits: the service's rank by id, then the
    /// block's first day (days stay within ±2²³ blocks of 32 days of 1970, NodaTime's range).
    /// </summary>
    private static uint OrderInSlot(int key, int[] serviceRank) => ((uint)serviceRank[key & 0xFF] << 24) | (uint)((key >> 8) + (1 << 23));

    /// <summary>Throws what <see cref="Merge"/> would meet, before it changes anything.</summary>
    private void CheckMerge(DailyCellStore other)
    {
        var serviceIndexes = new int[other._serviceCount];
        var newServices = 0;
        for (var i = 0; i < other._serviceCount; i++)
        {
            serviceIndexes[i] = Array.IndexOf(_services, other._services[i], 0, _serviceCount);
            newServices += serviceIndexes[i] < 0 ? 1 : 0;
        }

        if (_serviceCount + newServices > MaxServices)
        {
            throw new ArgumentException($"One aggregator counts at most {MaxServices} services.", nameof(other));
        }

        for (var b = 0; b < other._blockCount; b++)
        {
            var otherSlot = other._blockSlot[b];
            var key = other._blockKey[b];
            var serviceIndex = serviceIndexes[key & 0xFF];
            var slot = _accountIndex.GetValueOrDefault(other._slotAccounts[otherSlot], -1);
            var block = slot < 0 || serviceIndex < 0 ? -1 : FindBlock(slot, (key >> 8 << 8) | serviceIndex);
            for (var seen = block < 0 ? 0 : other._seen[b] & _seen[block]; seen != 0; seen &= seen - 1)
            {
                var offset = BitOperations.TrailingZeroCount(seen);
                var sum = unchecked(Cell((block << 5) + offset) + other.Cell((b << 5) + offset));
                if (sum < Cell((block << 5) + offset))
                {
                    throw new UsageOverflowException(other._slotAccounts[otherSlot], other._services[key & 0xFF].Id, ZoneDayCache.DateOf((key >> 8 << 5) + offset));
                }
            }
        }
    }

    /// <summary>The block of (slot, key) if this store has it, else −1; never adds one.</summary>
    private int FindBlock(int slot, int key)
    {
        // Outside the table's windows a block is in the dictionary or nowhere: a table only widens to windows with no block in the dictionary.
        var entry = TableEntry(ref _slots[slot], key);
        return entry >= 0 ? entry - 1 : _moreBlocks is not null && _moreBlocks.TryGetValue((slot, key), out var block) ? block : -1;
    }

    /// <summary>Each service's rank among the services by id (ordinal), by service index.</summary>
    private int[] ServiceRanks()
    {
        var ids = new string[_serviceCount];
        var byId = new int[_serviceCount];
        for (var i = 0; i < _serviceCount; i++)
        {
            (ids[i], byId[i]) = (_services[i].Id, i);
        }

        Array.Sort(ids, byId, StringComparer.Ordinal);
        var rank = new int[_serviceCount];
        for (var r = 0; r < _serviceCount; r++)
        {
            rank[byId[r]] = r;
        }

        return rank;
    }
}
