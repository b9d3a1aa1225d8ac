using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace AsrBilling;

/// <summary>
/// One versioned JSON file format of this library, such as the price book's or the pack file's: its
/// <c>format</c> name and <c>version</c> at the root, how its text is read, and how it is written.
/// </summary>
/// <remarks>
/// Reading accepts UTF-8 with or without a byte order mark, checks the whole text with
/// <see cref="JsonFileScanner"/>, then the header, then reads the values with <see cref="JsonFields"/>.
/// Writing indents by two spaces, keeps non-ASCII text as it is, and ends every line, the last included,
/// with <c>\n</c> on every platform. A broken text throws the format's own exception, made by
/// <c>error</c> from a JSON path, a problem and the underlying error.
/// </remarks>
internal sealed class JsonFileFormat(string name, int version, string noun, Func<string, string, Exception?, AsrBillingException> error)
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>Two-space indents and readable non-ASCII text.</summary>
    private static readonly JsonWriterOptions WriterOptions = new() { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>The value of the <c>format</c> field, such as <c>asr-billing-price-book</c>.</summary>
    public string Name { get; } = name;

    /// <summary>The one version this library reads and writes.</summary>
    public int Version { get; } = version;

    /// <summary>What a file of the format is, for messages: "price book".</summary>
    public string Noun { get; } = noun;

    /// <summary>Reads a text's root object.</summary>
    /// <exception cref="AsrBillingException">The format's exception: the text breaks the format; the path says where.</exception>
    public T Read<T>(string json, JsonLevel<T> root)
        where T : new()
    {
        byte[] utf8;
        try
        {
            utf8 = StrictUtf8.GetBytes(json);
        }
        catch (EncoderFallbackException e)
        {
            throw error("$", $"the text is not valid Unicode: an unpaired surrogate at character {e.Index}", e);
        }

        return Read(utf8, root);
    }

    /// <summary>Reads a stream's root object, reading the stream to its end.</summary>
    /// <exception cref="AsrBillingException">The format's exception: the text breaks the format; the path says where.</exception>
    /// <exception cref="IOException">Reading the stream failed.</exception>
    public T Read<T>(Stream utf8Json, JsonLevel<T> root)
        where T : new()
    {
        using var buffer = new MemoryStream();
        utf8Json.CopyTo(buffer);
        return Read(buffer.GetBuffer().AsSpan(0, checked((int)buffer.Length)), root);
    }

    /// <summary>Writes a file: the root object with <c>format</c> and <c>version</c>, then what <paramref name="writeBody"/> adds to it.</summary>
    /// <returns>The text, ending in a line feed.</returns>
    public string Write<T>(T value, Action<Utf8JsonWriter, T> writeBody)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
        {
            writer.WriteStartObject();
            writer.WriteString("format", Name);
            writer.WriteNumber("version", Version);
            writeBody(writer, value);
            writer.WriteEndObject();
        }

        var text = Encoding.UTF8.GetString(buffer.GetBuffer(), 0, checked((int)buffer.Length));

        // The same text on every platform: the writer indents with Environment.NewLine, and JSON
        // strings never hold a raw line break, so every line break here is one of the writer's.
        if (!string.Equals(Environment.NewLine, "\n", StringComparison.Ordinal))
        {
            text = text.Replace(Environment.NewLine, "\n", StringComparison.Ordinal);
        }

        return text + "\n";
    }

    private T Read<T>(ReadOnlySpan<byte> utf8, JsonLevel<T> root)
        where T : new()
    {
        if (utf8.StartsWith("\uFEFF"u8))
        {
            utf8 = utf8[3..];
        }

        try
        {
            var (format, version) = JsonFileScanner.Scan(utf8, Noun);
            CheckHeader(format, version);
            return JsonFields.ReadRoot(utf8, root);
        }
        catch (JsonPathException e)
        {
            throw error(e.Path, e.Problem, e.InnerException);
        }
    }

    private void CheckHeader(RootValue? format, RootValue? version)
    {
        if (format is not { } f)
        {
            throw new JsonPathException("$.format", $"missing; a {Noun} starts with \"format\": \"{Name}\"");
        }

        if (f.Type != JsonTokenType.String || !string.Equals(f.Text, Name, StringComparison.Ordinal))
        {
            throw new JsonPathException("$.format", $"expected \"{Name}\" but was {Show(f)}");
        }

        if (version is not { } v)
        {
            throw new JsonPathException("$.version", $"missing; this library reads version {Version}");
        }

        if (v.Type != JsonTokenType.Number || !int.TryParse(v.Text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var number))
        {
            throw new JsonPathException("$.version", $"expected a whole number such as {Version}, but was {Show(v)}");
        }

        if (number != Version)
        {
            throw new JsonPathException("$.version", $"unsupported version {number}; this library reads version {Version}");
        }

        static string Show(RootValue value) => value.Type switch
        {
            JsonTokenType.String => $"'{value.Text}'",
            JsonTokenType.Number or JsonTokenType.True or JsonTokenType.False or JsonTokenType.Null => value.Text,
            _ => JsonFields.Describe(value.Type),
        };
    }
}
