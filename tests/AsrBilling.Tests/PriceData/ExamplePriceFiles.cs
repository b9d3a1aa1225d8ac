namespace AsrBilling.Tests.PriceData;

/// <summary>Example price books of other vendors' published models, copied to the test output.</summary>
internal static class ExamplePriceFiles
{
    /// <summary>Amazon Transcribe standard batch in us-east-1: graduated monthly tiers, per-second billing, 15 s minimum.</summary>
    public static string AwsTranscribeUsEast1Path { get; } = Path.Combine(AppContext.BaseDirectory, "PriceData", "aws-transcribe-us-east-1.json");

    public static PriceBook AwsTranscribeUsEast1() => PriceBookJson.Load(File.ReadAllText(AwsTranscribeUsEast1Path));
}
