using AsrBilling;
using AsrBilling.Cli;
using NodaTime;

// The built-in price book and the time-zone database are what every command needs first: read them
// on other threads while the command line is parsed, instead of one after the other after it.
_ = Task.Run(() => PriceBook.TencentCloudInternational);
_ = Task.Run(() => DateTimeZoneProviders.Tzdb.GetZoneOrNull("Asia/Shanghai"));

using var stdout = Console.OpenStandardOutput();
return CliApp.Run(args, stdout, Console.Error, Console.OpenStandardInput, stderrIsTerminal: !Console.IsErrorRedirected);
