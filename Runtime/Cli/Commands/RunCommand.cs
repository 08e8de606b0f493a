using CommandLine;
using Runcs.Runtime.Container;

namespace Runcs.Cli.Commands;

[Verb("run", HelpText = "create and run a container")]
public sealed class RunCommand : CreateFlags
{
    public override string Name => "run";

    public override string ErrorPrefix => "runcs run failed: ";

    [Option('d', "detach", HelpText = "detach from the container's process")]
    public bool Detach { get; set; }

    [Option("keep", HelpText = "do not delete the container after it exits")]
    public bool Keep { get; set; }

    [Option("no-subreaper", HelpText = "disable the use of the subreaper used to reap reparented processes")]
    public bool NoSubreaper { get; set; }

    public override int Execute(CliContext context) =>
        Container.Run(context.Runtime, Options(), new RunOptions { Detach = Detach, Keep = Keep, NoSubreaper = NoSubreaper });
}
