using System.Collections;

namespace AsrBilling;

/// <summary>
/// A read-only list over rows held column-wise: each item is a small view built when it is read, so a
/// list of millions of items costs no objects until they are used.
/// </summary>
/// <typeparam name="T">The view of one row.</typeparam>
public abstract class ColumnarList<T> : IReadOnlyList<T>
{
    private protected ColumnarList()
    {
    }

    /// <summary>How many items there are.</summary>
    public abstract int Count { get; }

    /// <summary>How many items there are (the same as <see cref="Count"/>).</summary>
    public int Length => Count;

    /// <summary>Whether there are no items.</summary>
    public bool IsEmpty => Count == 0;

    /// <summary>The item at an index.</summary>
    /// <param name="index">From 0 to <see cref="Count"/> − 1.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="index"/> is out of range.</exception>
    public T this[int index]
    {
        get
        {
            ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(unchecked((uint)index), (uint)Count, nameof(index));
            return At(index);
        }
    }

    /// <summary>Enumerates the items in order.</summary>
    /// <returns>An enumerator.</returns>
    public IEnumerator<T> GetEnumerator()
    {
        for (var i = 0; i < Count; i++)
        {
            yield return At(i);
        }
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <summary>The view of the row at a checked index.</summary>
    private protected abstract T At(int index);
}
