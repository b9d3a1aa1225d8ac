using AsrBilling.Csv;
using System.Text;

namespace AsrBilling.Tests.Csv;

/// <summary>
/// The table of texts a reading worker has met: the same bytes find the same key, and bytes that differ anywhere
/// (in a slot's own words, past them, or only in length) never do, for texts held in their slots (up to
/// <see cref="KeyTable.InSlot"/> bytes) and in the arena, before and after the table grows.
/// </summary>
public class KeyTableTests
{
    [Fact]
    public void TextsOfEveryLength_DifferingInAnyOneByte_OrOnlyInLength_HaveKeysOfTheirOwn()
    {
        var (table, names) = NewTable();
        var texts = new List<byte[]>();
        for (var length = 0; length <= 40; length++)
        {
            var text = Enumerable.Range(0, length).Select(i => (byte)('a' + (i % 26))).ToArray();
            texts.Add(text);
            for (var at = 0; at < length; at++)
            {
                var changed = (byte[])text.Clone();
                changed[at] = (byte)'#';
                texts.Add(changed);
            }

            // The same bytes, one shorter or longer by a zero byte: words read past a short text must not match it.
            texts.Add([.. text, 0]);
        }

        var distinct = texts.Select(Encoding.Latin1.GetString).Distinct().Count();
        var keys = texts.Select(t => Key(table, t)).ToList();

        table.Count.Should().Be(distinct);
        names.Should().HaveCount(distinct, "each distinct text is resolved once");
        keys.Distinct().Should().HaveCount(distinct);
        texts.Select(t => Key(table, (byte[])t.Clone())).Should().Equal(keys, "the same bytes find the same key, however often");
        names.Select(n => n.Length).Should().Contain([0, 15, 16, 40]);
    }

    [Fact]
    public void ManyTexts_ShortAndLong_KeepTheirKeysAcrossGrowth()
    {
        var (table, names) = NewTable();
        var texts = Enumerable.Range(0, 20_000).Select(i => Encoding.ASCII.GetBytes(i % 2 == 0 ? $"acct-{i}" : $"a-longer-account-name-{i}")).ToArray();

        var first = texts.Select(t => Key(table, t)).ToArray();
        var again = texts.Reverse().Select(t => Key(table, t)).Reverse().ToArray();

        again.Should().Equal(first);
        first.Distinct().Should().HaveCount(texts.Length);
        names.Should().HaveCount(texts.Length);
        table.TryFind(table.Prepare("acct-20000"u8), "acct-20000"u8, out _).Should().BeFalse("a text not met is not found, nor added");
        table.TryFind(table.Prepare(texts[7]), texts[7], out var found).Should().BeTrue();
        found.Should().Be(first[7]);
        table.Count.Should().Be(texts.Length);
    }

    private static UsageKey Key(KeyTable table, byte[] text)
    {
        var hash = table.Prepare(text);
        table.PrefetchText(hash);
        return table.Get(hash, text);
    }

    private static (KeyTable Table, List<string> Names) NewTable()
    {
        var aggregator = new UsageAggregator();
        var names = new List<string>();
        var table = new KeyTable(text =>
        {
            var name = Encoding.Latin1.GetString(text);
            names.Add(name);
            return aggregator.GetKey(name, null);
        });
        return (table, names);
    }
}
