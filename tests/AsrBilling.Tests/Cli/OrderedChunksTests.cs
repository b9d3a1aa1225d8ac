using AsrBilling.Cli.Output;

namespace AsrBilling.Tests.Cli;

public class OrderedChunksTests
{
    [Theory]
    [InlineData(0, 3)]
    [InlineData(1, 3)]
    [InlineData(9, 3)] // whole chunks only
    [InlineData(100, 7)] // more chunks than are formatted ahead, the last one short
    public void WriteUtf8_WritesEveryLineOnceInOrder(int count, int chunkLines)
    {
        var output = new MemoryStream();

        OrderedChunks.WriteUtf8(output, count, (buffer, start, end) =>
        {
            for (var i = start; i < end; i++)
            {
                System.Buffers.BuffersExtensions.Write(buffer, new ReadOnlySpan<byte>(System.Text.Encoding.UTF8.GetBytes($"{i}\n")));
            }
        }, chunkLines);

        System.Text.Encoding.UTF8.GetString(output.ToArray()).Should().Be(string.Concat(Enumerable.Range(0, count).Select(i => $"{i}\n")));
    }

    [Fact]
    public void WriteUtf8_ByBounds_WritesChunksOfAnySizeInOrder()
    {
        // Chunks of 1, 0, 5, 2 and 12 items, more than are formatted ahead.
        int[] bounds = [0, 1, 1, 6, 8, 20];
        var output = new MemoryStream();

        OrderedChunks.WriteUtf8(output, bounds, (buffer, start, end) =>
            System.Buffers.BuffersExtensions.Write(buffer, new ReadOnlySpan<byte>(System.Text.Encoding.UTF8.GetBytes($"[{start},{end})"))));

        System.Text.Encoding.UTF8.GetString(output.ToArray()).Should().Be("[0,1)[1,1)[1,6)[6,8)[8,20)");
    }

    [Fact]
    public void WriteUtf8_RethrowsAFormattingError()
    {
        var write = () => OrderedChunks.WriteUtf8(new MemoryStream(), 10, (_, start, _) =>
        {
            if (start >= 4)
            {
                throw new InvalidOperationException("chunk at 4");
            }
        }, 2);

        write.Should().Throw<InvalidOperationException>().WithMessage("chunk at 4");
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(10)] // four chunks of 3, the last one short
    public void WriteJsonArray_PutsEveryElementInTheOpenArray_InOrder(int count)
    {
        var stream = new MemoryStream();
        var options = new System.Text.Json.JsonWriterOptions();
        using (var json = new System.Text.Json.Utf8JsonWriter(stream, options))
        {
            json.WriteStartObject();
            json.WriteStartArray("items");
            OrderedChunks.WriteJsonArray(json, stream, options, count, (chunk, start, end) =>
            {
                for (var i = start; i < end; i++)
                {
                    chunk.WriteStartObject();
                    chunk.WriteNumber("n", i);
                    chunk.WriteEndObject();
                }
            }, chunkLines: 3);
            json.WriteEndArray();
            json.WriteString("after", "x");
            json.WriteEndObject();
        }

        var expected = "{\"items\":[" + string.Join(",", Enumerable.Range(0, count).Select(i => $"{{\"n\":{i}}}")) + "],\"after\":\"x\"}";
        System.Text.Encoding.UTF8.GetString(stream.ToArray()).Should().Be(expected);
    }
}
