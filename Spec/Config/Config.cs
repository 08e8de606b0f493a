using System.Text.Json.Serialization;

namespace Runcs.Spec;

/// <summary>
/// The bundle's config.json (OCI runtime-spec 1.3). Only the parts a Linux runtime reads are modelled;
/// fields for other platforms, and any field this model does not know, are skipped when reading, as the spec asks.
/// </summary>
public sealed class Config
{
    /// <summary>The spec version the bundle was written for (SemVer, e.g. "1.0.2-dev").</summary>
    [JsonPropertyName("ociVersion")]
    public string OciVersion { get; set; } = "";

    /// <summary>The container's first process. Optional in the spec, but <c>create</c> cannot run without it.</summary>
    [JsonPropertyName("process")]
    public Process? Process { get; set; }

    [JsonPropertyName("root")]
    public Root? Root { get; set; }

    /// <summary>Host name inside the container; needs a new UTS namespace.</summary>
    [JsonPropertyName("hostname")]
    public string? Hostname { get; set; }

    /// <summary>NIS domain name inside the container; needs a new UTS namespace.</summary>
    [JsonPropertyName("domainname")]
    public string? Domainname { get; set; }

    /// <summary>Mounts in the order they are made, after the root file system.</summary>
    [JsonPropertyName("mounts")]
    public List<Mount>? Mounts { get; set; }

    [JsonPropertyName("hooks")]
    public Hooks? Hooks { get; set; }

    /// <summary>Free-form metadata; also how runc-specific switches reach the runtime.</summary>
    [JsonPropertyName("annotations")]
    public Dictionary<string, string>? Annotations { get; set; }

    [JsonPropertyName("linux")]
    public Linux? Linux { get; set; }
}
