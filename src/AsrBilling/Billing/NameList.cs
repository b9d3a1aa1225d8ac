using System.Text;

namespace AsrBilling;

/// <summary>
/// Names by id, in id order: a store's tags, given as strings or as UTF-8 bytes by a bulk loader (which then
/// needs no string per tag until the names of all stores are put together), or a store's accounts when they are.
/// </summary>
/// <remarks>
/// While every name is ASCII, names given as strings are kept as bytes too, so that stores whose names are all
/// ASCII are put together by comparing bytes, which orders ASCII as <see cref="string.CompareOrdinal(string, string)"/> does.
/// Past the first name that is not (or past 2 GB of bytes), names given as strings are kept as strings only.
/// </remarks>
internal sealed class NameList
{
    private byte[] _bytes = new byte[1 << 10];
    private int[] _start = new int[(1 << 6) + 1];
    private string?[] _strings = new string?[1 << 6];
    private int _byteCount;

    /// <summary>A list of the first <paramref name="count"/> of some names, given as strings.</summary>
    public static NameList Of(string[] names, int count)
    {
        var list = new NameList();
        for (var id = 0; id < count; id++)
        {
            list.Add(names[id]);
        }

        return list;
    }

    /// <summary>How many names there are.</summary>
    public int Count { get; private set; }

    /// <summary>Whether any name was given as a string (kept, and returned by <see cref="NameOf"/>).</summary>
    public bool HasStrings { get; private set; }

    /// <summary>Whether every name is ASCII, and so held as bytes.</summary>
    public bool AllAscii { get; private set; } = true;

    /// <summary>Adds a name given as a string; returns its id.</summary>
    public int Add(string name)
    {
        HasStrings = true;
        if (AllAscii && Ascii.IsValid(name) && Fits(name.Length))
        {
            var id = AddBytes(name.Length);
            Encoding.ASCII.GetBytes(name, _bytes.AsSpan(_start[id]));
            _strings[id] = name;
            return id;
        }

        AllAscii = false;
        var other = AddBytes(0);
        _strings[other] = name;
        return other;
    }

    /// <summary>Adds a name given as UTF-8 (invalid sequences read as U+FFFD); returns its id.</summary>
    /// <exception cref="InvalidOperationException">The names given as bytes would pass 2 GB.</exception>
    public int Add(ReadOnlySpan<byte> utf8)
    {
        if (!Fits(utf8.Length))
        {
            throw new InvalidOperationException("One aggregator holds at most 2 GB of tag names given as bytes.");
        }

        AllAscii &= Ascii.IsValid(utf8);
        var id = AddBytes(utf8.Length);
        utf8.CopyTo(_bytes.AsSpan(_start[id]));
        return id;
    }

    /// <summary>The name of an id.</summary>
    public string NameOf(int id) => _strings[id] ??= Encoding.UTF8.GetString(BytesOf(id));

    /// <summary>The bytes of an id's name: its UTF-8, or nothing for a name kept as a string only (see the remarks).</summary>
    public ReadOnlySpan<byte> BytesOf(int id) => _bytes.AsSpan(_start[id], _start[id + 1] - _start[id]);

    /// <summary>Every name, as strings.</summary>
    public string[] ToArray()
    {
        var names = new string[Count];
        for (var id = 0; id < names.Length; id++)
        {
            names[id] = NameOf(id);
        }

        return names;
    }

    // Whether the bytes of a name of this length still fit one array.
    private bool Fits(int length) => (long)_byteCount + length <= Array.MaxLength;

    private int AddBytes(int length)
    {
        if (Count + 1 == _start.Length)
        {
            Array.Resize(ref _start, (2 * Count) + 1);
            Array.Resize(ref _strings, 2 * Count);
        }

        if ((long)_byteCount + length > _bytes.Length)
        {
            Array.Resize(ref _bytes, (int)Math.Min(Array.MaxLength, Math.Max(2L * _bytes.Length, (long)_byteCount + length)));
        }

        _byteCount += length;
        _start[Count + 1] = _byteCount;
        return Count++;
    }
}
