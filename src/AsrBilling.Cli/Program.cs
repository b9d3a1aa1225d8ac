using AsrBilling.Cli;

using var stdout = Console.OpenStandardOutput();
return CliApp.Run(args, stdout, Console.Error, Console.OpenStandardInput, stderrIsTerminal: !Console.IsErrorRedirected);
