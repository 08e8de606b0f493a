using CommandLine;
using Runcs.Runtime.Container;

namespace Runcs.Cli.Commands;

[Verb("pause", HelpText = "pause suspends all processes inside the container")]
public sealed class PauseCommand : LockedContainerCommand
{
    public override string Name => "pause";

    protected override void Act(Container container) => container.Pause();
}

[Verb("resume", HelpText = "resumes all processes that have been previously paused")]
public sealed class ResumeCommand : LockedContainerCommand
{
    public override string Name => "resume";

    protected override void Act(Container container) => container.Resume();
}
