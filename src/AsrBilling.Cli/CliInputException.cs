namespace AsrBilling.Cli;

/// <summary>Bad input that the command line itself detects; the message names the problem and where it is.</summary>
internal sealed class CliInputException(string message) : Exception(message);
