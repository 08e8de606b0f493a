using System.Text.Json.Serialization;

namespace Runcs.Runtime.Cgroups.Stats;

// The JSON `runc events` prints (runc's types/events.go as of runc 1.1), member for
// member and in the same order: containerd and other callers decode it. Where Go
// omits a zero value ("omitempty"), the member is null or default here and left out;
// where Go always writes it, so do we.

/// <summary>One line of `runcs events`: {"type":"stats","id":…,"data":{…}} or {"type":"oom","id":…}.</summary>
public sealed class CgroupEvent
{
    [JsonPropertyName("type")]
    public required string Type { get; init; }

    [JsonPropertyName("id")]
    public required string Id { get; init; }

    [JsonPropertyName("data")]
    public CgroupStats? Data { get; init; }
}

public sealed class CgroupStats
{
    [JsonPropertyName("cpu")]
    public CpuStats Cpu { get; set; } = new();

    [JsonPropertyName("cpuset")]
    public CpusetStats Cpuset { get; set; } = new();

    [JsonPropertyName("memory")]
    public MemoryStats Memory { get; set; } = new();

    [JsonPropertyName("pids")]
    public PidsStats Pids { get; set; } = new();

    [JsonPropertyName("blkio")]
    public BlkioStats Blkio { get; set; } = new();

    /// <summary>Per page size ("2MB"); Go writes map keys sorted.</summary>
    [JsonPropertyName("hugetlb")]
    public SortedDictionary<string, HugetlbStats> Hugetlb { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Intel RDT is not supported by runcs: always the empty object runc prints without it.</summary>
    [JsonPropertyName("intel_rdt")]
    public IntelRdtStats IntelRdt { get; set; } = new();

    /// <summary>runc fills this only for containers it set up networking for (never, from the CLI).</summary>
    [JsonPropertyName("network_interfaces")]
    [JsonIgnore(Condition = JsonIgnoreCondition.Never)]
    public string[]? NetworkInterfaces { get; set; }
}

public sealed class CpuStats
{
    [JsonPropertyName("usage")]
    public CpuUsage Usage { get; set; } = new();

    [JsonPropertyName("throttling")]
    public ThrottlingStats Throttling { get; set; } = new();
}

/// <summary>CPU time in nanoseconds.</summary>
public sealed class CpuUsage
{
    [JsonPropertyName("total")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public ulong Total { get; set; }

    [JsonPropertyName("percpu")]
    public ulong[]? PerCpu { get; set; }

    [JsonPropertyName("percpu_kernel")]
    public ulong[]? PerCpuKernel { get; set; }

    [JsonPropertyName("percpu_user")]
    public ulong[]? PerCpuUser { get; set; }

    [JsonPropertyName("kernel")]
    public ulong Kernel { get; set; }

    [JsonPropertyName("user")]
    public ulong User { get; set; }
}

public sealed class ThrottlingStats
{
    [JsonPropertyName("periods")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public ulong Periods { get; set; }

    [JsonPropertyName("throttledPeriods")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public ulong ThrottledPeriods { get; set; }

    /// <summary>Nanoseconds.</summary>
    [JsonPropertyName("throttledTime")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public ulong ThrottledTime { get; set; }
}

public sealed class CpusetStats
{
    [JsonPropertyName("cpus")]
    public ushort[]? Cpus { get; set; }

    [JsonPropertyName("cpu_exclusive")]
    public ulong CpuExclusive { get; set; }

    [JsonPropertyName("mems")]
    public ushort[]? Mems { get; set; }

    [JsonPropertyName("mem_hardwall")]
    public ulong MemHardwall { get; set; }

    [JsonPropertyName("mem_exclusive")]
    public ulong MemExclusive { get; set; }

    [JsonPropertyName("memory_migrate")]
    public ulong MemoryMigrate { get; set; }

    [JsonPropertyName("memory_spread_page")]
    public ulong MemorySpreadPage { get; set; }

    [JsonPropertyName("memory_spread_slab")]
    public ulong MemorySpreadSlab { get; set; }

    [JsonPropertyName("memory_pressure")]
    public ulong MemoryPressure { get; set; }

    [JsonPropertyName("sched_load_balance")]
    public ulong SchedLoadBalance { get; set; }

    [JsonPropertyName("sched_relax_domain_level")]
    public long SchedRelaxDomainLevel { get; set; }
}

public sealed class MemoryStats
{
    [JsonPropertyName("cache")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public ulong Cache { get; set; }

    [JsonPropertyName("usage")]
    public MemoryEntry Usage { get; set; } = new();

    /// <summary>Memory plus swap, as v1 counts it (v2 numbers are added up to match).</summary>
    [JsonPropertyName("swap")]
    public MemoryEntry Swap { get; set; } = new();

    [JsonPropertyName("kernel")]
    public MemoryEntry Kernel { get; set; } = new();

    [JsonPropertyName("kernelTCP")]
    public MemoryEntry KernelTcp { get; set; } = new();

    /// <summary>memory.stat as it is; null when empty.</summary>
    [JsonPropertyName("raw")]
    public SortedDictionary<string, ulong>? Raw { get; set; }
}

/// <summary>Bytes; a limit of "max" is 2^64-1.</summary>
public sealed class MemoryEntry
{
    [JsonPropertyName("limit")]
    public ulong Limit { get; set; }

    [JsonPropertyName("usage")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public ulong Usage { get; set; }

    [JsonPropertyName("max")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public ulong Max { get; set; }

    [JsonPropertyName("failcnt")]
    public ulong Failcnt { get; set; }
}

public sealed class PidsStats
{
    [JsonPropertyName("current")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public ulong Current { get; set; }

    /// <summary>0 when there is no limit.</summary>
    [JsonPropertyName("limit")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public ulong Limit { get; set; }
}

/// <summary>Each list is null (left out) when the kernel reported nothing for it.</summary>
public sealed class BlkioStats
{
    [JsonPropertyName("ioServiceBytesRecursive")]
    public List<BlkioEntry>? IoServiceBytesRecursive { get; set; }

    [JsonPropertyName("ioServicedRecursive")]
    public List<BlkioEntry>? IoServicedRecursive { get; set; }

    [JsonPropertyName("ioQueueRecursive")]
    public List<BlkioEntry>? IoQueuedRecursive { get; set; }

    [JsonPropertyName("ioServiceTimeRecursive")]
    public List<BlkioEntry>? IoServiceTimeRecursive { get; set; }

    [JsonPropertyName("ioWaitTimeRecursive")]
    public List<BlkioEntry>? IoWaitTimeRecursive { get; set; }

    [JsonPropertyName("ioMergedRecursive")]
    public List<BlkioEntry>? IoMergedRecursive { get; set; }

    [JsonPropertyName("ioTimeRecursive")]
    public List<BlkioEntry>? IoTimeRecursive { get; set; }

    [JsonPropertyName("sectorsRecursive")]
    public List<BlkioEntry>? SectorsRecursive { get; set; }
}

public sealed class BlkioEntry
{
    [JsonPropertyName("major")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public ulong Major { get; set; }

    [JsonPropertyName("minor")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public ulong Minor { get; set; }

    [JsonPropertyName("op")]
    public string? Op { get; set; }

    [JsonPropertyName("value")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public ulong Value { get; set; }
}

public sealed class HugetlbStats
{
    [JsonPropertyName("usage")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public ulong Usage { get; set; }

    [JsonPropertyName("max")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public ulong Max { get; set; }

    [JsonPropertyName("failcnt")]
    public ulong Failcnt { get; set; }
}

public sealed class IntelRdtStats
{
}
