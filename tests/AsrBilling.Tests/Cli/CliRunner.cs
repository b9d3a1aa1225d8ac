using System.Text;
using AsrBilling.Cli;

namespace AsrBilling.Tests.Cli;

/// <summary>Runs the CLI in-process and captures its exit code, stdout and stderr.</summary>
internal static class CliRunner
{
    public static (int Code, string Out, string Err) Run(params string[] args) => RunWithInput(null, args);

    public static (int Code, string Out, string Err) RunWithInput(string? stdin, params string[] args)
    {
        using var stdout = new MemoryStream();
        using var stderr = new StringWriter();
        var code = CliApp.Run(args, stdout, stderr, () => new MemoryStream(Encoding.UTF8.GetBytes(stdin ?? string.Empty)));
        return (code, Encoding.UTF8.GetString(stdout.ToArray()), stderr.ToString());
    }
}
