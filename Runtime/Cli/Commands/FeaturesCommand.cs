using System.Text.Json;
using CommandLine;
using Runcs.Runtime;
using Runcs.Spec;

namespace Runcs.Cli.Commands;

[Verb("features", HelpText = "show the enabled features")]
public sealed class FeaturesCommand : Command
{
    public override string Name => "features";

    [Value(0, Hidden = true)]
    public IEnumerable<string> Args { get; set; } = [];

    public override string? CheckArguments() => RequireExactly(0, Args);

    public override int Execute(CliContext context)
    {
        var options = new JsonSerializerOptions(SpecJsonContext.Indented.Options) { IndentSize = 4 };
        var json = JsonSerializer.Serialize(RuntimeFeatures.Describe(), new SpecJsonContext(options).Features);
        System.Console.Out.Write(json + "\n");
        return 0;
    }
}
