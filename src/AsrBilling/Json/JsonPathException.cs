namespace AsrBilling;

/// <summary>
/// A JSON file of this library breaks its format at a path. The shared readers throw it, and
/// <see cref="JsonFileFormat"/> turns it into the format's own public exception type.
/// </summary>
internal sealed class JsonPathException : Exception
{
    public JsonPathException(string path, string problem, Exception? innerException = null)
        : base($"{path}: {problem}", innerException)
    {
        Path = path;
        Problem = problem;
    }

    /// <summary>The JSON path of the offending value, such as <c>$.packs[2].validTo</c>; <c>$</c> for the whole text.</summary>
    public string Path { get; }

    /// <summary>The rule that was broken, and by which value.</summary>
    public string Problem { get; }
}
