namespace AsrBilling.Csv;

/// <summary>
/// Splits the data after the header into byte ranges that start on a line: about
/// <see cref="UsageCsvOptions.ChunkBytes"/> each, and at least one per thread. Threads take the next range as they
/// finish one, so that a thread slowed by another process does not hold up the end.
/// </summary>
internal static class ChunkPlanner
{
    /// <summary>The most byte ranges a file is split into.</summary>
    private const int MaxChunks = 1024;

    /// <summary>The ranges of the data, or null when the file is too small for more than one thread.</summary>
    public static List<(long Start, long End)>? Plan(UsageCsvOptions csv, CsvSource source, long headerBytes, long length)
    {
        var data = length - headerBytes;
        var threads = (int)Math.Min(csv.Threads, data / csv.MinChunkBytes);
        if (threads < 2)
        {
            return null;
        }

        var count = (int)Math.Clamp(data / csv.ChunkBytes, threads, MaxChunks);
        var starts = new List<long> { headerBytes };
        using var stream = source.Open();
        var buffer = new byte[1 << 12];
        for (var k = 1; k < count; k++)
        {
            var at = Math.Max(headerBytes + (data * k / count), starts[^1]);
            stream.Seek(at, SeekOrigin.Begin);
            long next = length;
            int read;
            while ((read = stream.Read(buffer)) > 0)
            {
                var newline = buffer.AsSpan(0, read).IndexOf((byte)'\n');
                if (newline >= 0)
                {
                    next = at + newline + 1;
                    break;
                }

                at += read;
            }

            starts.Add(next);
        }

        return [.. starts.Select((start, k) => (start, k + 1 < starts.Count ? starts[k + 1] : length)).Where(r => r.Item2 > r.start)];
    }
}
