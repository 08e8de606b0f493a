using Runcs.Runtime.Container;
using Runcs.Runtime.Logging;

namespace Runcs.Cli;

/// <summary>What a command gets from the global flags.</summary>
public sealed class CliContext(GlobalOptions globals, RuntimeLog log)
{
    public GlobalOptions Globals { get; } = globals;

    public RuntimeLog Log { get; } = log;

    public RuntimeContext Runtime { get; } = new(globals.Root)
    {
        SystemdCgroup = globals.SystemdCgroup,
        Warn = log.Warn,
        Debug = log.Debug,
        DebugEnabled = log.DebugEnabled,
    };
}

/// <summary>One runcs command: its flags are the CommandLineParser options of the class.</summary>
public abstract class Command
{
    /// <summary>The command's name, as typed.</summary>
    public abstract string Name { get; }

    /// <summary>Prefix of the error a failure prints ("runcs create failed: "), empty for most commands as in runc.</summary>
    public virtual string ErrorPrefix => "";

    /// <summary>The exit code of a failure: 1, as runc's commands, except exec's 255.</summary>
    public virtual int FailureExitCode => 1;

    /// <summary>Checks the positional arguments; a message in runc's words when they are wrong.</summary>
    public virtual string? CheckArguments() => null;

    public abstract int Execute(CliContext context);

    protected string? RequireExactly(int count, IEnumerable<string> args) =>
        args.Count() == count ? null : $"runcs: \"{Name}\" requires exactly {count} argument(s)";

    protected string? RequireBetween(int min, int max, IEnumerable<string> args)
    {
        int n = args.Count();
        if (n < min)
            return $"runcs: \"{Name}\" requires a minimum of {min} argument(s)";
        return n > max ? $"runcs: \"{Name}\" requires a maximum of {max} argument(s)" : null;
    }
}
