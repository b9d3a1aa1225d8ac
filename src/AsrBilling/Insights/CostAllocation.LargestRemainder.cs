using System.Runtime.CompilerServices;

namespace AsrBilling;

// The largest-remainder split of whole cents, which the allocation gives each charge's parts.
public static partial class CostAllocation
{
    /// <summary>
    /// The largest-remainder split of whole cents by the parts' seconds, into their <see cref="Part.Cents"/>;
    /// the parts are in key order, so ties go to the first.
    /// </summary>
    private static void Split(long cents, long total, Span<Part> parts)
    {
        if (total == 0)
        {
            parts[0].Cents = cents;
            for (var i = 1; i < parts.Length; i++)
            {
                parts[i].Cents = 0;
            }

            return;
        }

        long given = 0;
        var divisor = new RepeatedDivisor((ulong)total); // seconds: total > 0 here
        for (var i = 0; i < parts.Length; i++)
        {
            // 128-bit division only when the product needs it: it costs several times a 64-bit one.
            var high = Math.BigMul(cents, parts[i].Seconds, out long low);
            if (high == 0 && low >= 0)
            {
                parts[i].Cents = (long)divisor.DivRem((ulong)low, out var remainder);
                parts[i].Remainder = (long)remainder;
            }
            else
            {
                var product = (Int128)cents * parts[i].Seconds;
                parts[i].Cents = (long)(product / total);
                parts[i].Remainder = (long)(product % total);
            }
            given += parts[i].Cents;
        }

        // Each cent left goes to the largest remainder not yet served, ties to the first: fewer cents than parts are left.
        var left = (int)(cents - given);
        if (left == 0)
        {
            return;
        }

        // The left-th largest remainder: every part above it takes a cent, then the first parts at it take the rest.
        // Found by selection rather than a scan per cent, which cost parts × cents for a charge of 50 tags.
        var threshold = LargestAt(parts, left);
        for (var i = 0; i < parts.Length; i++)
        {
            if (parts[i].Remainder > threshold)
            {
                parts[i].Cents++;
                left--;
            }
        }

        for (var i = 0; left > 0; i++)
        {
            if (parts[i].Remainder == threshold)
            {
                parts[i].Cents++;
                left--;
            }
        }
    }

    // Up to this many parts, LargestAt sorts rather than selects.
    private const int SortedAtMost = 8;

    /// <summary>The <paramref name="k"/>-th largest remainder of the parts (1 for the largest), by selection in a copy.</summary>
    [SkipLocalsInit]
    private static long LargestAt(Span<Part> parts, int k)
    {
        const int OnStack = 128;
        var values = parts.Length <= OnStack ? stackalloc long[OnStack] : new long[parts.Length];
        values = values[..parts.Length];
        for (var i = 0; i < parts.Length; i++)
        {
            values[i] = parts[i].Remainder;
        }

        // A charge's few parts are sorted outright (by insertion, descending): fewer mispredicted branches than a selection.
        if (values.Length <= SortedAtMost)
        {
            for (var i = 1; i < values.Length; i++)
            {
                var value = values[i];
                var j = i - 1;
                for (; j >= 0 && values[j] < value; j--)
                {
                    values[j + 1] = values[j];
                }

                values[j + 1] = value;
            }

            return values[k - 1];
        }

        // Quickselect for the (k - 1)-th element in descending order, with the middle value as pivot.
        var (low, high, target) = (0, values.Length - 1, k - 1);
        while (low < high)
        {
            var pivot = values[low + ((high - low) / 2)];
            var (i, j) = (low, high);
            while (i <= j)
            {
                while (values[i] > pivot)
                {
                    i++;
                }

                while (values[j] < pivot)
                {
                    j--;
                }

                if (i <= j)
                {
                    (values[i], values[j]) = (values[j], values[i]);
                    i++;
                    j--;
                }
            }

            if (target <= j)
            {
                high = j;
            }
            else if (target >= i)
            {
                low = i;
            }
            else
            {
                return values[target];
            }
        }

        return values[target];
    }

    /// <summary>The largest-remainder split of whole cents by weights that are in key order (ties go to the first).</summary>
    internal static long[] Split(long cents, long total, long[] weights)
    {
        var parts = new Part[weights.Length];
        for (var i = 0; i < weights.Length; i++)
        {
            parts[i] = new Part(i, weights[i]);
        }

        Split(cents, total, parts);
        return [.. parts.Select(p => p.Cents)];
    }

    /// <summary>One key's part of a charge while it is split.</summary>
    private struct Part(int key, long seconds)
    {
        public int Key = key;
        public long Seconds = seconds;
        public long Cents;
        public long Remainder;
    }
}
