using CommandLine;
using Runcs.Runtime;
using Runcs.Runtime.Container;
using Runcs.Runtime.Process;

namespace Runcs.Cli.Commands;

[Verb("kill", HelpText = "kill sends the specified signal (default: SIGTERM) to the container's init process")]
public sealed class KillCommand : Command
{
    public override string Name => "kill";

    [Option('a', "all", HelpText = "send the specified signal to all processes inside the container")]
    public bool All { get; set; }

    [Value(0, MetaName = "container-id and signal")]
    public IEnumerable<string> Args { get; set; } = [];

    public override string? CheckArguments() => RequireBetween(1, 2, Args);

    public override int Execute(CliContext context)
    {
        var args = Args.ToList();
        var name = args.Count > 1 ? args[1] : "SIGTERM";
        var signal = Signals.Parse(name) ?? throw new RuntimeException($"unknown signal \"{name}\"");
        Container.Load(context.Runtime, args[0]).Kill(signal, All);
        return 0;
    }
}
