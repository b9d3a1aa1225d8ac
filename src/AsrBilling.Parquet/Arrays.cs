namespace AsrBilling.Parquet;

/// <summary>Working arrays kept from one row group to the next.</summary>
internal static class Arrays
{
    /// <summary>
    /// Makes <paramref name="array"/> hold at least <paramref name="length"/> items, its contents not kept: an
    /// eighth more than asked at first, since a writer's row groups differ in size by a few rows (DuckDB's by
    /// up to 1%); each size up would otherwise be a new set of large arrays, left to the garbage collector.
    /// </summary>
    public static void Grow<T>(ref T[] array, int length)
    {
        if (array.Length < length)
        {
            array = new T[Math.Max(length + (length / 8), array.Length * 2)];
        }
    }
}
