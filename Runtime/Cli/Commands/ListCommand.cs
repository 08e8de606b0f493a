using System.Text;
using System.Text.Json;
using CommandLine;
using Runcs.Runtime;
using Runcs.Runtime.Container;
using Runcs.Runtime.State;

namespace Runcs.Cli.Commands;

[Verb("list", HelpText = "lists containers started by runcs with the given root")]
public sealed class ListCommand : Command
{
    public override string Name => "list";

    [Option('f', "format", Default = "table", HelpText = "select one of: table or json")]
    public string Format { get; set; } = "table";

    [Option('q', "quiet", HelpText = "display only container IDs")]
    public bool Quiet { get; set; }

    [Value(0, Hidden = true)]
    public IEnumerable<string> Args { get; set; } = [];

    public override string? CheckArguments() => RequireExactly(0, Args);

    public override int Execute(CliContext context)
    {
        var views = new List<StateView>();
        foreach (var id in context.Runtime.Store.List())
        {
            try
            {
                var view = Container.Load(context.Runtime, id).View();
                view.Owner = "root";
                views.Add(view);
            }
            catch (RuntimeException e)
            {
                System.Console.Error.WriteLine($"load container {id}: {e.Message}");
            }
        }
        if (Quiet)
        {
            foreach (var v in views)
                System.Console.Out.WriteLine(v.Id);
            return 0;
        }
        switch (Format)
        {
            case "json":
                // runc prints "null" for no containers: a Go nil slice.
                System.Console.Out.Write((views.Count == 0 ? "null" : JsonSerializer.Serialize(views, RuntimeJsonContext.Compact.ListStateView)) + "\n");
                return 0;
            case "table":
                System.Console.Out.Write(Table(views));
                return 0;
            default:
                throw new RuntimeException($"invalid format option");
        }
    }

    /// <summary>Go's tabwriter as runc sets it up: cells padded to at least 12 columns, 3 spaces of padding.</summary>
    private static string Table(IReadOnlyList<StateView> views)
    {
        string[][] rows =
        [
            ["ID", "PID", "STATUS", "BUNDLE", "CREATED", "OWNER"],
            .. views.Select(v => new[] { v.Id, v.Pid.ToString(), v.Status, v.Bundle, v.Created, v.Owner }),
        ];
        var widths = Enumerable.Range(0, 5).Select(c => Math.Max(12, rows.Max(r => r[c].Length) + 3)).ToArray();
        var sb = new StringBuilder();
        foreach (var row in rows)
        {
            for (int c = 0; c < 5; c++)
                sb.Append(row[c].PadRight(widths[c]));
            sb.Append(row[5]).Append('\n');
        }
        return sb.ToString();
    }
}
