using System.Text;

namespace AsrBilling.Cli;

/// <summary>The process's streams, so that commands can be run in-process by tests.</summary>
internal sealed class CliContext
{
    public CliContext(Stream stdout, TextWriter stderr, Func<Stream> openStdin, bool stderrIsTerminal)
    {
        Stdout = stdout;
        Output = new StreamWriter(stdout, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false), 1 << 16, leaveOpen: true);
        Error = stderr;
        OpenStdin = openStdin;
        StderrIsTerminal = stderrIsTerminal;
    }

    /// <summary>Standard output as bytes; flush <see cref="Output"/> before writing here.</summary>
    public Stream Stdout { get; }

    /// <summary>Standard output as UTF-8 text (no byte-order mark), buffered.</summary>
    public TextWriter Output { get; }

    /// <summary>Standard error.</summary>
    public TextWriter Error { get; }

    /// <summary>Opens standard input, for the file name <c>-</c>.</summary>
    public Func<Stream> OpenStdin { get; }

    /// <summary>Whether standard error is a terminal, so that progress may be shown there.</summary>
    public bool StderrIsTerminal { get; }
}
