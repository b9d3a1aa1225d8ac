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
                var cell = CellIn(slots[other._blockSlot[b]], (key >> 8 << 8) | serviceIndex, offset, other._blockFirstDay[b] + offset);
                _ = TryAdd(cell, other.Seconds((b << 5) + offset)); // CheckMerge found that no sum overflows
                cellMap?[(b << 5) + offset] = cell;
            }
        }

        if (other._tagCells is { } otherTags && cellMap is not null)
        {
            var tagMap = other._tagNames.ToArray().Select(TagIdOf).ToArray();
            var (start, keys, seconds) = otherTags.GroupByCell(cellMap.Length);
            for (var c = 0; c < cellMap.Length; c++)
            {
                for (var k = start[c]; k < start[c + 1]; k++)
                {
                    _tagCells!.Add(cellMap[c], tagMap[TagCellTable.TagOf(keys[k])], seconds[k]);
                }
            }
        }
    }

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
                var seconds = Seconds((block << 5) + offset);
                if (unchecked(seconds + other.Seconds((b << 5) + offset)) < seconds)
                {
                    throw new UsageOverflowException(other._slotAccounts[otherSlot], other._services[key & 0xFF].Id, ZoneDayCache.DateOf(other._blockFirstDay[b] + offset));
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
}
