using CommandLine;
using Runcs.Runtime.Container;
using Runcs.Runtime.State;

namespace Runcs.Cli.Commands;

[Verb("delete", HelpText = "delete any resources held by the container often used with detached container")]
public sealed class DeleteCommand : Command
{
    public override string Name => "delete";

    [Option('f', "force", HelpText = "Forcibly deletes the container if it is still running (uses SIGKILL)")]
    public bool Force { get; set; }

    [Value(0, MetaName = "container-id")]
    public IEnumerable<string> Args { get; set; } = [];

    public override string? CheckArguments() => RequireExactly(1, Args);

    public override int Execute(CliContext context)
    {
        var id = Args.First();
        try
        {
            using (context.Runtime.Store.Lock(id))
                Container.Load(context.Runtime, id).Delete(Force);
        }
        catch (ContainerNotFoundException) when (Force)
        {
            // runc: deleting what is not there, with --force, succeeds quietly.
        }
        return 0;
    }
}
