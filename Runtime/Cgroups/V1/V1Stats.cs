using Runcs.Runtime.Cgroups.Stats;

namespace Runcs.Runtime.Cgroups.V1;

/// <summary>Reads a container's usage from the v1 controllers, field by field as runc reports them.</summary>
public static class V1Stats
{
    /// <summary>cpuacct.stat counts in USER_HZ ticks, which Linux fixes at 100 per second.</summary>
    private const ulong NanosecondsPerTick = 1_000_000_000 / 100;

    public static CgroupStats Read(Func<string, string?> dirOf, IReadOnlyList<string> hugePageSizes)
    {
        var stats = new CgroupStats();
        if (dirOf("cpuacct") is { } cpuacct)
            ReadCpuUsage(cpuacct, stats.Cpu.Usage);
        if (dirOf("cpu") is { } cpu)
        {
            var cpuStat = CgroupFile.ReadKeyValues(cpu, "cpu.stat");
            stats.Cpu.Throttling.Periods = cpuStat.GetValueOrDefault("nr_periods");
            stats.Cpu.Throttling.ThrottledPeriods = cpuStat.GetValueOrDefault("nr_throttled");
            stats.Cpu.Throttling.ThrottledTime = cpuStat.GetValueOrDefault("throttled_time");
        }
        if (dirOf("cpuset") is { } cpuset)
            ReadCpuset(cpuset, stats.Cpuset);
        if (dirOf("memory") is { } memory)
            ReadMemory(memory, stats.Memory);
        if (dirOf("pids") is { } pids)
        {
            stats.Pids.Current = CgroupFile.ReadNumber(pids, "pids.current");
            stats.Pids.Limit = LimitOrZero(CgroupFile.ReadNumber(pids, "pids.max"));
        }
        if (dirOf("blkio") is { } blkio)
            ReadBlkio(blkio, stats.Blkio);
        if (dirOf("hugetlb") is { } hugetlb)
        {
            foreach (var size in hugePageSizes)
            {
                stats.Hugetlb[size] = new HugetlbStats
                {
                    Usage = CgroupFile.ReadNumber(hugetlb, $"hugetlb.{size}.usage_in_bytes"),
                    Max = CgroupFile.ReadNumber(hugetlb, $"hugetlb.{size}.max_usage_in_bytes"),
                    Failcnt = CgroupFile.ReadNumber(hugetlb, $"hugetlb.{size}.failcnt"),
                };
            }
        }
        return stats;
    }

    private static void ReadCpuUsage(string dir, CpuUsage usage)
    {
        usage.Total = CgroupFile.ReadNumber(dir, "cpuacct.usage");
        usage.PerCpu = StatsText.Numbers(CgroupFile.Read(dir, "cpuacct.usage_percpu"));
        usage.PerCpuKernel = StatsText.Numbers(CgroupFile.Read(dir, "cpuacct.usage_percpu_sys"));
        usage.PerCpuUser = StatsText.Numbers(CgroupFile.Read(dir, "cpuacct.usage_percpu_user"));
        var ticks = CgroupFile.ReadKeyValues(dir, "cpuacct.stat");
        usage.User = ticks.GetValueOrDefault("user") * NanosecondsPerTick;
        usage.Kernel = ticks.GetValueOrDefault("system") * NanosecondsPerTick;
    }

    private static void ReadCpuset(string dir, CpusetStats cpuset)
    {
        cpuset.Cpus = StatsText.List(CgroupFile.Read(dir, "cpuset.cpus"));
        cpuset.Mems = StatsText.List(CgroupFile.Read(dir, "cpuset.mems"));
        cpuset.CpuExclusive = CgroupFile.ReadNumber(dir, "cpuset.cpu_exclusive");
        cpuset.MemHardwall = CgroupFile.ReadNumber(dir, "cpuset.mem_hardwall");
        cpuset.MemExclusive = CgroupFile.ReadNumber(dir, "cpuset.mem_exclusive");
        cpuset.MemoryMigrate = CgroupFile.ReadNumber(dir, "cpuset.memory_migrate");
        cpuset.MemorySpreadPage = CgroupFile.ReadNumber(dir, "cpuset.memory_spread_page");
        cpuset.MemorySpreadSlab = CgroupFile.ReadNumber(dir, "cpuset.memory_spread_slab");
        cpuset.MemoryPressure = CgroupFile.ReadNumber(dir, "cpuset.memory_pressure");
        cpuset.SchedLoadBalance = CgroupFile.ReadNumber(dir, "cpuset.sched_load_balance");
        cpuset.SchedRelaxDomainLevel = long.TryParse(CgroupFile.Read(dir, "cpuset.sched_relax_domain_level")?.Trim(), out var level) ? level : 0;
    }

    private static void ReadMemory(string dir, MemoryStats memory)
    {
        var raw = CgroupFile.ReadKeyValues(dir, "memory.stat");
        memory.Raw = raw.Count > 0 ? new SortedDictionary<string, ulong>(raw, StringComparer.Ordinal) : null;
        memory.Cache = raw.GetValueOrDefault("cache");
        memory.Usage = Entry(dir, "memory");
        memory.Swap = Entry(dir, "memory.memsw");
        memory.Kernel = Entry(dir, "memory.kmem");
        memory.KernelTcp = Entry(dir, "memory.kmem.tcp");
    }

    private static MemoryEntry Entry(string dir, string prefix) => new()
    {
        Limit = CgroupFile.ReadNumber(dir, prefix + ".limit_in_bytes"),
        Usage = CgroupFile.ReadNumber(dir, prefix + ".usage_in_bytes"),
        Max = CgroupFile.ReadNumber(dir, prefix + ".max_usage_in_bytes"),
        Failcnt = CgroupFile.ReadNumber(dir, prefix + ".failcnt"),
    };

    /// <summary>CFQ's recursive counters when the kernel has them, else BFQ's, else the throttling layer's (which counts every I/O).</summary>
    private static void ReadBlkio(string dir, BlkioStats blkio)
    {
        if (CgroupFile.Exists(dir, "blkio.io_service_bytes_recursive"))
        {
            blkio.IoServiceBytesRecursive = StatsText.BlkioEntries(CgroupFile.Read(dir, "blkio.io_service_bytes_recursive"));
            blkio.IoServicedRecursive = StatsText.BlkioEntries(CgroupFile.Read(dir, "blkio.io_serviced_recursive"));
            blkio.IoQueuedRecursive = StatsText.BlkioEntries(CgroupFile.Read(dir, "blkio.io_queued_recursive"));
            blkio.IoServiceTimeRecursive = StatsText.BlkioEntries(CgroupFile.Read(dir, "blkio.io_service_time_recursive"));
            blkio.IoWaitTimeRecursive = StatsText.BlkioEntries(CgroupFile.Read(dir, "blkio.io_wait_time_recursive"));
            blkio.IoMergedRecursive = StatsText.BlkioEntries(CgroupFile.Read(dir, "blkio.io_merged_recursive"));
            blkio.IoTimeRecursive = StatsText.BlkioEntries(CgroupFile.Read(dir, "blkio.time_recursive"));
            blkio.SectorsRecursive = StatsText.BlkioEntries(CgroupFile.Read(dir, "blkio.sectors_recursive"));
            return;
        }
        var prefix = CgroupFile.Exists(dir, "blkio.bfq.io_service_bytes_recursive") ? "blkio.bfq." : "blkio.throttle.";
        blkio.IoServiceBytesRecursive = StatsText.BlkioEntries(CgroupFile.Read(dir, prefix + "io_service_bytes_recursive"));
        blkio.IoServicedRecursive = StatsText.BlkioEntries(CgroupFile.Read(dir, prefix + "io_serviced_recursive"));
    }

    private static ulong LimitOrZero(ulong limit) => limit == ulong.MaxValue ? 0 : limit;
}
