namespace AsrBilling.Tests.Billing;

public class TagCellTableTests
{
    [Fact]
    public void GroupByCell_SumsEachCellsTags_AcrossManyGrowths()
    {
        // 3,000 cells × up to 7 tags, each pair added 1 to 3 times in a scattered order: the table
        // grows from 1,024 entries many times; the expected sums are kept in a plain dictionary.
        var table = new TagCellTable();
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

        var (start, tags, seconds) = table.GroupByCell(3000);

        table.Count.Should().Be(expected.Count);
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
    }
}
