namespace AsrBilling.Tests.Billing;

public class KeySortTests
{
    [Theory]
    [InlineData(0, 1, 1)]           // nothing to sort
    [InlineData(31, 1000, 7)]       // insertion sort only
    [InlineData(5000, 3000, 50)]    // a few levels of buckets, some of one key
    [InlineData(200_000, 1 << 21, 1 << 20)] // cells and tags spread over several bytes each
    [InlineData(300_000, 2, 1 << 20)] // two large buckets by cell, a byte they all share, then buckets by tag
    [InlineData(100_000, 1, 1)]     // one key: nothing differs
    public void SortByKey_OrdersKeysAsUnsigned_AndKeepsEachKeysSeconds(int n, int cells, int tags)
    {
        var random = new Random(n);
        var keys = new long[n + 3];
        var seconds = new long[n + 3];
        for (var i = 0; i < keys.Length; i++)
        {
            keys[i] = ((long)(random.Next(cells) + 1) << 32) | (uint)random.Next(tags);
            seconds[i] = keys[i] ^ 0x5555; // a value the key determines, to see the pairs stay together
        }

        var past = keys[n..];

        KeySort.SortByKey(keys, seconds, n);

        var expected = keys.Take(n).Order().ToArray();
        keys.Take(n).Should().Equal(expected);
        for (var i = 0; i < n; i++)
        {
            seconds[i].Should().Be(keys[i] ^ 0x5555);
        }

        keys[n..].Should().Equal(past, "keys past n are not the sort's");
    }

    public static TheoryData<int, int> SignedShapes()
    {
        var data = new TheoryData<int, int>();
        foreach (var n in new[] { 33, 65_537, 140_000 })
        {
            foreach (var shape in new[] { 0, 1, 2, 3 })
            {
                data.Add(n, shape);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(SignedShapes))]
    public void SortByKey_AnyKeys_OrderAsUnsigned_EachWithItsSeconds(int n, int shape)
    {
        // Keys over the whole signed range, only extremes, negative keys differing in one middle byte,
        // and a few keys repeated many times: the sort is checked against an ordinary sort of (key, seconds) pairs.
        var random = new Random((n * 31) + shape);
        var keys = new long[n];
        var seconds = new long[n];
        for (var i = 0; i < n; i++)
        {
            keys[i] = shape switch
            {
                0 => random.NextInt64(long.MinValue, long.MaxValue),
                1 => random.Next(4) switch { 0 => -1L, 1 => long.MinValue, 2 => 0, _ => long.MaxValue },
                2 => unchecked((long)0xFF00000000000000UL) | ((long)random.Next(256) << 8),
                _ => ((long)random.Next(5) << 56) | 5,
            };
            seconds[i] = i;
        }

        var pairs = keys.Zip(seconds).ToArray();

        KeySort.SortByKey(keys, seconds, n);

        keys.Select(k => unchecked((ulong)k)).Should().Equal(pairs.Select(p => unchecked((ulong)p.First)).Order());
        keys.Zip(seconds).OrderBy(p => p.Second).Should().Equal(pairs, "each key keeps its own seconds");
    }

    public static TheoryData<int, int, long, int> PackedShapes() => new()
    {
        // n, distinct cells, distinct tags, the largest seconds' bit count
        { 5000, 1, 1000, 20 },          // keys differ in 10 tag bits: one pass
        { 4096, 900_000, 50, 30 },      // a run's shape: 20 + 6 key bits, three passes
        { 70_000, 1 << 21, 1 << 21, 22 }, // 21 + 21 key bits and 22 of seconds: the word is full, five passes
        { 9000, 3, 1 << 30, 20 },       // 32 tag bits and 2 cell bits, passes of 9 bits
        { 6000, 1 << 30, 1, 33 },       // cells only, 31 bits; one tag for all
    };

    [Theory]
    [MemberData(nameof(PackedShapes))]
    public void SortByKey_PairsThatFitOneWord_SortAsAnyOthers(int n, int cells, long tags, int secondsBits)
    {
        // Pairs whose differing key bits and seconds fit 64 bits together are sorted packed; the high
        // half keeps bit 30 set in every key and the low half bit 31 set in none or all, bits the packing
        // must restore. Seconds take every bit up to secondsBits, and some repeat a key with other seconds.
        var random = new Random(n + secondsBits);
        var keys = new long[n + 2];
        var seconds = new long[n + 2];
        for (var i = 0; i < keys.Length; i++)
        {
            var cell = (1L << 30) | random.Next(cells);
            var tag = tags == 1 ? 1L << 31 : random.NextInt64(tags);
            keys[i] = i % 7 == 3 ? keys[i - 1] : (cell << 32) | tag;
            seconds[i] = i % 11 == 0 ? (1L << secondsBits) - 1 : random.NextInt64(1L << secondsBits);
        }

        var pairs = keys.Zip(seconds).Take(n).ToArray();
        var (pastKeys, pastSeconds) = (keys[n..], seconds[n..]);

        KeySort.SortByKey(keys, seconds, n);

        keys.Take(n).Select(k => unchecked((ulong)k)).Should().Equal(pairs.Select(p => unchecked((ulong)p.First)).Order());
        keys.Zip(seconds).Take(n).Order().Should().Equal(pairs.Order(), "each key keeps its own seconds");
        keys[n..].Should().Equal(pastKeys, "pairs past n are not the sort's");
        seconds[n..].Should().Equal(pastSeconds);
    }

    [Theory]
    [InlineData(0)]  // no seconds: all 64 key bits may differ, and the pairs are still sorted packed
    [InlineData(1)]  // one second among them: a bit too many, sorted by bytes
    public void SortByKey_KeysOverAll64Bits(int seconds)
    {
        var random = new Random(64 + seconds);
        var keys = Enumerable.Range(0, 8192).Select(_ => random.NextInt64(long.MinValue, long.MaxValue)).ToArray();
        var sums = new long[keys.Length];
        sums[^1] = seconds;
        var pairs = keys.Zip(sums).ToArray();

        KeySort.SortByKey(keys, sums, keys.Length);

        keys.Select(k => unchecked((ulong)k)).Should().Equal(pairs.Select(p => unchecked((ulong)p.First)).Order());
        keys.Zip(sums).Order().Should().Equal(pairs.Order());
    }

    [Fact]
    public void SortByKey_ComparesKeysAsUnsigned()
    {
        long[] keys = [-1, 5, long.MinValue, 0, 1L << 40];
        long[] seconds = [1, 2, 3, 4, 5];

        KeySort.SortByKey(keys, seconds, keys.Length);

        keys.Should().Equal(0, 5, 1L << 40, long.MinValue, -1);
        seconds.Should().Equal(4, 2, 5, 3, 1);
    }
}
