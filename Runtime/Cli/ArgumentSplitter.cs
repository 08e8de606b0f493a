namespace Runcs.Cli;

/// <summary>
/// runc's command line (urfave/cli) is looser than CommandLineParser's: flags
/// may be written with one dash or two (-root, --root), booleans may carry
/// a value (--detach=false), and global flags come before the command. This
/// splits the arguments into global ones, the command and its own, and
/// rewrites them into the form CommandLineParser reads.
/// </summary>
public static class ArgumentSplitter
{
    /// <summary>Global flags that take a value.</summary>
    private static readonly HashSet<string> GlobalValueFlags = ["root", "log", "log-format", "criu", "rootless"];

    private static readonly HashSet<string> GlobalBoolFlags = ["debug", "systemd-cgroup", "help", "version"];

    public sealed record Split(IReadOnlyList<string> Globals, string? Command, IReadOnlyList<string> CommandArgs, string? UnknownGlobal);

    public static Split Run(IReadOnlyList<string> args)
    {
        var globals = new List<string>();
        int i = 0;
        for (; i < args.Count; i++)
        {
            var arg = args[i];
            if (arg == "--")
            {
                i++;
                break;
            }
            if (!arg.StartsWith('-') || arg == "-")
                break;
            var (name, value) = NameAndValue(arg);
            if (name is "h")
                name = "help";
            else if (name is "v")
                name = "version";
            if (GlobalValueFlags.Contains(name))
            {
                globals.Add("--" + name);
                if (value is null && i + 1 < args.Count)
                    value = args[++i];
                if (value is not null)
                    globals.Add(value);
            }
            else if (GlobalBoolFlags.Contains(name))
            {
                if (value is null || IsTrue(value))
                    globals.Add("--" + name);
            }
            else
            {
                return new Split(globals, null, [], arg);
            }
        }
        var command = i < args.Count ? args[i] : null;
        var rest = i < args.Count ? args.Skip(i + 1).ToList() : [];
        return new Split(globals, command, rest, null);
    }

    /// <summary>
    /// Rewrites a command's arguments for CommandLineParser: long flags get two
    /// dashes, "--flag=true" becomes "--flag" and "--flag=false" disappears for
    /// the command's boolean flags, and a value flag takes the next argument as
    /// its value even when it starts with a dash ("--memory -1"), as urfave/cli does.
    /// </summary>
    public static List<string> Normalize(IEnumerable<string> args, IReadOnlySet<string> longFlags, IReadOnlySet<string> boolFlags)
    {
        var result = new List<string>();
        bool afterDashDash = false;
        var list = args.ToList();
        for (int i = 0; i < list.Count; i++)
        {
            var arg = list[i];
            if (afterDashDash || arg == "-" || !arg.StartsWith('-'))
            {
                result.Add(arg);
                afterDashDash |= arg == "--";
                continue;
            }
            if (arg == "--")
            {
                result.Add(arg);
                afterDashDash = true;
                continue;
            }
            var (name, value) = NameAndValue(arg);
            bool isLong = longFlags.Contains(name);
            if (!isLong)
            {
                result.Add(arg); // a short flag (-d), or unknown: CommandLineParser will say so
                continue;
            }
            if (boolFlags.Contains(name) && value is not null)
            {
                if (IsTrue(value))
                    result.Add("--" + name);
                continue;
            }
            if (value is null && !boolFlags.Contains(name) && i + 1 < list.Count)
                value = list[++i];
            result.Add(value is null ? "--" + name : $"--{name}={value}");
        }
        return result;
    }

    private static (string Name, string? Value) NameAndValue(string arg)
    {
        var text = arg.TrimStart('-');
        int eq = text.IndexOf('=');
        return eq < 0 ? (text, null) : (text[..eq], text[(eq + 1)..]);
    }

    private static bool IsTrue(string value) => value is "true" or "1" or "t" or "T" or "TRUE" or "True";
}
