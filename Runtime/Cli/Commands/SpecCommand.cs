using System.Text.Json;
using CommandLine;
using Runcs.Runtime;
using Runcs.Runtime.Container;
using Runcs.Spec;

namespace Runcs.Cli.Commands;

[Verb("spec", HelpText = "create a new specification file")]
public sealed class SpecCommand : Command
{
    public override string Name => "spec";

    [Option('b', "bundle", HelpText = "path to the root of the bundle directory")]
    public string? Bundle { get; set; }

    [Option("rootless", HelpText = "generate a configuration for a rootless container")]
    public bool Rootless { get; set; }

    [Value(0, Hidden = true)]
    public IEnumerable<string> Args { get; set; } = [];

    public override string? CheckArguments() => RequireExactly(0, Args);

    public override int Execute(CliContext context)
    {
        var dir = Path.GetFullPath(Bundle ?? ".");
        if (!Directory.Exists(dir))
            throw new RuntimeException($"chdir {dir}: no such file or directory");
        var path = Path.Combine(dir, Runtime.Container.Bundle.ConfigFile);
        if (File.Exists(path))
            throw new RuntimeException($"File {Runtime.Container.Bundle.ConfigFile} exists. Remove it first");
        // Tab-indented with no final newline, byte for byte the shape runc writes.
        var options = new JsonSerializerOptions(SpecJsonContext.Indented.Options) { IndentCharacter = '\t', IndentSize = 1 };
        var json = JsonSerializer.Serialize(ExampleConfig.Create(Rootless), new SpecJsonContext(options).Config);
        File.WriteAllText(path, json);
        return 0;
    }
}
