using System.Text.Json.Serialization;

namespace Runcs.Spec;

/// <summary>
/// Cgroup limits: <c>linux.resources</c> in config.json, and the document <c>update --resources</c> reads.
/// A null member means "leave as is", which is what makes partial updates possible.
/// </summary>
public sealed class LinuxResources
{
    /// <summary>Device access rules, applied in order; the last matching rule wins.</summary>
    [JsonPropertyName("devices")]
    public List<LinuxDeviceCgroup>? Devices { get; set; }

    [JsonPropertyName("memory")]
    public LinuxMemory? Memory { get; set; }

    [JsonPropertyName("cpu")]
    public LinuxCpu? Cpu { get; set; }

    [JsonPropertyName("pids")]
    public LinuxPids? Pids { get; set; }

    [JsonPropertyName("blockIO")]
    public LinuxBlockIo? BlockIo { get; set; }

    [JsonPropertyName("hugepageLimits")]
    public List<LinuxHugepageLimit>? HugepageLimits { get; set; }

    [JsonPropertyName("network")]
    public LinuxNetwork? Network { get; set; }

    /// <summary>RDMA limits keyed by device name (e.g. "mlx5_1").</summary>
    [JsonPropertyName("rdma")]
    public Dictionary<string, LinuxRdma>? Rdma { get; set; }

    /// <summary>Raw cgroup v2 files to write, keyed by file name ("memory.high": "1G").</summary>
    [JsonPropertyName("unified")]
    public Dictionary<string, string>? Unified { get; set; }
}

/// <summary>One device cgroup rule.</summary>
public sealed class LinuxDeviceCgroup
{
    [JsonPropertyName("allow")]
    public bool Allow { get; set; }

    /// <summary>"a" (all), "c" or "b"; absent means all.</summary>
    [JsonPropertyName("type")]
    public string? Type { get; set; }

    /// <summary>Major number; absent means any.</summary>
    [JsonPropertyName("major")]
    public long? Major { get; set; }

    /// <summary>Minor number; absent means any.</summary>
    [JsonPropertyName("minor")]
    public long? Minor { get; set; }

    /// <summary>Some of "r", "w", "m"; absent means all three.</summary>
    [JsonPropertyName("access")]
    public string? Access { get; set; }
}

/// <summary>Memory controller settings, in bytes unless said otherwise; -1 means unlimited.</summary>
public sealed class LinuxMemory
{
    [JsonPropertyName("limit")]
    public long? Limit { get; set; }

    /// <summary>Soft limit (v1 soft_limit_in_bytes, v2 memory.low).</summary>
    [JsonPropertyName("reservation")]
    public long? Reservation { get; set; }

    /// <summary>Memory plus swap limit, as cgroup v1 counts it.</summary>
    [JsonPropertyName("swap")]
    public long? Swap { get; set; }

    /// <summary>Kernel memory limit; deprecated, the kernel ignores it since 5.16.</summary>
    [JsonPropertyName("kernel")]
    public long? Kernel { get; set; }

    /// <summary>Kernel TCP buffer limit (cgroup v1 only).</summary>
    [JsonPropertyName("kernelTCP")]
    public long? KernelTcp { get; set; }

    /// <summary>Swappiness, 0..100 (cgroup v1 only).</summary>
    [JsonPropertyName("swappiness")]
    public ulong? Swappiness { get; set; }

    [JsonPropertyName("disableOOMKiller")]
    public bool? DisableOomKiller { get; set; }

    /// <summary>Hierarchical accounting (cgroup v1 only).</summary>
    [JsonPropertyName("useHierarchy")]
    public bool? UseHierarchy { get; set; }

    /// <summary>On update, refuse a limit below current usage.</summary>
    [JsonPropertyName("checkBeforeUpdate")]
    public bool? CheckBeforeUpdate { get; set; }
}

/// <summary>CPU and cpuset controller settings; times are in microseconds.</summary>
public sealed class LinuxCpu
{
    /// <summary>Relative weight (v1 cpu.shares; converted to cpu.weight on v2).</summary>
    [JsonPropertyName("shares")]
    public ulong? Shares { get; set; }

    /// <summary>CPU time allowed per <see cref="Period"/>; -1 means unlimited.</summary>
    [JsonPropertyName("quota")]
    public long? Quota { get; set; }

    /// <summary>Unused quota that may be carried over into a later period.</summary>
    [JsonPropertyName("burst")]
    public ulong? Burst { get; set; }

    [JsonPropertyName("period")]
    public ulong? Period { get; set; }

    [JsonPropertyName("realtimeRuntime")]
    public long? RealtimeRuntime { get; set; }

    [JsonPropertyName("realtimePeriod")]
    public ulong? RealtimePeriod { get; set; }

    /// <summary>CPU list for cpuset, e.g. "0-3,7".</summary>
    [JsonPropertyName("cpus")]
    public string? Cpus { get; set; }

    /// <summary>Memory node list for cpuset.</summary>
    [JsonPropertyName("mems")]
    public string? Mems { get; set; }

    /// <summary>cgroup v2 cpu.idle: 1 gives the group SCHED_IDLE treatment.</summary>
    [JsonPropertyName("idle")]
    public long? Idle { get; set; }
}

/// <summary>Pids controller settings.</summary>
public sealed class LinuxPids
{
    /// <summary>Maximum number of tasks; 0 or -1 means unlimited.</summary>
    [JsonPropertyName("limit")]
    public long? Limit { get; set; }
}

/// <summary>Block I/O controller settings.</summary>
public sealed class LinuxBlockIo
{
    /// <summary>Default weight, 10..1000.</summary>
    [JsonPropertyName("weight")]
    public ushort? Weight { get; set; }

    /// <summary>Weight given to tasks in this cgroup when competing with its children (cgroup v1 CFQ only).</summary>
    [JsonPropertyName("leafWeight")]
    public ushort? LeafWeight { get; set; }

    [JsonPropertyName("weightDevice")]
    public List<LinuxWeightDevice>? WeightDevice { get; set; }

    /// <summary>Read bytes per second, per device.</summary>
    [JsonPropertyName("throttleReadBpsDevice")]
    public List<LinuxThrottleDevice>? ThrottleReadBpsDevice { get; set; }

    /// <summary>Write bytes per second, per device.</summary>
    [JsonPropertyName("throttleWriteBpsDevice")]
    public List<LinuxThrottleDevice>? ThrottleWriteBpsDevice { get; set; }

    /// <summary>Read operations per second, per device.</summary>
    [JsonPropertyName("throttleReadIOPSDevice")]
    public List<LinuxThrottleDevice>? ThrottleReadIopsDevice { get; set; }

    /// <summary>Write operations per second, per device.</summary>
    [JsonPropertyName("throttleWriteIOPSDevice")]
    public List<LinuxThrottleDevice>? ThrottleWriteIopsDevice { get; set; }
}

/// <summary>A per-device I/O weight.</summary>
public sealed class LinuxWeightDevice
{
    [JsonPropertyName("major")]
    public long Major { get; set; }

    [JsonPropertyName("minor")]
    public long Minor { get; set; }

    [JsonPropertyName("weight")]
    public ushort? Weight { get; set; }

    [JsonPropertyName("leafWeight")]
    public ushort? LeafWeight { get; set; }
}

/// <summary>A per-device I/O rate limit.</summary>
public sealed class LinuxThrottleDevice
{
    [JsonPropertyName("major")]
    public long Major { get; set; }

    [JsonPropertyName("minor")]
    public long Minor { get; set; }

    [JsonPropertyName("rate")]
    public ulong Rate { get; set; }
}

/// <summary>Hugetlb controller limit for one page size.</summary>
public sealed class LinuxHugepageLimit
{
    /// <summary>Page size as the kernel names it in hugetlb files: "2MB", "1GB", "64KB".</summary>
    [JsonPropertyName("pageSize")]
    public string PageSize { get; set; } = "";

    /// <summary>Limit in bytes.</summary>
    [JsonPropertyName("limit")]
    public ulong Limit { get; set; }
}

/// <summary>net_cls and net_prio controller settings (cgroup v1 only).</summary>
public sealed class LinuxNetwork
{
    /// <summary>Class id tagged on the container's packets.</summary>
    [JsonPropertyName("classID")]
    public uint? ClassId { get; set; }

    [JsonPropertyName("priorities")]
    public List<LinuxInterfacePriority>? Priorities { get; set; }
}

/// <summary>Traffic priority of the container on one network interface.</summary>
public sealed class LinuxInterfacePriority
{
    [JsonPropertyName("name")]
    public string Name { get; set; } = "";

    [JsonPropertyName("priority")]
    public uint Priority { get; set; }
}

/// <summary>RDMA controller limits for one device.</summary>
public sealed class LinuxRdma
{
    [JsonPropertyName("hcaHandles")]
    public uint? HcaHandles { get; set; }

    [JsonPropertyName("hcaObjects")]
    public uint? HcaObjects { get; set; }
}
