using System.Reflection;

namespace AsrBilling.Cli.Input;

/// <summary>Where the CSV comes from: a file, standard input (<c>-</c>), or the embedded sample.</summary>
internal sealed class CsvSource
{
    private readonly Func<Stream> _open;

    private CsvSource(string name, Func<Stream> open, long? length)
    {
        Name = name;
        _open = open;
        Length = length;
    }

    /// <summary>The name for messages: the path, "standard input" or "the embedded sample".</summary>
    public string Name { get; }

    /// <summary>The size in bytes of a seekable source; null for a stream, which is read once, in order.</summary>
    public long? Length { get; }

    public static CsvSource File(string path)
    {
        try
        {
            var info = new FileInfo(path);
            if (!info.Exists)
            {
                throw new CliInputException(Directory.Exists(path) ? $"cannot read '{path}': it is a directory." : $"cannot read '{path}': no such file.");
            }

            return new CsvSource(path, () => new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.SequentialScan), info.Length);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            throw new CliInputException($"cannot read '{path}': {e.Message}");
        }
    }

    public static CsvSource Stdin(Func<Stream> openStdin) => new("standard input", openStdin, null);

    public static CsvSource EmbeddedSample()
    {
        var bytes = ReadSample();
        return new CsvSource("the embedded sample", () => new MemoryStream(bytes, writable: false), bytes.LongLength);
    }

    /// <summary>Opens the source from its start.</summary>
    public Stream Open()
    {
        try
        {
            return _open();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CliInputException($"cannot read '{Name}': {e.Message}");
        }
    }

    private static byte[] ReadSample()
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream("AsrBilling.Cli.sample-usage.csv")
            ?? throw new InvalidOperationException("The embedded sample is missing from the build.");
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }
}
