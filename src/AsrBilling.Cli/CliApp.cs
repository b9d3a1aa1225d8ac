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

    public static int Run(string[] args, Stream stdout, TextWriter stderr, Func<Stream>? openStdin = null, bool stderrIsTerminal = false)
    {
        var context = new CliContext(stdout, stderr, openStdin ?? (() => Stream.Null), stderrIsTerminal);
        var code = Run(args, context);
        if (code != Success)
        {
            // Bad input prints nothing on stdout: drop what a command buffered before it failed.
            return code;
        }

        context.Output.Flush();
        return code;
    }

    private static int Run(string[] args, CliContext context)
    {
        var stderr = context.Error;
        var root = new RootCommand("Price, explain and bill Tencent Cloud speech-recognition (ASR) usage, exactly and to the cent.")
        {
            PriceCommand.Create(),
            TiersCommand.Create(),
            SampleCommand.Create(context),
            BillCommand.Create(context),
            CliffsCommand.Create(),
            ForecastCommand.Create(),
            CurveCommand.Create(),
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
                Output = context.Output,
                Error = stderr,
                EnableDefaultExceptionHandler = false,
            });
        }
        catch (Exception e) when (IsInputError(e))
        {
            stderr.WriteLine($"asr-billing: {OneLine(e)}");
            if (Environment.GetEnvironmentVariable("ASR_BILLING_TRACE") == "1")
            {
                stderr.WriteLine(e);
            }

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
