using System.Runtime.InteropServices;

namespace AsrBilling;

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

    /// <summary>A zeroed array on the pinned-object heap, its whole huge pages advised before it is first written.</summary>
    public static T[] AllocateZeroed<T>(int length)
        where T : unmanaged
    {
        var array = GC.AllocateUninitializedArray<T>(length, pinned: true);
        fixed (T* start = array)
        {
            Advise(start, (nuint)length * (nuint)sizeof(T));
        }

        array.AsSpan().Clear();
        return array;
    }

    /// <summary>Advises the whole huge pages inside [start, start + bytes).</summary>
    public static void Advise(void* start, nuint bytes)
    {
        const nuint Mask = Bytes - 1;
        var first = ((nuint)start + Mask) & ~Mask;
        var end = ((nuint)start + bytes) & ~Mask;
        if (!s_canAdvise || first >= end)
        {
            return;
        }

        try
        {
            _ = Madvise((void*)first, end - first, AdviseHugePage);
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            s_canAdvise = false;
        }
    }

    [LibraryImport("libc", EntryPoint = "madvise")]
    private static partial int Madvise(void* address, nuint length, int advice);
}
