using CommandLine;
using Runcs.Runtime.Container;

namespace Runcs.Cli.Commands;

[Verb("start", HelpText = "executes the user defined process in a created container")]
public sealed class StartCommand : LockedContainerCommand
{
    public override string Name => "start";

    protected override void Act(Container container) => container.Start();
}
