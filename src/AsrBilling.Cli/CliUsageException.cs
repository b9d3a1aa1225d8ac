namespace AsrBilling.Cli;

/// <summary>A malformed command line that only the command's action can detect; exit code 2, like a parse error.</summary>
internal sealed class CliUsageException(string message) : Exception(message);
