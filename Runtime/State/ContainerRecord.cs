using System.Text.Json.Serialization;
using Runcs.Spec;

namespace Runcs.Runtime.State;

/// <summary>
/// What runcs keeps about a container in ROOT/ID/state.json: enough for every
/// later command (start, exec, kill, delete, hooks) to act without reading
/// the bundle again, which may have changed or gone.
/// </summary>
public sealed class ContainerRecord
{
    [JsonPropertyName("id")]
    public required string Id { get; set; }

    /// <summary>The container's init process, as the host sees it.</summary>
    [JsonPropertyName("pid")]
    public int Pid { get; set; }

    /// <summary>The init's start time in clock ticks since boot (/proc/PID/stat field 22): tells a reused pid apart.</summary>
    [JsonPropertyName("pidStartTime")]
    public ulong PidStartTime { get; set; }

    [JsonPropertyName("bundle")]
    public required string Bundle { get; set; }

    [JsonPropertyName("rootfs")]
    public required string Rootfs { get; set; }

    [JsonPropertyName("created")]
    public DateTime Created { get; set; }

    [JsonPropertyName("owner")]
    public string Owner { get; set; } = "";

    [JsonPropertyName("config")]
    public required Config Config { get; set; }

    [JsonPropertyName("cgroupMode")]
    public string CgroupMode { get; set; } = "";

    /// <summary>The container's cgroup directory per hierarchy key.</summary>
    [JsonPropertyName("cgroupPaths")]
    public Dictionary<string, string> CgroupPaths { get; set; } = [];
}
