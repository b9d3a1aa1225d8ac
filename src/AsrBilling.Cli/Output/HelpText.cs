using System.CommandLine;

namespace AsrBilling.Cli.Output;

/// <summary>
/// Help as System.CommandLine writes it, except that the root's list of commands shows each command's
/// arguments as the command's own usage line does: <c>tiers [&lt;service&gt;]</c>, <c>forecast &lt;service&gt;...</c>.
/// </summary>
/// <remarks>System.CommandLine 2.0 lists every argument as required and single, and its help builder is not public.</remarks>
internal static class HelpText
{
    private const string Indent = "  ";

    /// <summary>Runs the help action into a buffer and writes its text, with the command list relabelled.</summary>
    public static int Write(ParseResult parsed, TextWriter output, TextWriter stderr)
    {
        using var help = new StringWriter();
        var code = parsed.Invoke(new InvocationConfiguration { Output = help, Error = stderr });
        output.Write(parsed.CommandResult.Command is RootCommand root ? Relabel(help.ToString(), root) : help.ToString());
        return code;
    }

    /// <summary>The help text with each row of the <c>Commands:</c> section labelled by <see cref="Usage"/>, realigned.</summary>
    internal static string Relabel(string help, RootCommand root)
    {
        var lines = help.Split('\n').Select(l => l.TrimEnd('\r')).ToList();
        var first = lines.IndexOf("Commands:") + 1;
        if (first == 0)
        {
            return help;
        }

        var last = first;
        var rows = new List<(string Label, string Text)>();
        for (; last < lines.Count && lines[last].StartsWith(Indent, StringComparison.Ordinal); last++)
        {
            var line = lines[last];
            if (line[Indent.Length] == ' ')
            {
                rows.Add((string.Empty, line.Trim())); // a description wrapped onto a line of its own
                continue;
            }

            var name = line[Indent.Length..].Split(' ', 2)[0];
            var gap = line.IndexOf("  ", Indent.Length, StringComparison.Ordinal);
            var command = root.Subcommands.FirstOrDefault(c => c.Name == name);
            rows.Add((command is null ? line[Indent.Length..gap] : Usage(command), gap < 0 ? string.Empty : line[gap..].Trim()));
        }

        var width = rows.Max(r => r.Label.Length);
        lines.RemoveRange(first, last - first);
        lines.InsertRange(first, rows.Select(r => (Indent + r.Label.PadRight(width) + Indent + r.Text).TrimEnd()));
        return string.Join(Environment.NewLine, lines);
    }

    /// <summary>The command and its arguments: <c>&lt;a&gt;</c> required, <c>[&lt;a&gt;]</c> optional, <c>...</c> repeatable.</summary>
    private static string Usage(Command command) =>
        string.Join(" ", command.Arguments.Select(a => (a.Arity.MinimumNumberOfValues, a.Arity.MaximumNumberOfValues > 1) switch
        {
            (0, true) => $"[<{a.Name}>...]",
            (0, false) => $"[<{a.Name}>]",
            (_, true) => $"<{a.Name}>...",
            _ => $"<{a.Name}>",
        }).Prepend(command.Name));
}
