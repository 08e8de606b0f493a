using System.Diagnostics;
using System.Text.Json;
using CommandLine;
using Runcs.Runtime;
using Runcs.Runtime.Container;
using Runcs.Runtime.State;

namespace Runcs.Cli.Commands;

[Verb("ps", HelpText = "ps displays the processes running inside a container")]
public sealed class PsCommand : Command, IPassThroughArguments
{
    public override string Name => "ps";

    [Option('f', "format", Default = "table", HelpText = "select one of: table or json")]
    public string Format { get; set; } = "table";

    [Value(0, MetaName = "container-id [ps options]")]
    public IEnumerable<string> Args { get; set; } = [];

    public override string? CheckArguments() => Args.Any() ? null : $"runcs: \"{Name}\" requires a minimum of 1 argument(s)";

    public override int Execute(CliContext context)
    {
        var args = Args.ToList();
        var pids = Container.Load(context.Runtime, args[0]).Cgroups.Pids();
        switch (Format)
        {
            case "json":
                // What containerd reads. runc prints "null" for none (a Go nil slice).
                System.Console.Out.Write((pids.Count == 0 ? "null" : JsonSerializer.Serialize(pids.ToArray(), RuntimeJsonContext.Compact.Int32Array)) + "\n");
                return 0;
            case "table":
                System.Console.Out.Write(Table(args.Count > 1 ? args.Skip(1).ToList() : ["-ef"], pids));
                return 0;
            default:
                throw new RuntimeException("invalid format option");
        }
    }

    /// <summary>The host's ps with the given options, keeping the header and the container's processes.</summary>
    private static string Table(IReadOnlyList<string> psArgs, IReadOnlyList<int> pids)
    {
        var info = new ProcessStartInfo("ps") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in psArgs)
            info.ArgumentList.Add(a);
        using var ps = System.Diagnostics.Process.Start(info) ?? throw new RuntimeException("cannot run ps");
        var output = ps.StandardOutput.ReadToEnd();
        var errors = ps.StandardError.ReadToEnd();
        ps.WaitForExit();
        if (ps.ExitCode != 0)
            throw new RuntimeException($"exit status {ps.ExitCode}: {errors}");
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        if (lines.Length == 0)
            return "";
        int pidColumn = Array.IndexOf(lines[0].Split(' ', StringSplitOptions.RemoveEmptyEntries), "PID");
        if (pidColumn < 0)
            throw new RuntimeException("couldn't find PID field in ps output");
        var wanted = pids.ToHashSet();
        var kept = lines.Skip(1).Where(line =>
        {
            var fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            return fields.Length > pidColumn && int.TryParse(fields[pidColumn], out var pid) && wanted.Contains(pid);
        });
        return string.Join("", new[] { lines[0] }.Concat(kept).Select(l => l + "\n"));
    }
}
