using CommandLine;
using Runcs.Runtime;
using Runcs.Runtime.Container;

namespace Runcs.Cli.Commands;

[Verb("events", HelpText = "display container events such as OOM notifications, cpu, memory, and IO usage statistics")]
public sealed class EventsCommand : Command
{
    public override string Name => "events";

    [Option("interval", Default = "5s", HelpText = "set the stats collection interval")]
    public string Interval { get; set; } = "5s";

    [Option("stats", HelpText = "display the container's stats then exit")]
    public bool Stats { get; set; }

    [Value(0, MetaName = "container-id")]
    public IEnumerable<string> Args { get; set; } = [];

    public override string? CheckArguments() => RequireExactly(1, Args);

    public override int Execute(CliContext context)
    {
        var interval = GoDuration.Parse(Interval) ?? throw new RuntimeException($"invalid value \"{Interval}\" for flag -interval: parse error");
        // No lock held while events runs: it may run for as long as the container, beside every other command.
        Container.Load(context.Runtime, Args.First()).Events(interval, Stats, System.Console.Out);
        return 0;
    }
}
