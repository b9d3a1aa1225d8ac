namespace AsrBilling.Csv;

/// <summary>Where the CSV comes from: a file, which threads can read in ranges, or a stream, read once.</summary>
internal sealed class CsvSource
{
    private readonly Func<Stream> _open;

    private CsvSource(string name, Func<Stream> open, long? length)
    {
        Name = name;
        _open = open;
        Length = length;
    }

    /// <summary>The name for messages: the path, or the name given for a stream.</summary>
    public string Name { get; }

    /// <summary>The size in bytes of a seekable source; null for a stream, which is read once, in order.</summary>
    public long? Length { get; }

    public static CsvSource File(string path, string? name = null)
    {
        try
        {
            // A symbolic link's own length is that of its target's name: the target's sizes the ranges threads read.
            var info = new FileInfo(path);
            if (info.LinkTarget is not null && info.ResolveLinkTarget(returnFinalTarget: true) is FileInfo target)
            {
                info = target;
            }

            if (!info.Exists)
            {
                throw new UsageCsvException(0, null, Directory.Exists(path) ? $"cannot read '{path}': it is a directory." : $"cannot read '{path}': no such file.");
            }

            return new CsvSource(name ?? path, () => new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.SequentialScan), info.Length);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            throw new UsageCsvException(0, null, $"cannot read '{path}': {e.Message}");
        }
    }

    /// <summary>A stream read once, in order, by one thread; it is left open.</summary>
    public static CsvSource FromStream(Stream stream, string name) => new(name, () => new LeaveOpenStream(stream), null);

    /// <summary>Opens the source from its start.</summary>
    public Stream Open()
    {
        try
        {
            return _open();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new UsageCsvException(0, null, $"cannot read '{Name}': {e.Message}");
        }
    }
}
