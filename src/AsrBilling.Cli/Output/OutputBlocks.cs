namespace AsrBilling.Cli.Output;

/// <summary>The sizes the large outputs read charges and write lines in, the same for every format.</summary>
internal static class OutputBlocks
{
    /// <summary>Charges read column-wise at a time: about 80 KB of columns, which stay in the cache while their lines are written.</summary>
    public const int Charges = 1024;

    /// <summary>The bytes of a chunk's buffer asked for at a time, lines written into it one after another rather than a span each.</summary>
    public const int SpanBytes = 64 * 1024;
}
