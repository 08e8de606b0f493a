using CommandLine;
using Runcs.Runtime.Container;

namespace Runcs.Cli.Commands;

[Verb("start", HelpText = "executes the user defined process in a created container")]
public sealed class StartCommand : Command
{
    public override string Name => "start";

    [Value(0, MetaName = "container-id")]
    public IEnumerable<string> Args { get; set; } = [];

    public override string? CheckArguments() => RequireExactly(1, Args);

    public override int Execute(CliContext context)
    {
        var id = Args.First();
        using (context.Runtime.Store.Lock(id))
            Container.Load(context.Runtime, id).Start();
        return 0;
    }
}
