namespace Runcs.Spec;

/// <summary>One problem found in a config: the JSON path of the value ("linux.namespaces[2].type") and what is wrong with it.</summary>
public sealed record ValidationError(string Path, string Message)
{
    /// <summary>"path: message", the way the CLI prints it.</summary>
    public override string ToString() => Path.Length == 0 ? Message : $"{Path}: {Message}";
}

/// <summary>The list the checks append to; <see cref="Add(string, string)"/> keeps each check to one line per problem.</summary>
internal sealed class ValidationErrors : List<ValidationError>
{
    public void Add(string path, string message) => Add(new ValidationError(path, message));
}
