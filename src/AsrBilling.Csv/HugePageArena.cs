using System.Runtime.InteropServices;

#if ASRBILLING_PARQUET
// Linked into the Parquet package, whose copy of HugePages is in its own namespace.
using HugePages = AsrBilling.Parquet.HugePages;
#endif

namespace AsrBilling.Csv;

/// <summary>
/// Native memory for entries written once and read once, handed out from 32 MB regions that Linux
/// is asked to back with 2 MB pages: one page fault per 2 MB instead of one per 4 KB.
/// </summary>
/// <remarks>
/// Nothing is zeroed: a caller reads only what it wrote. The regions are freed by
/// <see cref="Dispose"/>, or by the finalizer when a read stopped on an exception.
/// </remarks>
internal sealed unsafe class HugePageArena : IDisposable
{
    private const nuint RegionBytes = 32 << 20;

    private readonly List<nint> _regions = [];
    private nuint _used = RegionBytes;

    /// <summary>Frees the regions if <see cref="Dispose"/> was not called.</summary>
    ~HugePageArena() => Free();

    /// <summary>Room for <paramref name="count"/> 64-bit entries (at most a region's), not zeroed, valid until the arena is disposed.</summary>
    public ulong* Allocate(int count)
    {
        var bytes = (nuint)count * sizeof(ulong);
        if (_used + bytes > RegionBytes)
        {
            var region = NativeMemory.AlignedAlloc(RegionBytes, HugePages.Bytes);
            _regions.Add((nint)region);
            HugePages.Advise(region, RegionBytes);
            _used = 0;
        }

        var block = (ulong*)((byte*)_regions[^1] + _used);
        _used += bytes;
        return block;
    }

    /// <summary>How many bytes the arena's regions take: 0 before the first allocation and once disposed.</summary>
    public long Bytes => (long)_regions.Count * (long)RegionBytes;

    /// <summary>Frees every region.</summary>
    public void Dispose()
    {
        Free();
        GC.SuppressFinalize(this);
    }

    private void Free()
    {
        foreach (var region in _regions)
        {
            NativeMemory.AlignedFree((void*)region);
        }

        _regions.Clear();
        _used = RegionBytes;
    }
}
