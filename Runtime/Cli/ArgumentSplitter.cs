namespace Runcs.Cli;

/// <summary>
/// runc's command line (urfave/cli) is looser than CommandLineParser's: flags
/// may be written with one dash or two (-root, --root), booleans may carry
/// a value (--detach=false), and global flags come before the command. This
/// reads the global flags, finds the command, and rewrites the command's own
/// arguments into the form CommandLineParser reads.
/// </summary>
public static class ArgumentSplitter
{
    public sealed record Split(GlobalOptions Globals, string? Command, IReadOnlyList<string> CommandArgs, string? Error);

    public static Split Run(IReadOnlyList<string> args)
    {
        var globals = new GlobalOptions();
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
            string? Value()
            {
                if (value is null && i + 1 < args.Count)
                    value = args[++i];
                return value;
            }
            switch (name)
            {
                case "root":
                    globals.Root = Value() ?? "";
                    break;
                case "log":
                    globals.Log = Value();
                    break;
                case "log-format":
                    globals.LogFormat = Value() ?? "";
                    break;
                case "criu":
                    globals.Criu = Value();
                    break;
                case "rootless":
                    globals.Rootless = Value() ?? "";
                    break;
                case "debug":
                    globals.Debug = value is null || IsTrue(value);
                    break;
                case "systemd-cgroup":
                    globals.SystemdCgroup = value is null || IsTrue(value);
                    break;
                case "help" or "h":
                    globals.Help = true;
                    break;
                case "version" or "v":
                    globals.Version = true;
                    break;
                default:
                    return new Split(globals, null, [], $"flag provided but not defined: {arg}");
            }
            if (value is null && name is "root" or "log" or "log-format" or "criu" or "rootless")
                return new Split(globals, null, [], $"flag needs an argument: {arg}");
        }
        var command = i < args.Count ? args[i] : null;
        var rest = i < args.Count ? args.Skip(i + 1).ToList() : [];
        return new Split(globals, command, rest, null);
    }

    /// <summary>
    /// Rewrites a command's arguments for CommandLineParser: long flags get two
    /// dashes, "--flag=true" becomes "--flag" and "--flag=false" disappears for
    /// boolean flags, a long value flag takes the next argument as its value
    /// even when it starts with a dash ("--memory -1"), as urfave/cli does, and
    /// for pass-through commands (exec, ps) a "--" goes before the first
    /// positional argument so what follows it is never read as flags.
    /// </summary>
    public static List<string> Normalize(IEnumerable<string> args, CommandFlags flags)
    {
        var result = new List<string>();
        bool afterDashDash = false;
        bool valueExpected = false;
        var list = args.ToList();
        for (int i = 0; i < list.Count; i++)
        {
            var arg = list[i];
            if (afterDashDash)
            {
                result.Add(arg);
                continue;
            }
            if (valueExpected || arg == "-" || !arg.StartsWith('-'))
            {
                if (!valueExpected && flags.PassThrough)
                {
                    result.Add("--");
                    afterDashDash = true;
                }
                result.Add(arg);
                valueExpected = false;
                continue;
            }
            if (arg == "--")
            {
                result.Add(arg);
                afterDashDash = true;
                continue;
            }
            var (name, value) = NameAndValue(arg);
            if (!flags.Long.Contains(name))
            {
                // A short flag (-d, or -f with its value next), or unknown: CommandLineParser will say so.
                valueExpected = value is null && flags.TakesValue.Contains(name);
                result.Add(arg);
                continue;
            }
            if (flags.Bool.Contains(name))
            {
                if (value is null || IsTrue(value))
                    result.Add("--" + name);
                continue;
            }
            if (value is null && i + 1 < list.Count)
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
