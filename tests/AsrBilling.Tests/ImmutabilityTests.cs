using System.Reflection;
using System.Runtime.CompilerServices;

namespace AsrBilling.Tests;

/// <summary>Guards immutability by reflection, after NodaTime's MutabilityTest.</summary>
public class ImmutabilityTests
{
    private const BindingFlags Instance = BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly;

    /// <summary>
    /// The only public types that change state: accumulators, like StringBuilder, and blocks that bulk readers fill again and again. They are sealed
    /// and expose no setter; everything they produce is immutable.
    /// </summary>
    private static readonly Type[] Accumulators = [typeof(UsageAggregator), typeof(AllocationLineBlock), typeof(BillChargeBlock)];

    private static readonly Type[] AllPublicTypes = [.. typeof(Money).Assembly.GetExportedTypes()
        .Where(t => !typeof(Exception).IsAssignableFrom(t) && !t.IsEnum && !IsStatic(t))];

    private static readonly Type[] PublicValueTypes = [.. AllPublicTypes.Except(Accumulators)];

    [Fact]
    public void Accumulators_AreSealedWithoutPublicSetters()
    {
        Accumulators.Should().OnlyContain(t => t.IsSealed);
        Accumulators.SelectMany(t => t.GetProperties(Instance)).Where(p => p.SetMethod is { IsPublic: true })
            .Should().BeEmpty();
        Accumulators.SelectMany(t => t.GetFields(Instance)).Where(f => f.IsPublic).Should().BeEmpty();
    }

    [Fact]
    public void PublicTypes_AreFound()
    {
        PublicValueTypes.Should().Contain([typeof(AsrService), typeof(Money), typeof(PriceTier), typeof(PriceTable), typeof(PriceBook), typeof(Charge)]);
    }

    [Fact]
    public void PublicTypes_AreSealedClassesOrReadOnlyStructs()
    {
        var mutable = AllPublicTypes
            .Where(t => t.IsValueType ? !t.IsDefined(typeof(IsReadOnlyAttribute), inherit: false) : !t.IsSealed && !IsClosedBase(t))
            .Select(t => t.FullName);

        mutable.Should().BeEmpty("every public type is a sealed class, a readonly struct, a static class or a base no other assembly can derive from");
    }

    // An abstract class whose constructors are all internal or private protected has only the library's own subclasses.
    private static bool IsClosedBase(Type type) =>
        type.IsAbstract && !type.IsInterface && type.GetConstructors(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic).All(c => c.IsAssembly || c.IsFamilyAndAssembly || c.IsPrivate);

    [Fact]
    public void PublicTypes_HaveNoPropertySetters()
    {
        var settable = PublicValueTypes
            .SelectMany(t => t.GetProperties(Instance))
            .Where(p => p.SetMethod is not null)
            .Select(p => $"{p.DeclaringType!.Name}.{p.Name}");

        settable.Should().BeEmpty("no property has a setter, not even init");
    }

    [Fact]
    public void PublicTypes_HaveOnlyReadOnlyFields()
    {
        var writable = PublicValueTypes
            .SelectMany(t => t.GetFields(Instance))
            .Where(f => !f.IsInitOnly)
            .Select(f => $"{f.DeclaringType!.Name}.{f.Name}");

        writable.Should().BeEmpty();
    }

    private static bool IsStatic(Type type) => type.IsAbstract && type.IsSealed;
}
