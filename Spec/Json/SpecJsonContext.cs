using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Runcs.Spec;

/// <summary>
/// Source-generated JSON metadata for every document the runtime reads or writes, so that no reflection is needed
/// at run time (the binary is NativeAOT).
/// Read with <see cref="SpecReader"/> (or <see cref="JsonSerializerContext.Default"/>); write with
/// <see cref="Compact"/> or <see cref="Indented"/>, which leave non-ASCII text and characters such as '+' as they
/// are, the way runc's Go encoder does (<c>Default</c> would write "1.0.2\u002Bdev": valid, but not what people expect).
/// </summary>
/// <remarks>
/// Reading follows Go's encoding/json where that matters for drop-in compatibility with runc: unknown members are
/// skipped and member names match case-insensitively. Unlike Go, a JSON null for a member that cannot be absent
/// (such as <c>process.cwd</c>) is an error instead of a silent zero value.
/// </remarks>
[JsonSourceGenerationOptions(
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    PropertyNameCaseInsensitive = true,
    RespectNullableAnnotations = true)]
[JsonSerializable(typeof(Config))]
[JsonSerializable(typeof(Process))]
[JsonSerializable(typeof(LinuxResources))]
[JsonSerializable(typeof(State))]
[JsonSerializable(typeof(ContainerProcessState))]
[JsonSerializable(typeof(Features))]
public sealed partial class SpecJsonContext : JsonSerializerContext
{
    // Both are created on first use: a static initializer here could run before the generated Default exists.

    /// <summary>Writes compact JSON: state files, hook stdin, anything read by programs.</summary>
    public static SpecJsonContext Compact => field ??= WithOptions(indented: false);

    /// <summary>Writes indented JSON, like <c>runc state</c> and <c>runc features</c> print it.</summary>
    public static SpecJsonContext Indented => field ??= WithOptions(indented: true);

    private static SpecJsonContext WithOptions(bool indented) => new(new JsonSerializerOptions(Default.Options)
    {
        WriteIndented = indented,
        // Only unsafe when the JSON is pasted into HTML, which none of ours is.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    });
}
