using System.Text.Json;
using CommandLine;
using Runcs.Runtime.Container;
using Runcs.Runtime.State;

namespace Runcs.Cli.Commands;

[Verb("state", HelpText = "output the state of a container")]
public sealed class StateCommand : Command
{
    public override string Name => "state";

    [Value(0, MetaName = "container-id")]
    public IEnumerable<string> Args { get; set; } = [];

    public override string? CheckArguments() => RequireExactly(1, Args);

    public override int Execute(CliContext context)
    {
        var view = Container.Load(context.Runtime, Args.First()).View();
        // Two-space indent and no trailing newline, like runc.
        System.Console.Out.Write(JsonSerializer.Serialize(view, RuntimeJsonContext.Indented.StateView));
        return 0;
    }
}
