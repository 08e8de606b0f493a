using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Runcs.Runtime.Cgroups.Stats;

/// <summary>Source-generated JSON for `runcs events` lines: compact, one object per line, as Go's json.Encoder writes them.</summary>
[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(CgroupEvent))]
public sealed partial class EventsJsonContext : JsonSerializerContext
{
    public static EventsJsonContext Compact => field ??= new(new JsonSerializerOptions(Default.Options)
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    });
}
