using System.CommandLine;
using System.CommandLine.Help;
using AsrBilling.Cli.Output;
using System.CommandLine.Parsing;
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
            PacksCommand.Create(),
            SqlCommand.Create(),
        };

        var parsed = root.Parse(args);
        if (parsed.Errors.Count > 0)
        {
            return Usage(parsed, ParseErrors(parsed), stderr);
        }

        if (parsed.Action is HelpAction)
        {
            return HelpText.Write(parsed, context.Output, stderr);
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
        catch (CliUsageException e)
        {
            return Usage(parsed, e.Message, stderr);
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

    /// <summary>A malformed command line: one line on stderr, with where to read the usage.</summary>
    private static int Usage(ParseResult parsed, string message, TextWriter stderr)
    {
        var names = new List<string>();
        for (var result = parsed.CommandResult; result is { Command: not RootCommand }; result = result.Parent as CommandResult)
        {
            names.Insert(0, result.Command.Name);
        }

        var help = string.Join(" ", names.Prepend("asr-billing").Append("--help"));
        stderr.WriteLine($"asr-billing: {OneLine(message).TrimEnd('.')}. Run '{help}' for usage.");
        return UsageError;
    }

    /// <summary>
    /// The parse errors as one line: missing arguments named together, each message once, and "no
    /// command" only when nothing else is wrong.
    /// </summary>
    private static string ParseErrors(ParseResult parsed)
    {
        var missing = new List<string>();
        var messages = new List<string>();
        foreach (var error in parsed.Errors)
        {
            if (error.SymbolResult is ArgumentResult { Tokens.Count: 0 } argument && argument.Argument.Arity.MinimumNumberOfValues > 0)
            {
                missing.Add($"<{argument.Argument.Name}>");
            }
            else if (error.SymbolResult is CommandResult { Command: { Subcommands.Count: > 0 } group })
            {
                // System.CommandLine reports both "no command" and each unknown word here: name the words, else the commands.
                messages.Add(parsed.UnmatchedTokens.Count > 0
                    ? $"unknown command or argument '{parsed.UnmatchedTokens[0]}'"
                    : $"give a command: {string.Join(", ", group.Subcommands.Select(c => c.Name))}");
            }
            else
            {
                messages.Add(error.Message.TrimEnd('.'));
            }
        }

        if (missing.Count > 0)
        {
            messages.Insert(0, $"{parsed.CommandResult.Command.Name}: missing {string.Join(" ", missing.Distinct())}");
        }

        return string.Join("; ", messages.Distinct().DefaultIfEmpty(parsed.Errors[0].Message));
    }

    private static bool IsInputError(Exception e) =>
        e is CliInputException or AsrBillingException or ArgumentException or FormatException or OverflowException or IOException
            or UnauthorizedAccessException;

    private static string OneLine(string message) => string.Join(" ", message.Split((char[])['\r', '\n', '\t'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));

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

        return OneLine(message);
    }
}
