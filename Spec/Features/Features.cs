using System.Text.Json.Serialization;

namespace Runcs.Spec;

/// <summary>
/// The document <c>features</c> prints: what this runtime implements, so that a caller can adapt before it creates anything.
/// A null member means "not reported" rather than "not supported".
/// </summary>
public sealed class Features
{
    /// <summary>Oldest spec version accepted in config.json.</summary>
    [JsonPropertyName("ociVersionMin")]
    public string? OciVersionMin { get; set; }

    /// <summary>Newest spec version accepted in config.json.</summary>
    [JsonPropertyName("ociVersionMax")]
    public string? OciVersionMax { get; set; }

    /// <summary>Known hook names ("prestart", "createRuntime", ...).</summary>
    [JsonPropertyName("hooks")]
    public List<string>? Hooks { get; set; }

    /// <summary>Known mount options, without file-system specific data options.</summary>
    [JsonPropertyName("mountOptions")]
    public List<string>? MountOptions { get; set; }

    [JsonPropertyName("linux")]
    public LinuxFeatures? Linux { get; set; }

    /// <summary>Implementation details as key/value pairs (e.g. "org.opencontainers.runc.version").</summary>
    [JsonPropertyName("annotations")]
    public Dictionary<string, string>? Annotations { get; set; }

    /// <summary>Annotation keys (a trailing "." means a prefix) that change what the runtime does and so need care from callers that pass user input on.</summary>
    [JsonPropertyName("potentiallyUnsafeConfigAnnotations")]
    public List<string>? PotentiallyUnsafeConfigAnnotations { get; set; }
}

/// <summary>Linux parts of <see cref="Features"/>.</summary>
public sealed class LinuxFeatures
{
    /// <summary>Known namespace types ("pid", "network", ...).</summary>
    [JsonPropertyName("namespaces")]
    public List<string>? Namespaces { get; set; }

    /// <summary>Known capability names ("CAP_CHOWN", ...).</summary>
    [JsonPropertyName("capabilities")]
    public List<string>? Capabilities { get; set; }

    [JsonPropertyName("cgroup")]
    public CgroupFeatures? Cgroup { get; set; }

    [JsonPropertyName("seccomp")]
    public SeccompFeatures? Seccomp { get; set; }

    [JsonPropertyName("apparmor")]
    public ApparmorFeatures? Apparmor { get; set; }

    [JsonPropertyName("selinux")]
    public SelinuxFeatures? Selinux { get; set; }

    [JsonPropertyName("intelRdt")]
    public IntelRdtFeatures? IntelRdt { get; set; }

    [JsonPropertyName("memoryPolicy")]
    public MemoryPolicyFeatures? MemoryPolicy { get; set; }

    [JsonPropertyName("mountExtensions")]
    public MountExtensionsFeatures? MountExtensions { get; set; }

    [JsonPropertyName("netDevices")]
    public NetDevicesFeatures? NetDevices { get; set; }
}

/// <summary>Cgroup drivers and controllers the runtime can use.</summary>
public sealed class CgroupFeatures
{
    [JsonPropertyName("v1")]
    public bool? V1 { get; set; }

    [JsonPropertyName("v2")]
    public bool? V2 { get; set; }

    /// <summary>The systemd cgroup driver, system instance.</summary>
    [JsonPropertyName("systemd")]
    public bool? Systemd { get; set; }

    /// <summary>The systemd cgroup driver, user instance (rootless).</summary>
    [JsonPropertyName("systemdUser")]
    public bool? SystemdUser { get; set; }

    [JsonPropertyName("rdma")]
    public bool? Rdma { get; set; }
}

/// <summary>What the seccomp support understands.</summary>
public sealed class SeccompFeatures
{
    [JsonPropertyName("enabled")]
    public bool? Enabled { get; set; }

    /// <summary>Known "SCMP_ACT_*" names.</summary>
    [JsonPropertyName("actions")]
    public List<string>? Actions { get; set; }

    /// <summary>Known "SCMP_CMP_*" names.</summary>
    [JsonPropertyName("operators")]
    public List<string>? Operators { get; set; }

    /// <summary>Known "SCMP_ARCH_*" names.</summary>
    [JsonPropertyName("archs")]
    public List<string>? Archs { get; set; }

    /// <summary>"SECCOMP_FILTER_FLAG_*" names the runtime recognises.</summary>
    [JsonPropertyName("knownFlags")]
    public List<string>? KnownFlags { get; set; }

    /// <summary>The subset of <see cref="KnownFlags"/> this kernel supports.</summary>
    [JsonPropertyName("supportedFlags")]
    public List<string>? SupportedFlags { get; set; }
}

public sealed class ApparmorFeatures
{
    [JsonPropertyName("enabled")]
    public bool? Enabled { get; set; }
}

public sealed class SelinuxFeatures
{
    [JsonPropertyName("enabled")]
    public bool? Enabled { get; set; }
}

public sealed class IntelRdtFeatures
{
    [JsonPropertyName("enabled")]
    public bool? Enabled { get; set; }

    /// <summary>Whether <c>linux.intelRdt.schemata</c> is supported.</summary>
    [JsonPropertyName("schemata")]
    public bool? Schemata { get; set; }

    /// <summary>Whether <c>linux.intelRdt.enableMonitoring</c> is supported.</summary>
    [JsonPropertyName("monitoring")]
    public bool? Monitoring { get; set; }
}

public sealed class MemoryPolicyFeatures
{
    /// <summary>Supported "MPOL_*" modes.</summary>
    [JsonPropertyName("modes")]
    public List<string>? Modes { get; set; }

    /// <summary>Supported "MPOL_F_*" flags.</summary>
    [JsonPropertyName("flags")]
    public List<string>? Flags { get; set; }
}

/// <summary>Extensions to mounts beyond mount(2) options.</summary>
public sealed class MountExtensionsFeatures
{
    /// <summary>Idmapped mounts (<c>mounts[].uidMappings</c>).</summary>
    [JsonPropertyName("idmap")]
    public IdmapFeatures? Idmap { get; set; }
}

public sealed class IdmapFeatures
{
    [JsonPropertyName("enabled")]
    public bool? Enabled { get; set; }
}

public sealed class NetDevicesFeatures
{
    [JsonPropertyName("enabled")]
    public bool? Enabled { get; set; }
}
