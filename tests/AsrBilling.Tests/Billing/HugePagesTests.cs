namespace AsrBilling.Tests.Billing;

/// <summary>
/// Large columns are made on the pinned-object heap with huge-page advice, small ones as plain
/// arrays; either way they must be zeroed, as long as asked, and keep their values when resized.
/// </summary>
public sealed class HugePagesTests
{
    [Theory]
    [InlineData(0)]
    [InlineData(1_000)]
    [InlineData((2 << 20) / sizeof(long))] // exactly a huge page
    [InlineData(3_000_000)] // 24 MB
    public void NewArray_IsZeroed_AndAsLongAsAsked(int length)
    {
        // Fill and free a large array first, so that reused memory would show if it were not cleared.
        FillAndDrop();
        GC.Collect();

        var array = HugePages.NewArray<long>(length);

        array.Length.Should().Be(length);
        array.All(v => v == 0).Should().BeTrue();
    }

    private static void FillAndDrop() => HugePages.NewArray<long>(3_000_000).AsSpan().Fill(-1);

    [Theory]
    [InlineData(1_000, false)]
    [InlineData(1 << 19, true)] // 4 MB
    public void NewAligned_IsZeroed_AsLongAsAsked_AndLargeOnesStartOnAHugePage(int length, bool aligned)
    {
        FillAndDrop();
        GC.Collect();

        var window = HugePages.NewAligned<long>(length);

        window.Count.Should().Be(length);
        window.AsSpan().ToArray().Should().OnlyContain(v => v == 0);
        if (aligned)
        {
            // The array is pinned, so its address stays put.
            var start = System.Runtime.InteropServices.Marshal.UnsafeAddrOfPinnedArrayElement(window.Array!, window.Offset);
            (start % (2 << 20)).Should().Be(0);
        }
    }

    [Fact]
    public void Resize_KeepsTheValues_AndZeroesTheRest()
    {
        var array = Enumerable.Range(1, 600_000).ToArray();

        HugePages.Resize(ref array, 1_000_000);

        array.Length.Should().Be(1_000_000);
        array[..600_000].Should().Equal(Enumerable.Range(1, 600_000));
        array[600_000..].Should().OnlyContain(v => v == 0);

        HugePages.Resize(ref array, 10);
        array.Should().Equal(Enumerable.Range(1, 10));
    }
}
