using AsrBilling.Csv;

namespace AsrBilling.Tests;

/// <summary>The default value of every public struct is safe to print, compare and hash.</summary>
public class DefaultValueTests
{
    private static readonly Type[] Structs = [.. new[] { typeof(Money).Assembly, typeof(UsageCsv).Assembly }
        .SelectMany(a => a.GetExportedTypes())
        .Where(t => t.IsValueType && !t.IsEnum)
        .OrderBy(t => t.FullName, StringComparer.Ordinal)];

    public static TheoryData<Type> PublicStructs => new(Structs.AsEnumerable());

    [Fact]
    public void PublicStructs_AreFound() =>
        Structs.Should().Contain([typeof(TierCliff), typeof(Charge), typeof(Subtotal), typeof(Money), typeof(DailyTotal), typeof(UsageRecord), typeof(RejectedRow)]);

    [Theory]
    [MemberData(nameof(PublicStructs))]
    public void Default_PrintsComparesAndHashes(Type type)
    {
        object value = Activator.CreateInstance(type)!;
        object other = Activator.CreateInstance(type)!;

        var (text, hash, otherHash) = (value.ToString(), value.GetHashCode(), other.GetHashCode());
        var (equal, equalToNull) = (value.Equals(other), value.Equals(null));

        text.Should().NotBeNull();
        equal.Should().BeTrue();
        equalToNull.Should().BeFalse();
        hash.Should().Be(otherHash);
    }

    [Fact]
    public void TierCliff_NotFound_IsADefaultThatSaysSo()
    {
        var table = PriceBook.TencentCloudInternational.GetLatestTable(AsrService.RealTime);

        TierCliffs.TryFind(table, 100m, out var cliff).Should().BeFalse();

        cliff.ToString().Should().Be("(no cliff)");
        cliff.Contains(100m).Should().BeFalse();
        (cliff.ThresholdHours, cliff.BreakEvenHours, cliff.CheaperPointSeconds).Should().Be((0m, 0m, 0L));
        cliff.FeeAtCheaperPoint.Should().Be(default(Money));
        cliff.DescribeCheaperPoint().Should().BeEmpty();
        (cliff == default).Should().BeTrue();
        cliff.Should().NotBe(TierCliffs.Of(table)[0]);
    }
}
