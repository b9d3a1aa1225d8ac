using AsrBilling.Csv;

namespace AsrBilling.Tests.Csv;

/// <summary>
/// The id log keeps each partition's keys in blocks (a small first one, then larger ones) in native
/// memory; the repeated keys are found across blocks and across the logs of several workers.
/// </summary>
public sealed class IdLogTests
{
    // A key in partition 7 (its top byte); the low bit is always set in a key, so i is shifted past it.
    private static IdLog.IdDigest InPartition7(ulong i) => new((7UL << 56) | (i << 1), 0);

    [Fact]
    public void Repeats_are_found_across_block_boundaries_and_logs()
    {
        using var first = new IdLog(ulong.MaxValue);
        using var second = new IdLog(ulong.MaxValue);

        // 20,000 distinct keys in one partition: the first block (512) and two full blocks of 8,192 and a part.
        for (ulong i = 0; i < 20_000; i++)
        {
            first.Add(InPartition7(i));
        }

        // Repeats within the first log: a key of the first block again in the third, one of the second block in the third.
        first.Add(InPartition7(100));
        first.Add(InPartition7(9_000));

        // Repeats across logs, and keys new to both.
        second.Add(InPartition7(511));
        second.Add(InPartition7(512));
        second.Add(InPartition7(19_999));
        second.Add(InPartition7(50_000));
        second.Add(new IdLog.IdDigest(3UL << 56, 0));

        var repeated = IdLog.FindRepeatedKeys([first, second]);

        repeated.Should().BeEquivalentTo(new ulong[] { 100, 9_000, 511, 512, 19_999 }.Select(i => (7UL << 56) | (i << 1) | 1));
    }

    [Fact]
    public void Keys_at_line_and_block_boundaries_are_all_found_and_a_second_find_sees_later_keys()
    {
        // Partitions holding counts around a cache line (8 keys), the first block (512) and the next (8,192):
        // keys gather in a line per partition before they reach a block, and a find moves the part-filled ones.
        int[] counts = [0, 1, 7, 8, 9, 511, 512, 513, 520, 512 + 8192, 512 + 8192 + 1, 512 + 8192 + 7, 512 + (2 * 8192), 40_000, 3, 16];
        static IdLog.IdDigest In(int partition, ulong i) => new(((ulong)partition << 56) | (i << 1), 0);
        using var first = new IdLog(ulong.MaxValue);
        using var second = new IdLog(ulong.MaxValue);
        var expected = new HashSet<ulong>();
        for (var p = 0; p < counts.Length; p++)
        {
            for (ulong i = 0; i < (ulong)counts[p]; i++)
            {
                first.Add(In(p * 3, i));
                second.Add(In(p * 3, i));
                expected.Add(((ulong)(p * 3) << 56) | (i << 1) | 1);
            }
        }

        IdLog.FindRepeatedKeys([first, second]).Should().BeEquivalentTo(expected);
        IdLog.FindRepeatedKeys([first, second]).Should().BeEquivalentTo(expected, "a second find moves the same lines again");
        IdLog.FindRepeatedKeys([first]).Should().BeEmpty();

        for (ulong i = 0; i < 10_000; i++)
        {
            first.Add(In(200, i));
        }

        first.Add(In(200, 17));
        first.Add(In(3, 0));
        IdLog.FindRepeatedKeys([first]).Should().BeEquivalentTo(new[] { (200UL << 56) | (17UL << 1) | 1, (3UL << 56) | 1 });
    }

    [Fact]
    public void Finding_and_freeing_finds_the_same_repeats_and_leaves_every_log_freed()
    {
        using var first = new IdLog(ulong.MaxValue);
        using var second = new IdLog(ulong.MaxValue);
        for (ulong i = 0; i < 5_000; i++)
        {
            first.Add(InPartition7(i));
            second.Add(InPartition7(i + 4_990));
        }

        first.NativeBytes.Should().BePositive();
        second.NativeBytes.Should().BePositive();

        var repeated = IdLog.FindRepeatedKeysAndFree([first, second]);

        repeated.Should().BeEquivalentTo(Enumerable.Range(4_990, 10).Select(i => (7UL << 56) | ((ulong)i << 1) | 1));
        first.NativeBytes.Should().Be(0);
        second.NativeBytes.Should().Be(0);
    }

    [Fact]
    public void A_log_without_repeats_finds_none_and_disposing_twice_is_harmless()
    {
        var log = new IdLog(ulong.MaxValue);
        for (ulong i = 0; i < 3_000; i++)
        {
            log.Add(new IdLog.IdDigest((i % 256) << 56 | (i << 1), 0));
        }

        IdLog.FindRepeatedKeys([log]).Should().BeEmpty();
        log.Dispose();
        log.Dispose();
    }
}
