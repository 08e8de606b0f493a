using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Runcs.Runtime.State;

/// <summary>
/// Source-generated JSON for what the runtime writes itself (AOT-safe, no
/// reflection). Compact and Indented leave '+' and non-ASCII text as they are,
/// as runc's Go encoder does.
/// </summary>
[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(ContainerRecord))]
[JsonSerializable(typeof(StateView))]
[JsonSerializable(typeof(List<StateView>))]
[JsonSerializable(typeof(int[]))]
public sealed partial class RuntimeJsonContext : JsonSerializerContext
{
    public static RuntimeJsonContext Compact => field ??= WithOptions(indented: false);

    /// <summary>Two-space indent, as `runc state` prints.</summary>
    public static RuntimeJsonContext Indented => field ??= WithOptions(indented: true);

    private static RuntimeJsonContext WithOptions(bool indented) => new(new JsonSerializerOptions(Default.Options)
    {
        WriteIndented = indented,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    });
}
