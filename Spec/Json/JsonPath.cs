namespace Runcs.Spec;

/// <summary>
/// Builds the JSON paths that error messages show, such as <c>linux.namespaces[2].type</c> or
/// <c>annotations['io.kubernetes.cri.sandbox-id']</c>, so that the reader and the validator name values the same way.
/// </summary>
internal static class JsonPath
{
    /// <summary>The path of member <paramref name="name"/> (a property or a map key) of the value at <paramref name="parent"/>.</summary>
    public static string Member(string parent, string name)
    {
        if (!IsPlainName(name))
            return $"{parent}['{name}']";
        return parent.Length == 0 ? name : $"{parent}.{name}";
    }

    /// <summary>The path of element <paramref name="index"/> of the array at <paramref name="parent"/>.</summary>
    public static string Element(string parent, int index) => $"{parent}[{index}]";

    /// <summary>
    /// Splits a System.Text.Json path into its steps. That notation writes members as ".name", or as "['name']" when
    /// the name has characters such as dots, and array elements as "[2]": "$.linux.sysctl['net.ipv4.ip_forward']".
    /// </summary>
    public static List<JsonPathStep> ParseSystemTextJsonPath(string path)
    {
        var steps = new List<JsonPathStep>();
        var rest = path.AsSpan().TrimStart('$');
        while (!rest.IsEmpty)
        {
            int end;
            if (rest.StartsWith("['"))
            {
                end = Until(rest, "']");
                steps.Add(JsonPathStep.Member(rest[2..end].ToString()));
                end += 2;
            }
            else if (rest[0] == '[')
            {
                end = Until(rest, "]");
                steps.Add(JsonPathStep.Element(int.TryParse(rest[1..end], out var index) ? index : 0));
                end += 1;
            }
            else
            {
                end = rest[1..].IndexOfAny('.', '[') is var next and >= 0 ? next + 1 : rest.Length;
                steps.Add(JsonPathStep.Member(rest[1..end].ToString()));
            }
            rest = rest[Math.Min(end, rest.Length)..];
        }
        return steps;
    }

    /// <summary>Where <paramref name="terminator"/> starts in <paramref name="text"/>, or its length when it is missing.</summary>
    private static int Until(ReadOnlySpan<char> text, string terminator) =>
        text.IndexOf(terminator) is var at and >= 0 ? at : text.Length;

    /// <summary>Joins steps back into our path notation.</summary>
    public static string Format(IEnumerable<JsonPathStep> steps)
    {
        var path = "";
        foreach (var step in steps)
            path = step.Name is { } name ? Member(path, name) : Element(path, step.Index);
        return path;
    }

    /// <summary>Names that read unambiguously after a dot; anything else is quoted in brackets.</summary>
    private static bool IsPlainName(string name) =>
        name.Length > 0 && name.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-');
}

/// <summary>One step of a JSON path: a member name, or (when <see cref="Name"/> is null) an array index.</summary>
internal readonly record struct JsonPathStep(string? Name, int Index)
{
    public static JsonPathStep Member(string name) => new(name, 0);

    public static JsonPathStep Element(int index) => new(null, index);
}
