namespace AsrBilling.Tests.Billing;

public class TagCellTableTests
{
    [Theory]
    [InlineData(1 << 16, 1 << 20)] // the defaults: the recent table only grows
    [InlineData(1024, 64)] // spills every 512 new pairs, settles often
    [InlineData(64, 1 << 17)] // the run grows fourfold once, then to the length it would settle at
    [InlineData(64, 1 << 13)] // the run takes its settling length at its first growth, and settles several times
    [InlineData(4, 1)] // spills every 2 new pairs, settles at each spill
    [InlineData(256, 1 << 12, 300)] // adds go straight to the run for 300 at a time, then the recent table is tried again
    [InlineData(64, 64, 7)] // the same, settling inside the straight adds
    public void GroupByCell_SumsEachCellsTags_AcrossSpillsAndSettles(int recentLimit, int minRun, int directAdds = 1 << 20)
    {
        // 3,000 cells × up to 7 tags, each pair added 1 to 3 times in a scattered order: the table
        // grows or spills many times; the expected sums are kept in a plain dictionary.
        var table = new TagCellTable(recentLimit, minRun, directAdds);
        var expected = new Dictionary<(int Cell, int Tag), long>();
        var random = new Random(11);
        for (var round = 0; round < 3; round++)
        {
            for (var k = 0; k < 3000 * 7; k++)
            {
                var (cell, tag) = ((k * 7919) % 3000, (k * 31) % 7);
                if (random.Next(3) > round)
                {
                    var added = random.Next(1, 1000);
                    table.Add(cell, tag, added);
                    expected[(cell, tag)] = expected.GetValueOrDefault((cell, tag)) + added;
                }
            }
        }

        var (start, keys, seconds) = table.GroupByCell(3000);
        var tags = keys.Take(start[3000]).Select(TagCellTable.TagOf).ToArray();

        start[3000].Should().Be(expected.Count);
        var actual = new Dictionary<(int Cell, int Tag), long>();
        for (var cell = 0; cell < 3000; cell++)
        {
            for (var k = start[cell]; k < start[cell + 1]; k++)
            {
                actual.Add((cell, tags[k]), seconds[k]);
            }
        }

        actual.Should().BeEquivalentTo(expected);
        for (var cell = 0; cell < 3000; cell++)
        {
            tags.AsSpan(start[cell], start[cell + 1] - start[cell]).ToArray().Should().BeInAscendingOrder();
        }

        var (againStart, againKeys, againSeconds) = table.GroupByCell(3005);
        againStart.Should().HaveCount(3006).And.StartWith(start).And.EndWith(Enumerable.Repeat(expected.Count, 6));
        againKeys.Take(expected.Count).Select(TagCellTable.TagOf).Should().Equal(tags);
        againSeconds.Take(expected.Count).Should().Equal(seconds.Take(expected.Count));
    }

    [Fact]
    public void GroupByCell_KeepsAddingAfterAGrouping()
    {
        var table = new TagCellTable(4, 1);
        table.Add(2, 1, 10);
        table.Add(0, 3, 5);
        table.GroupByCell(3);
        table.Add(2, 1, 7);
        table.Add(2, 0, 1);
        table.Add(5, 2, 4);

        var (start, keys, seconds) = table.GroupByCell(6);

        start.Should().Equal(0, 1, 1, 3, 3, 3, 4);
        keys.Take(4).Select(TagCellTable.TagOf).Should().Equal(3, 0, 1, 2);
        seconds.Take(4).Should().Equal(5, 1, 17, 4);
    }

    [Theory]
    [InlineData(4, 1)] // spills every 2 new pairs, settles at each spill
    [InlineData(64, 64, 3)] // straight to the run, settling often
    [InlineData(1 << 16, 1 << 23)] // the defaults: one run, settled when grouped
    public void GroupByCell_SumsPairsTooLargeToPack_WithThePackedOnes(int recentLimit, int minRun, int directAdds = 1 << 20)
    {
        // A run packs (cell + 1, tag, seconds) into 26, 20 and 18 bits; a sum past any of them is kept whole, and both kinds add up.
        const int LastCell = (1 << 26) - 1; // its cell + 1 needs 27 bits
        var table = new TagCellTable(recentLimit, minRun, directAdds);
        table.Add(5, 2, 100);
        table.Add(0, 0, (1 << 18) - 1); // the most seconds a packed sum holds
        table.Add(5, 2, 300_000); // past 18 bits
        table.Add(5, 1 << 20, 7); // a tag id past 20 bits
        table.Add(LastCell - 1, 1, 4); // the last cell that packs
        table.Add(5, (1 << 20) - 1, 3);
        table.Add(LastCell, 1, 9);
        table.Add(0, 0, 1);
        table.Add(5, 1 << 20, 8);
        table.Add(5, 2, 44);

        var (start, keys, seconds) = table.GroupByCell(LastCell + 1);

        start[LastCell + 1].Should().Be(6);
        (start[0], start[1], start[5], start[6], start[LastCell - 1], start[LastCell]).Should().Be((0, 1, 1, 4, 4, 5));
        keys.Take(6).Select(TagCellTable.TagOf).Should().Equal(0, 2, (1 << 20) - 1, 1 << 20, 1, 1);
        seconds.Take(6).Should().Equal(262_144, 300_144, 3, 15, 4, 9);
    }
}
