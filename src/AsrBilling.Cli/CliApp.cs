using System.CommandLine;
using AsrBilling.Cli.Commands;

namespace AsrBilling.Cli;

/// <summary>
/// The asr-billing command line: parsing, dispatch and error reporting. Pricing lives in the library.
/// </summary>
/// <remarks>
/// Exit codes: 0 success; 1 bad input or a billing error (one line on stderr, nothing on stdout);
/// 2 a malformed command line.
/// </remarks>
internal static class CliApp
{
    public const int Success = 0;
    public const int InputError = 1;
    public const int UsageError = 2;

    public static int Run(string[] args, TextWriter stdout, TextWriter stderr)
    {
        var root = new RootCommand("Price, explain and bill Tencent Cloud speech-recognition (ASR) usage, exactly and to the cent.")
        {
            PriceCommand.Create(),
            TiersCommand.Create(),
        };

        var parsed = root.Parse(args);
        if (parsed.Errors.Count > 0)
        {
            foreach (var error in parsed.Errors)
            {
                stderr.WriteLine($"asr-billing: {error.Message}");
            }

            stderr.WriteLine("Run 'asr-billing --help' for usage.");
            return UsageError;
        }

        try
        {
            return parsed.Invoke(new InvocationConfiguration
            {
                Output = stdout,
                Error = stderr,
                EnableDefaultExceptionHandler = false,
            });
        }
        catch (Exception e) when (IsInputError(e))
        {
            stderr.WriteLine($"asr-billing: {OneLine(e)}");
            return InputError;
        }
    }

    private static bool IsInputError(Exception e) =>
        e is CliInputException or AsrBillingException or ArgumentException or FormatException or OverflowException or IOException
            or UnauthorizedAccessException;

    /// <summary>The message on one line, without the BCL's "(Parameter 'x')" and "Actual value was" tails.</summary>
    private static string OneLine(Exception e)
    {
        var message = e.Message;
        if (e is ArgumentException { ParamName: { } name })
        {
            message = message.Split('\n')[0].Replace($" (Parameter '{name}')", string.Empty, StringComparison.Ordinal);
            if (!message.Contains(name, StringComparison.Ordinal))
            {
                message = $"{name}: {message}";
            }
        }

        return message.ReplaceLineEndings(" ").Trim();
    }
}
