using CommandLine;
using Runcs.Runtime.Container;

namespace Runcs.Cli.Commands;

/// <summary>A command that acts on one container while holding its lock.</summary>
public abstract class LockedContainerCommand : Command
{
    [Value(0, MetaName = "container-id")]
    public IEnumerable<string> Args { get; set; } = [];

    public override string? CheckArguments() => RequireExactly(1, Args);

    public override int Execute(CliContext context)
    {
        var id = Args.First();
        using (context.Runtime.Store.Lock(id))
            Act(Container.Load(context.Runtime, id));
        return 0;
    }

    protected abstract void Act(Container container);
}
