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
            array = new T[Room(length, array.Length)];
        }
    }

    /// <summary>
    /// As <see cref="Grow{T}(ref T[], int)"/>, for the arrays a row group is decoded into, written before they are read: an
    /// array of a huge page or more is made by <see cref="HugePages.NewUninitialized{T}(int)"/>, not cleared, and first touched a 2 MB page at a time.
    /// </summary>
    public static void GrowUninitialized<T>(ref T[] array, int length)
        where T : unmanaged
    {
        if (array.Length < length)
        {
            array = HugePages.NewUninitialized<T>(Room(length, array.Length));
        }
    }

    /// <summary>Makes a buffer of uninitialized bytes hold <paramref name="bytes"/> (a size the file gives), as <see cref="GrowUninitialized{T}(ref T[], int)"/> does but exactly; a size no array can have is left to growing.</summary>
    public static void Reserve(ref byte[] buffer, long bytes)
    {
        if (bytes > buffer.Length && bytes <= Array.MaxLength)
        {
            buffer = HugePages.NewUninitialized<byte>((int)bytes);
        }
    }

    /// <summary>The length an array of <paramref name="current"/> items grows to for <paramref name="length"/>: room to spare, up to the largest array there can be, never less than asked.</summary>
    public static int Room(int length, int current) =>
        Math.Max(length, (int)Math.Min(Math.Max(length + (length / 8L), current * 2L), Array.MaxLength));
}
