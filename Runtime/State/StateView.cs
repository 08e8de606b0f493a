using System.Text.Json.Serialization;

namespace Runcs.Runtime.State;

/// <summary>
/// The state document `runcs state` and `runcs list --format json` print:
/// the OCI state plus runc's rootfs, created and owner, in runc's field order,
/// because callers (containerd, podman) parse it.
/// </summary>
public sealed class StateView
{
    [JsonPropertyName("ociVersion")]
    public string OciVersion { get; set; } = RuntimeInfo.SpecVersion;

    [JsonPropertyName("id")]
    public required string Id { get; set; }

    [JsonPropertyName("pid")]
    public int Pid { get; set; }

    [JsonPropertyName("status")]
    public required string Status { get; set; }

    [JsonPropertyName("bundle")]
    public required string Bundle { get; set; }

    [JsonPropertyName("rootfs")]
    public required string Rootfs { get; set; }

    [JsonPropertyName("created")]
    public required string Created { get; set; }

    [JsonPropertyName("annotations")]
    public Dictionary<string, string>? Annotations { get; set; }

    [JsonPropertyName("owner")]
    public string Owner { get; set; } = "";

}
