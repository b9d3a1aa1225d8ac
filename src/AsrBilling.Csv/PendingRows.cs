using AsrBilling.Bulk;

namespace AsrBilling.Csv;

/// <summary>Byte rows parsed and waiting to be added in one batch: their keys, usage, lines and where their text is.</summary>
internal sealed class PendingRows
{
    public const int Capacity = 64;

    public UsageKey[] Keys { get; } = new UsageKey[Capacity];

    public ulong[] Hashes { get; } = new ulong[Capacity];

    public ulong[] TagHashes { get; } = new ulong[Capacity];

    public int[] Accounts { get; } = new int[Capacity];

    public int[] AccountLengths { get; } = new int[Capacity];

    public int[] Tags { get; } = new int[Capacity];

    public int[] TagLengths { get; } = new int[Capacity];

    public AsrService[] Services { get; } = new AsrService[Capacity];

    public long[] Ticks { get; } = new long[Capacity];

    public long[] Seconds { get; } = new long[Capacity];

    public long[] Lines { get; } = new long[Capacity];

    public int[] Starts { get; } = new int[Capacity];

    public int[] Ends { get; } = new int[Capacity];

    public int[] Overflowed { get; } = new int[Capacity];

    public int Count { get; set; }

    public bool IsFull => Count == Capacity;

    /// <summary>Adds a row: its account and tag as offsets and lengths in the text, its usage, line, and where its text is.</summary>
    public void Add(int account, int accountLength, int tag, int tagLength, AsrService service, long ticks, long seconds, long line, int start, int end)
    {
        var i = Count++;
        (Accounts[i], AccountLengths[i], Tags[i], TagLengths[i]) = (account, accountLength, tag, tagLength);
        (Services[i], Ticks[i], Seconds[i], Lines[i], Starts[i], Ends[i]) = (service, ticks, seconds, line, start, end);
    }
}
