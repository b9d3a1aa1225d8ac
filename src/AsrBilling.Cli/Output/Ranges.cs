namespace AsrBilling.Cli.Output;

/// <summary>Work over the items [0, count) in contiguous ranges, several per core, one result per range in order.</summary>
internal static class Ranges
{
    /// <summary>
    /// Calls <paramref name="range"/> on ranges [from, to) covering [0, <paramref name="count"/>) on all cores,
    /// or on one range on this thread below <paramref name="parallelFrom"/> items (a task costs more than their work).
    /// </summary>
    public static T[] Map<T>(int count, int parallelFrom, Func<int, int, T> range)
    {
        var ranges = count < parallelFrom ? 1 : 4 * Environment.ProcessorCount;
        var results = new T[ranges];
        Parallel.For(
            0,
            ranges,
            new ParallelOptions { MaxDegreeOfParallelism = Math.Min(ranges, Environment.ProcessorCount) },
            r => results[r] = range((int)((long)count * r / ranges), (int)((long)count * (r + 1) / ranges)));
        return results;
    }
}
