using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace Runcs.Spec;

/// <summary>
/// Reads the spec's JSON documents. Every failure is a <see cref="SpecException"/> whose message names the file and,
/// for a bad value, its JSON path, e.g. "/b/config.json: process.args[0]: expected string".
/// Reading checks types only; whether the values make sense is <see cref="ConfigValidator"/>'s job.
/// </summary>
public static class SpecReader
{
    /// <summary>Reads a bundle's config.json.</summary>
    public static Config ReadConfig(string path) => Read(path, SpecJsonContext.Default.Config);

    /// <summary>Reads the process.json given to <c>exec --process</c>.</summary>
    public static Process ReadProcess(string path) => Read(path, SpecJsonContext.Default.Process);

    /// <summary>Reads the resources file given to <c>update --resources</c>.</summary>
    public static LinuxResources ReadResources(string path) => Read(path, SpecJsonContext.Default.LinuxResources);

    /// <summary>Reads resources from a stream (<c>update --resources -</c> reads stdin); <paramref name="name"/> stands for the file in messages.</summary>
    public static LinuxResources ReadResources(Stream stream, string name = "stdin") =>
        Read(stream, name, SpecJsonContext.Default.LinuxResources);

    /// <summary>Reads an OCI state document.</summary>
    public static State ReadState(string path) => Read(path, SpecJsonContext.Default.State);

    /// <summary>Reads any document of the model from a file, e.g. <c>Read(path, SpecJsonContext.Default.Features)</c>.</summary>
    public static T Read<T>(string path, JsonTypeInfo<T> type) where T : class => Parse(ReadFile(path), path, type);

    /// <summary>Reads any document of the model from a stream; <paramref name="name"/> stands for the file in messages.</summary>
    public static T Read<T>(Stream stream, string name, JsonTypeInfo<T> type) where T : class
    {
        using var buffer = new MemoryStream();
        try
        {
            stream.CopyTo(buffer);
        }
        catch (IOException e)
        {
            throw new SpecException($"{name}: {e.Message}", e);
        }
        return Parse(buffer.GetBuffer().AsSpan(0, (int)buffer.Length), name, type);
    }

    /// <summary>Parses UTF-8 JSON text; <paramref name="name"/> stands for the file in messages.</summary>
    public static T Parse<T>(ReadOnlySpan<byte> utf8Json, string name, JsonTypeInfo<T> type) where T : class
    {
        if (utf8Json.StartsWith("\uFEFF"u8))
            utf8Json = utf8Json[3..];
        CheckSyntax(utf8Json, name);

        T value;
        try
        {
            value = JsonSerializer.Deserialize(utf8Json, type)!;
        }
        catch (JsonException e)
        {
            throw new SpecException($"{name}: {DescribeTypeError(e, type)}", e);
        }

        if (JsonShape.FindNullElement(value, type) is var (path, expected))
            throw new SpecException($"{name}: {path}: expected {JsonShape.Describe(expected)}");
        return value;
    }

    /// <summary>A spec file's bytes, with the same errors as the readers (naming the file).</summary>
    public static byte[] ReadBytes(string path) => ReadFile(path);

    private static byte[] ReadFile(string path)
    {
        try
        {
            return File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new SpecException($"{path}: no such file or directory", e);
        }
        catch (UnauthorizedAccessException e)
        {
            // .NET reports opening a directory as an access problem too.
            throw new SpecException($"{path}: {(Directory.Exists(path) ? "is a directory" : "permission denied")}", e);
        }
        catch (IOException e)
        {
            throw new SpecException($"{path}: {e.Message}", e);
        }
    }

    /// <summary>
    /// Rejects text that is not one JSON object before deserializing, so that a syntax error is reported with its
    /// position and every later <see cref="JsonException"/> is known to be a value of the wrong type.
    /// </summary>
    private static void CheckSyntax(ReadOnlySpan<byte> utf8Json, string name)
    {
        if (utf8Json.Trim(" \t\r\n"u8).IsEmpty)
            throw new SpecException($"{name}: empty JSON document");

        var reader = new Utf8JsonReader(utf8Json);
        try
        {
            reader.Read();
            if (reader.TokenType != JsonTokenType.StartObject)
                throw new SpecException($"{name}: expected a JSON object");
            while (reader.Read())
            {
            }
        }
        catch (JsonException e)
        {
            if (e.LineNumber is not { } line || e.BytePositionInLine is not { } column)
                throw new SpecException($"{name}: invalid JSON", e);
            throw new SpecException($"{name}: invalid JSON at line {line + 1}, column {column + 1}", e);
        }
    }

    private static string DescribeTypeError(JsonException e, JsonTypeInfo root)
    {
        var steps = JsonPath.ParseSystemTextJsonPath(e.Path ?? "$");
        var problem = JsonShape.Resolve(root, steps) is { } expected ? $"expected {JsonShape.Describe(expected)}" : "invalid value";
        return steps.Count == 0 ? problem : $"{JsonPath.Format(steps)}: {problem}";
    }
}
