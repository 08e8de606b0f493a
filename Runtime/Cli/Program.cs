using System.Diagnostics.CodeAnalysis;
using System.Reflection;
using CommandLine;
using CommandLine.Text;
using Runcs.Cli.Commands;
using Runcs.Runtime;
using Runcs.Runtime.Logging;
using Runcs.Spec;

namespace Runcs.Cli;

/// <summary>
/// runcs' entry point: global flags, then one command, each parsed with
/// CommandLineParser; errors become one log line and runc's exit codes.
/// </summary>
public static class Program
{
    /// <summary>Every command runcs has. A command not built yet is not listed, so --help never offers it.</summary>
    private static readonly Type[] Commands =
    [
        typeof(CreateCommand), typeof(StartCommand), typeof(RunCommand), typeof(StateCommand),
        typeof(KillCommand), typeof(DeleteCommand), typeof(ListCommand), typeof(ExecCommand), typeof(PsCommand),
        typeof(PauseCommand), typeof(ResumeCommand), typeof(UpdateCommand), typeof(EventsCommand),
        typeof(SpecCommand), typeof(FeaturesCommand),
    ];

    private const int ExitUsage = 1;
    private const int ExitUnknownCommand = 3;

    [DynamicDependency(DynamicallyAccessedMemberTypes.All, typeof(CreateCommand))]
    [DynamicDependency(DynamicallyAccessedMemberTypes.All, typeof(StartCommand))]
    [DynamicDependency(DynamicallyAccessedMemberTypes.All, typeof(RunCommand))]
    [DynamicDependency(DynamicallyAccessedMemberTypes.All, typeof(StateCommand))]
    [DynamicDependency(DynamicallyAccessedMemberTypes.All, typeof(KillCommand))]
    [DynamicDependency(DynamicallyAccessedMemberTypes.All, typeof(DeleteCommand))]
    [DynamicDependency(DynamicallyAccessedMemberTypes.All, typeof(ListCommand))]
    [DynamicDependency(DynamicallyAccessedMemberTypes.All, typeof(ExecCommand))]
    [DynamicDependency(DynamicallyAccessedMemberTypes.All, typeof(PsCommand))]
    [DynamicDependency(DynamicallyAccessedMemberTypes.All, typeof(SpecCommand))]
    [DynamicDependency(DynamicallyAccessedMemberTypes.All, typeof(FeaturesCommand))]
    [DynamicDependency(DynamicallyAccessedMemberTypes.All, typeof(PauseCommand))]
    [DynamicDependency(DynamicallyAccessedMemberTypes.All, typeof(ResumeCommand))]
    [DynamicDependency(DynamicallyAccessedMemberTypes.All, typeof(UpdateCommand))]
    [DynamicDependency(DynamicallyAccessedMemberTypes.All, typeof(EventsCommand))]
    public static int Main(string[] args)
    {
        var split = ArgumentSplitter.Run(args);
        Warmup.StartFor(split.Command);
        var globals = split.Globals;
        var log = new RuntimeLog(globals.Log, globals.LogFormat == "json", globals.Debug);
        try
        {
            if (split.Error is not null)
            {
                System.Console.Out.Write($"Incorrect Usage. {split.Error}\n\n{GlobalHelp()}");
                log.Fatal(split.Error);
                return ExitUsage;
            }
            if (globals.Version)
            {
                System.Console.Out.Write($"runcs version {RuntimeInfo.Version}\nspec: {SpecVersion.Current}\n");
                return 0;
            }
            if (split.Command is null || globals.Help || split.Command == "help" && split.CommandArgs.Count == 0)
            {
                System.Console.Out.Write(GlobalHelp());
                return 0;
            }
            if (globals.LogFormat is not ("text" or "json"))
            {
                log.Fatal($"invalid log-format: {globals.LogFormat}");
                return ExitUsage;
            }
            var type = split.Command == "help" ? null : Commands.FirstOrDefault(t => VerbName(t) == split.Command);
            if (type is null && split.Command != "help")
            {
                log.Fatal($"No help topic for '{split.Command}'\n");
                return ExitUnknownCommand;
            }
            return RunCommand(type, split, new CliContext(globals, log));
        }
        finally
        {
            log.Flush();
        }
    }

    private static int RunCommand(Type? type, ArgumentSplitter.Split split, CliContext context)
    {
        var commandArgs = type is null
            ? split.CommandArgs.ToList()
            : ArgumentSplitter.Normalize(split.CommandArgs, CommandFlags.Of(type));
        var parser = new Parser(s =>
        {
            s.HelpWriter = System.Console.Out;
            s.CaseSensitive = true;
            s.EnableDashDash = true;
            s.AutoVersion = false;
            s.AllowMultiInstance = true; // exec -e A=1 -e B=2
        });
        // Only the command at hand: CommandLineParser reads every type it is given by reflection, which costs start-up time.
        var result = parser.ParseArguments([type is null ? "help" : split.Command!, .. commandArgs], type is null ? Commands : [type]);
        if (result is not Parsed<object> { Value: Command command })
            return result.Errors.Any(e => e.Tag is ErrorType.HelpRequestedError or ErrorType.HelpVerbRequestedError) ? 0 : ExitUsage;

        if (command.CheckArguments() is { } usage)
        {
            System.Console.Out.Write("Incorrect Usage.\n\n");
            context.Log.Fatal(usage);
            return ExitUsage;
        }
        try
        {
            return command.Execute(context);
        }
        catch (Exception e) when (e is RuntimeException or SpecException)
        {
            context.Log.Fatal(command.ErrorPrefix + e.Message);
            return command.FailureExitCode;
        }
    }

    private static string VerbName(Type type) => type.GetCustomAttribute<VerbAttribute>()!.Name;

    private static string GlobalHelp()
    {
        var commands = string.Join("", Commands.Select(t =>
        {
            var verb = t.GetCustomAttribute<VerbAttribute>()!;
            return $"   {verb.Name,-10}{verb.HelpText}\n";
        }));
        return $"""
            NAME:
               runcs - Open Container Initiative runtime, in C#

            runcs runs containers from OCI bundles with runc's command line.

            USAGE:
               runcs [global options] command [command options] [arguments...]

            VERSION:
               {RuntimeInfo.Version}
            spec: {SpecVersion.Current}

            COMMANDS:
            {commands}   help      Shows a list of commands or help for one command

            GLOBAL OPTIONS:
               --debug             enable debug logging
               --log value         set the log file to write runcs logs to (default is '/dev/stderr')
               --log-format value  set the log format ('text' (default), or 'json') (default: "text")
               --root value        root directory for storage of container state (this should be located in tmpfs) (default: "/run/runcs")
               --systemd-cgroup    enable systemd cgroup support (not supported by runcs yet)
               --rootless value    ignore cgroup permission errors ('true', 'false', or 'auto') (default: "auto")
               --help, -h          show help
               --version, -v       print the version

            """;
    }
}
