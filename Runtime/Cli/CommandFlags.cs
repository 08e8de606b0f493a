using System.Diagnostics.CodeAnalysis;
using System.Reflection;
using CommandLine;

namespace Runcs.Cli;

/// <summary>
/// Marks a command whose arguments after its first positional one belong to
/// something else, flags included: `exec ID COMMAND -x`, `ps ID -o pid`.
/// </summary>
public interface IPassThroughArguments;

/// <summary>A command's flags as its CommandLineParser attributes declare them, for ArgumentSplitter.Normalize.</summary>
public sealed record CommandFlags(IReadOnlySet<string> Long, IReadOnlySet<string> Bool, IReadOnlySet<string> TakesValue, bool PassThrough)
{
    [UnconditionalSuppressMessage("Trimming", "IL2070", Justification = "Program.Main's DynamicDependency attributes keep every member of every command type.")]
    public static CommandFlags Of(Type type)
    {
        var options = type.GetProperties()
            .Select(p => (Property: p, Option: p.GetCustomAttribute<OptionAttribute>()))
            .Where(x => x.Option is not null)
            .ToList();
        static IEnumerable<string> Names(OptionAttribute o) =>
            new[] { o.LongName, o.ShortName }.Where(n => !string.IsNullOrEmpty(n));
        return new CommandFlags(
            options.Select(x => x.Option!.LongName).Where(n => n.Length > 0).ToHashSet(),
            options.Where(x => x.Property.PropertyType == typeof(bool)).Select(x => x.Option!.LongName).Where(n => n.Length > 0).ToHashSet(),
            options.Where(x => x.Property.PropertyType != typeof(bool)).SelectMany(x => Names(x.Option!)).ToHashSet(),
            typeof(IPassThroughArguments).IsAssignableFrom(type));
    }
}
