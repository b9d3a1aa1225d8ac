namespace AsrBilling;

/// <summary>The properties one kind of object has, in the order Save writes them.</summary>
internal sealed class JsonLevel<T>(string noun, (string Name, JsonPropertyReader<T> Read)[] properties)
{
    /// <summary>The kind of object, for messages: "table".</summary>
    public string Noun { get; } = noun;

    public (string Name, JsonPropertyReader<T> Read)[] Properties { get; } = properties;

    public JsonPropertyReader<T>? Find(string name)
    {
        foreach (var (known, read) in Properties)
        {
            if (string.Equals(known, name, StringComparison.Ordinal))
            {
                return read;
            }
        }

        return null;
    }
}
