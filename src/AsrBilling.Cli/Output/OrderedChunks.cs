using System.Buffers;
using System.Text.Json;

namespace AsrBilling.Cli.Output;

/// <summary>
/// Writes many lines formatted in chunks on the thread pool, a few chunks ahead of the writer, and
/// written in order: formatting, not writing, is the cost of a large bill or statement.
/// </summary>
internal static class OrderedChunks
{
    /// <summary>Lines per chunk: large enough that a chunk's task costs little, small enough to keep memory flat.</summary>
    public const int DefaultChunkLines = 16 * 1024;

    /// <summary>Formats lines [0, <paramref name="count"/>) as UTF-8 by chunks and writes them to <paramref name="output"/> in order.</summary>
    /// <param name="output">Where the bytes go; only the calling thread writes to it.</param>
    /// <param name="count">How many lines there are.</param>
    /// <param name="format">Writes lines [start, end) to a buffer; it runs on several threads at once, so it must only read shared state.</param>
    /// <param name="chunkLines">Lines per chunk.</param>
    /// <param name="lineBytes">About how many bytes a line takes, for the buffers' first size; 0 when not known.</param>
    public static void WriteUtf8(Stream output, int count, Action<ArrayBufferWriter<byte>, int, int> format, int chunkLines = DefaultChunkLines, int lineBytes = 0) =>
        WriteUtf8(output, EvenBounds(count, chunkLines), format, (int)Math.Min(Array.MaxLength, (long)Math.Min(count, chunkLines) * lineBytes));

    /// <summary>As <see cref="WriteUtf8(Stream, int, Action{ArrayBufferWriter{byte}, int, int}, int, int)"/>, chunk k being items [bounds[k], bounds[k + 1]).</summary>
    /// <param name="output">Where the bytes go; only the calling thread writes to it.</param>
    /// <param name="bounds">The chunks' bounds, increasing from the first item to the end.</param>
    /// <param name="format">Writes items [start, end) to a buffer; it runs on several threads at once, so it must only read shared state.</param>
    /// <param name="bufferBytes">The buffers' first size: a chunk's bytes, when known, so that the first chunks' buffers are not grown by copies.</param>
    public static void WriteUtf8(Stream output, int[] bounds, Action<ArrayBufferWriter<byte>, int, int> format, int bufferBytes = 0) =>
        Run(
            bounds,
            () => bufferBytes > 0 ? new ArrayBufferWriter<byte>(bufferBytes) : new ArrayBufferWriter<byte>(),
            (buffer, start, end) =>
            {
                buffer.ResetWrittenCount();
                format(buffer, start, end);
            },
            buffer => output.Write(buffer.WrittenSpan));

    /// <summary>
    /// Writes elements [0, <paramref name="count"/>) into the JSON array that <paramref name="json"/> has
    /// just opened, each chunk made by its own writer with the same options; the chunks' bytes go straight
    /// to <paramref name="output"/>, not through <paramref name="json"/>'s buffer, which for the writer
    /// leaves the array empty, so that the caller closes it as usual.
    /// </summary>
    /// <param name="json">A writer over <paramref name="output"/> that has just written an array's start; only the calling thread writes to it.</param>
    /// <param name="output">The stream <paramref name="json"/> writes to.</param>
    /// <param name="options">The options of <paramref name="json"/>, for the chunks' writers.</param>
    /// <param name="count">How many elements there are.</param>
    /// <param name="format">Writes elements [start, end); it runs on several threads at once, so it must only read shared state.</param>
    /// <param name="chunkLines">Elements per chunk.</param>
    public static void WriteJsonArray(Utf8JsonWriter json, Stream output, JsonWriterOptions options, int count, Action<Utf8JsonWriter, int, int> format, int chunkLines = DefaultChunkLines)
    {
        json.Flush();
        var first = true;
        Run(
            EvenBounds(count, chunkLines),
            () => new ArrayBufferWriter<byte>(),
            (buffer, start, end) =>
            {
                buffer.ResetWrittenCount();
                using var chunk = new Utf8JsonWriter(buffer, options);
                chunk.WriteStartArray();
                format(chunk, start, end);
                chunk.WriteEndArray();
            },
            buffer =>
            {
                // The chunk's elements without its brackets, a comma between chunks.
                var elements = buffer.WrittenSpan[1..^1];
                if (!elements.IsEmpty)
                {
                    if (!first)
                    {
                        output.WriteByte((byte)',');
                    }

                    output.Write(elements);
                    first = false;
                }
            });
    }

    /// <summary>Formats chunks on the thread pool, a few ahead, into buffers that are used again once written.</summary>
    private static void Run<T>(int[] bounds, Func<T> newBuffer, Action<T, int, int> format, Action<T> write)
        where T : class
    {
        var chunks = bounds.Length - 1;
        var ahead = Math.Max(2, 2 * Environment.ProcessorCount);
        var pending = new Queue<Task<T>>();
        var free = new System.Collections.Concurrent.ConcurrentBag<T>();
        var next = 0;
        for (var written = 0; written < chunks; written++)
        {
            while (next < chunks && pending.Count < ahead)
            {
                var (start, end) = (bounds[next], bounds[next + 1]);
                pending.Enqueue(Task.Run(() =>
                {
                    var buffer = free.TryTake(out var used) ? used : newBuffer();
                    format(buffer, start, end);
                    return buffer;
                }));
                next++;
            }

            var done = pending.Dequeue().GetAwaiter().GetResult();
            write(done);
            free.Add(done);
        }
    }

    /// <summary>The bounds of chunks of <paramref name="chunkLines"/> items over [0, <paramref name="count"/>), the last one shorter.</summary>
    private static int[] EvenBounds(int count, int chunkLines)
    {
        var chunks = (int)(((long)count + chunkLines - 1) / chunkLines);
        var bounds = new int[chunks + 1];
        for (var k = 1; k <= chunks; k++)
        {
            bounds[k] = (int)Math.Min((long)k * chunkLines, count);
        }

        return bounds;
    }
}
