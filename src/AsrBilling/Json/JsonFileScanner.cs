using System.Text;
using System.Text.Json;

namespace AsrBilling;

/// <summary>A scalar the scanner found at the root: its token type and its text (a string's value, a number's digits).</summary>
internal readonly record struct RootValue(JsonTokenType Type, string Text);

/// <summary>
/// One pass of <see cref="Utf8JsonReader"/> over a JSON file of this library (a price book, a pack file)
/// before <see cref="JsonFields"/> reads its values. It checks the whole text first, so that these errors win over any in the values:
/// the text is well-formed JSON, no object repeats a property, every string is valid Unicode, and the
/// root is an object. It also picks out the root's <c>format</c> and
/// <c>version</c>, so that a file of another format or version is named as such rather than as a
/// list of unknown fields.
/// </summary>
internal static class JsonFileScanner
{
    /// <param name="utf8">The text.</param>
    /// <param name="noun">What the root object is, for messages: "price book".</param>
    /// <exception cref="JsonPathException">The text breaks one of these rules; the path says where.</exception>
    public static (RootValue? Format, RootValue? Version) Scan(ReadOnlySpan<byte> utf8, string noun)
    {
        var reader = new Utf8JsonReader(utf8);
        var frames = new List<Frame>();
        RootValue? format = null;
        RootValue? version = null;
        try
        {
            while (reader.Read())
            {
                var type = reader.TokenType;
                if (frames.Count == 0 && type != JsonTokenType.StartObject)
                {
                    throw new JsonPathException("$", $"expected a JSON object, the {noun}, but found {JsonFields.Describe(type)}");
                }

                switch (type)
                {
                    case JsonTokenType.PropertyName:
                        var top = frames[^1];
                        var name = reader.GetString()!;
                        top.Property = name;
                        if (!top.Names!.Add(name))
                        {
                            throw new JsonPathException(JsonFields.Child(top.Path, name), $"duplicate property '{name}'; give each property once");
                        }

                        break;
                    case JsonTokenType.StartObject:
                    case JsonTokenType.StartArray:
                        Capture(frames, type, string.Empty, ref format, ref version);
                        frames.Add(new Frame(ValuePath(frames), type == JsonTokenType.StartObject));
                        break;
                    case JsonTokenType.EndObject:
                    case JsonTokenType.EndArray:
                        frames.RemoveAt(frames.Count - 1);
                        EndValue(frames);
                        break;
                    default:
                        // GetString throws for invalid UTF-8 and for escaped lone surrogates.
                        var text = type == JsonTokenType.String ? reader.GetString()! : Encoding.UTF8.GetString(reader.ValueSpan);
                        Capture(frames, type, text, ref format, ref version);
                        EndValue(frames);
                        break;
                }
            }
        }
        catch (JsonException e)
        {
            var position = $"line {e.LineNumber + 1}, byte {e.BytePositionInLine + 1}";
            throw new JsonPathException(ErrorPath(frames), $"invalid JSON at {position}: {WithoutPosition(e.Message)}", e);
        }
        catch (InvalidOperationException e)
        {
            throw new JsonPathException(ErrorPath(frames), $"invalid text in a string: {e.Message}", e);
        }

        return (format, version);
    }

    private static void Capture(List<Frame> frames, JsonTokenType type, string text, ref RootValue? format, ref RootValue? version)
    {
        if (frames.Count != 1)
        {
            return;
        }

        switch (frames[0].Property)
        {
            case "format":
                format = new RootValue(type, text);
                break;
            case "version":
                version = new RootValue(type, text);
                break;
        }
    }

    private static string ValuePath(List<Frame> frames)
    {
        if (frames.Count == 0)
        {
            return "$";
        }

        var top = frames[^1];
        return top.Names is null ? $"{top.Path}[{top.Index}]" : JsonFields.Child(top.Path, top.Property!);
    }

    private static string ErrorPath(List<Frame> frames)
    {
        if (frames.Count == 0)
        {
            return "$";
        }

        var top = frames[^1];
        return top.Names is null || top.Property is not null ? ValuePath(frames) : top.Path;
    }

    private static void EndValue(List<Frame> frames)
    {
        if (frames.Count == 0)
        {
            return;
        }

        var top = frames[^1];
        if (top.Names is null)
        {
            top.Index++;
        }
        else
        {
            top.Property = null;
        }
    }

    /// <summary>The reader's message without its trailing " LineNumber: … | BytePositionInLine: …", which the caller words itself.</summary>
    private static string WithoutPosition(string message)
    {
        var at = message.LastIndexOf(" LineNumber:", StringComparison.Ordinal);
        return at < 0 ? message : message[..at];
    }

    /// <summary>An open object (with the names seen so far) or array (with the index of its next element).</summary>
    private sealed class Frame(string path, bool isObject)
    {
        public string Path { get; } = path;

        public HashSet<string>? Names { get; } = isObject ? new HashSet<string>(StringComparer.Ordinal) : null;

        public string? Property { get; set; }

        public int Index { get; set; }
    }
}
