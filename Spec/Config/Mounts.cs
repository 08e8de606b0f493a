using System.Text.Json.Serialization;

namespace Runcs.Spec;

/// <summary>The container's root file system.</summary>
public sealed class Root
{
    /// <summary>Path to the root file system; relative paths are relative to the bundle.</summary>
    [JsonPropertyName("path")]
    public string Path { get; set; } = "";

    /// <summary>Mount the root file system read-only.</summary>
    [JsonPropertyName("readonly")]
    public bool Readonly { get; set; }
}

/// <summary>One entry of <c>mounts</c>.</summary>
public sealed class Mount
{
    /// <summary>Where the mount goes inside the container. runc also accepts a relative path, read as relative to "/".</summary>
    [JsonPropertyName("destination")]
    public string Destination { get; set; } = "";

    /// <summary>File system type (mount(2)'s filesystemtype); "bind" or a bind option makes it a bind mount.</summary>
    [JsonPropertyName("type")]
    public string? Type { get; set; }

    /// <summary>Device, directory or pseudo name to mount; relative paths are relative to the bundle.</summary>
    [JsonPropertyName("source")]
    public string? Source { get; set; }

    /// <summary>fstab-style options: flags (ro, nosuid, bind, rprivate, ...) and file-system data (mode=755).</summary>
    [JsonPropertyName("options")]
    public List<string>? Options { get; set; }

    /// <summary>User id mapping of an idmapped mount.</summary>
    [JsonPropertyName("uidMappings")]
    public List<LinuxIdMapping>? UidMappings { get; set; }

    /// <summary>Group id mapping of an idmapped mount.</summary>
    [JsonPropertyName("gidMappings")]
    public List<LinuxIdMapping>? GidMappings { get; set; }
}
