using System.Text.Json.Serialization;

namespace Runcs.Spec;

/// <summary>config.json's <c>linux</c> object: namespaces, id mappings, devices, cgroups, seccomp and the rest of the Linux-only settings.</summary>
public sealed class Linux
{
    /// <summary>Container-to-host user id mapping of the new user namespace.</summary>
    [JsonPropertyName("uidMappings")]
    public List<LinuxIdMapping>? UidMappings { get; set; }

    /// <summary>Container-to-host group id mapping of the new user namespace.</summary>
    [JsonPropertyName("gidMappings")]
    public List<LinuxIdMapping>? GidMappings { get; set; }

    /// <summary>Kernel parameters to write under /proc/sys; keys use "." (or "/") as separator.</summary>
    [JsonPropertyName("sysctl")]
    public Dictionary<string, string>? Sysctl { get; set; }

    [JsonPropertyName("resources")]
    public LinuxResources? Resources { get; set; }

    /// <summary>Cgroup of the container: a path (absolute, or relative to the runtime's cgroup) or, with systemd, "slice:prefix:name".</summary>
    [JsonPropertyName("cgroupsPath")]
    public string? CgroupsPath { get; set; }

    /// <summary>Namespaces to create (no path) or join (path).</summary>
    [JsonPropertyName("namespaces")]
    public List<LinuxNamespace>? Namespaces { get; set; }

    /// <summary>Device nodes to create in the container, in addition to the default set.</summary>
    [JsonPropertyName("devices")]
    public List<LinuxDevice>? Devices { get; set; }

    /// <summary>Host network interfaces to move into the container's network namespace, keyed by host name.</summary>
    [JsonPropertyName("netDevices")]
    public Dictionary<string, LinuxNetDevice>? NetDevices { get; set; }

    [JsonPropertyName("seccomp")]
    public LinuxSeccomp? Seccomp { get; set; }

    /// <summary>Propagation of the root mount: "private", "rprivate", "slave", "rslave", "shared", "rshared", "unbindable" or "runbindable".</summary>
    [JsonPropertyName("rootfsPropagation")]
    public string? RootfsPropagation { get; set; }

    /// <summary>Container paths hidden from the process (/dev/null or an empty tmpfs mounted over them).</summary>
    [JsonPropertyName("maskedPaths")]
    public List<string>? MaskedPaths { get; set; }

    /// <summary>Container paths remounted read-only.</summary>
    [JsonPropertyName("readonlyPaths")]
    public List<string>? ReadonlyPaths { get; set; }

    /// <summary>SELinux context for the container's mounts.</summary>
    [JsonPropertyName("mountLabel")]
    public string? MountLabel { get; set; }

    [JsonPropertyName("intelRdt")]
    public LinuxIntelRdt? IntelRdt { get; set; }

    [JsonPropertyName("memoryPolicy")]
    public LinuxMemoryPolicy? MemoryPolicy { get; set; }

    [JsonPropertyName("personality")]
    public LinuxPersonality? Personality { get; set; }

    /// <summary>Clock offsets of a new time namespace, keyed by clock: "monotonic" or "boottime".</summary>
    [JsonPropertyName("timeOffsets")]
    public Dictionary<string, LinuxTimeOffset>? TimeOffsets { get; set; }
}

/// <summary>One line of a uid_map or gid_map: <see cref="Size"/> ids from <see cref="ContainerId"/> map to ids from <see cref="HostId"/>.</summary>
public sealed class LinuxIdMapping
{
    [JsonPropertyName("containerID")]
    public uint ContainerId { get; set; }

    [JsonPropertyName("hostID")]
    public uint HostId { get; set; }

    [JsonPropertyName("size")]
    public uint Size { get; set; }
}

/// <summary>A namespace to create, or to join when <see cref="Path"/> is given.</summary>
public sealed class LinuxNamespace
{
    /// <summary>"pid", "network", "mount", "ipc", "uts", "user", "cgroup" or "time".</summary>
    [JsonPropertyName("type")]
    public string Type { get; set; } = "";

    /// <summary>Namespace file to join, such as /proc/1234/ns/net.</summary>
    [JsonPropertyName("path")]
    public string? Path { get; set; }
}

/// <summary>A device node to make available in the container.</summary>
public sealed class LinuxDevice
{
    /// <summary>Absolute path inside the container.</summary>
    [JsonPropertyName("path")]
    public string Path { get; set; } = "";

    /// <summary>"c" (character), "b" (block), "u" (unbuffered character) or "p" (FIFO).</summary>
    [JsonPropertyName("type")]
    public string Type { get; set; } = "";

    /// <summary>Major number; required except for FIFOs, hence nullable although Go's field is a plain int64.</summary>
    [JsonPropertyName("major")]
    public long? Major { get; set; }

    /// <summary>Minor number; required except for FIFOs.</summary>
    [JsonPropertyName("minor")]
    public long? Minor { get; set; }

    /// <summary>Permission bits of the node.</summary>
    [JsonPropertyName("fileMode")]
    public uint? FileMode { get; set; }

    [JsonPropertyName("uid")]
    public uint? Uid { get; set; }

    [JsonPropertyName("gid")]
    public uint? Gid { get; set; }
}

/// <summary>How a moved host network interface is named inside the container.</summary>
public sealed class LinuxNetDevice
{
    /// <summary>Name inside the container; the host name when absent. A trailing "%d" lets the kernel pick a free number.</summary>
    [JsonPropertyName("name")]
    public string? Name { get; set; }
}

/// <summary>Intel Resource Director Technology (resctrl) settings.</summary>
public sealed class LinuxIntelRdt
{
    /// <summary>resctrl group (directory) to use; defaults to one named after the container.</summary>
    [JsonPropertyName("closID")]
    public string? ClosId { get; set; }

    /// <summary>Lines to write to the group's schemata file.</summary>
    [JsonPropertyName("schemata")]
    public List<string>? Schemata { get; set; }

    /// <summary>L3 cache allocation line, e.g. "L3:0=ffff0;1=3ff".</summary>
    [JsonPropertyName("l3CacheSchema")]
    public string? L3CacheSchema { get; set; }

    /// <summary>Memory bandwidth allocation line, e.g. "MB:0=20;1=70".</summary>
    [JsonPropertyName("memBwSchema")]
    public string? MemBwSchema { get; set; }

    /// <summary>Create a monitoring group for the container.</summary>
    [JsonPropertyName("enableMonitoring")]
    public bool EnableMonitoring { get; set; }
}

/// <summary>set_mempolicy(2) parameters for the container's processes.</summary>
public sealed class LinuxMemoryPolicy
{
    /// <summary>"MPOL_DEFAULT", "MPOL_BIND", "MPOL_INTERLEAVE", "MPOL_WEIGHTED_INTERLEAVE", "MPOL_PREFERRED", "MPOL_PREFERRED_MANY" or "MPOL_LOCAL".</summary>
    [JsonPropertyName("mode")]
    public string Mode { get; set; } = "";

    /// <summary>NUMA node list such as "0-3,7".</summary>
    [JsonPropertyName("nodes")]
    public string? Nodes { get; set; }

    /// <summary>"MPOL_F_NUMA_BALANCING", "MPOL_F_RELATIVE_NODES" or "MPOL_F_STATIC_NODES".</summary>
    [JsonPropertyName("flags")]
    public List<string>? Flags { get; set; }
}

/// <summary>personality(2) execution domain of the container.</summary>
public sealed class LinuxPersonality
{
    /// <summary>"LINUX" or "LINUX32".</summary>
    [JsonPropertyName("domain")]
    public string Domain { get; set; } = "";

    /// <summary>No flags are defined by the spec yet.</summary>
    [JsonPropertyName("flags")]
    public List<string>? Flags { get; set; }
}

/// <summary>Offset of one clock in a new time namespace.</summary>
public sealed class LinuxTimeOffset
{
    [JsonPropertyName("secs")]
    public long Secs { get; set; }

    [JsonPropertyName("nanosecs")]
    public uint Nanosecs { get; set; }
}
