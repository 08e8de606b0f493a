using System.Text.Json.Serialization;

namespace Runcs.Runtime.State;

/// <summary>
/// What runcs keeps about a container in ROOT/ID/state.json. The config it was
/// created from is kept beside it, byte for byte, in ROOT/ID/config.json, so
/// later commands (start, exec, delete and their hooks) never read the bundle
/// again, which may have changed or gone; only those that need it parse it.
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

    /// <summary>linux.personality.domain, which every exec gets too.</summary>
    [JsonPropertyName("personality")]
    public string? Personality { get; set; }

    /// <summary>config.json's annotations, which `state` prints.</summary>
    [JsonPropertyName("annotations")]
    public Dictionary<string, string>? Annotations { get; set; }

    [JsonPropertyName("cgroupMode")]
    public string CgroupMode { get; set; } = "";

    /// <summary>The container's cgroup directory per hierarchy key.</summary>
    [JsonPropertyName("cgroupPaths")]
    public Dictionary<string, string> CgroupPaths { get; set; } = [];
}
