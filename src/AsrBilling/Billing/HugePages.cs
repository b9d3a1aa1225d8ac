using System.Runtime.InteropServices;

// Linked into AsrBilling.Csv and AsrBilling.Parquet too, in their own namespaces there, so that the internal copies never meet.
#if ASRBILLING_CSV
namespace AsrBilling.Csv;
#elif ASRBILLING_PARQUET
namespace AsrBilling.Parquet;
#else
namespace AsrBilling;
#endif

/// <summary>
/// Asks Linux to back large buffers with 2 MB pages (transparent huge pages, which a system in
/// madvise mode gives only where asked): one page fault per 2 MB instead of one per 4 KB, and
/// fewer TLB misses on random access.
/// </summary>
/// <remarks>Only advice: where it is refused, or on another system, buffers keep 4 KB pages and nothing else changes.</remarks>
internal static unsafe partial class HugePages
{
    /// <summary>The size of a huge page.</summary>
    public const int Bytes = 2 << 20;

    private const int AdviseHugePage = 14; // MADV_HUGEPAGE

    // False on other systems, or once the C library could not be called.
    private static bool s_canAdvise = OperatingSystem.IsLinux();

    /// <summary>
    /// A zeroed array: of at least a huge page, on the pinned-object heap and advised before it is
    /// first written; smaller, a plain array.
    /// </summary>
    public static T[] NewArray<T>(int length)
        where T : unmanaged
        => (long)length * sizeof(T) >= Bytes ? Pinned<T>(length, aligned: false, zeroed: true).Array! : new T[length];

    /// <summary>
    /// As <see cref="NewArray{T}(int)"/>, but an array of at least a huge page is not cleared: for
    /// columns written before they are read, whose pages are then touched only where written.
    /// </summary>
    public static T[] NewUninitialized<T>(int length)
        where T : unmanaged
        => (long)length * sizeof(T) >= Bytes ? Pinned<T>(length, aligned: false, zeroed: false).Array! : new T[length];

    /// <summary>As <see cref="Array.Resize{T}(ref T[], int)"/>, the new array made by <see cref="NewArray{T}(int)"/>.</summary>
    public static void Resize<T>(ref T[] array, int length)
        where T : unmanaged
    {
        var resized = NewArray<T>(length);
        array.AsSpan(0, Math.Min(array.Length, length)).CopyTo(resized);
        array = resized;
    }

    /// <summary>
    /// A zeroed window of <paramref name="length"/> elements: of at least a huge page, it starts on a
    /// 2 MB boundary inside a pinned array 2 MB longer, so that every huge page it touches is its own
    /// (an array's ends share theirs with the heap's other objects, which keep those on 4 KB pages);
    /// smaller, a plain array.
    /// </summary>
    public static ArraySegment<T> NewAligned<T>(int length)
        where T : unmanaged
        => (long)length * sizeof(T) >= Bytes ? Pinned<T>(length, aligned: true, zeroed: true) : new ArraySegment<T>(new T[length]);

    /// <summary>
    /// <paramref name="length"/> elements in a pinned array, advised before they are first written, and
    /// cleared when <paramref name="zeroed"/>; when <paramref name="aligned"/>, starting on a 2 MB boundary of an array 2 MB longer.
    /// </summary>
    private static ArraySegment<T> Pinned<T>(int length, bool aligned, bool zeroed)
        where T : unmanaged
    {
        var array = GC.AllocateUninitializedArray<T>(aligned ? length + (Bytes / sizeof(T)) : length, pinned: true);
        fixed (T* start = array)
        {
            var offset = aligned ? (int)((((nuint)start + Bytes - 1) & ~(nuint)(Bytes - 1)) - (nuint)start) / sizeof(T) : 0;
            Advise(start + offset, (nuint)length * (nuint)sizeof(T));
            var window = new ArraySegment<T>(array, offset, length);
            if (zeroed)
            {
                window.AsSpan().Clear();
            }

            return window;
        }
    }

    /// <summary>
    /// Advises the huge pages that [start, start + bytes) touches. Those at its ends also hold other
    /// memory of the same mapping; a page of them that is already in use keeps 4 KB pages.
    /// </summary>
    public static void Advise(void* start, nuint bytes)
    {
        const nuint Mask = Bytes - 1;
        TryAdvise((nuint)start & ~Mask, ((nuint)start + bytes + Mask) & ~Mask, AdviseHugePage);
    }

    /// <summary>
    /// Gives back to the system the 2 MB pages wholly inside elements [<paramref name="offset"/>, <paramref name="offset"/> +
    /// <paramref name="count"/>) of a pinned array no longer read: they read as zeros if touched again. The pages at the
    /// ends, which may hold the array's header or other objects, are kept.
    /// </summary>
    /// <remarks>
    /// Only a hint for speed: memory the process has just given back is faulted in again at a small part of the cost of
    /// new memory, so the next large columns take these pages.
    /// </remarks>
    public static void Release<T>(T[] array, int offset, int count)
        where T : unmanaged
    {
        if (!s_canAdvise || (long)count * sizeof(T) < Bytes)
        {
            return;
        }

        const nuint Mask = Bytes - 1;
        fixed (T* elements = array)
        {
            TryAdvise(((nuint)(elements + offset) + Mask) & ~Mask, (nuint)(elements + offset + count) & ~Mask, DontNeed);
        }
    }

    private const int DontNeed = 4; // MADV_DONTNEED

    /// <summary>Gives the advice for the whole pages [first, end), if any; a system without madvise turns advice off.</summary>
    private static void TryAdvise(nuint first, nuint end, int advice)
    {
        if (!s_canAdvise || first >= end)
        {
            return;
        }

        try
        {
            _ = Madvise((void*)first, end - first, advice);
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            s_canAdvise = false;
        }
    }

    [LibraryImport("libc", EntryPoint = "madvise")]
    private static partial int Madvise(void* address, nuint length, int advice);
}
