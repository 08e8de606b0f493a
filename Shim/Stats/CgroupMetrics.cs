using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Runcs.Runtime.Cgroups;
using V1 = Runcs.Shim.Api.CgroupsV1;
using V2 = Runcs.Shim.Api.CgroupsV2;

namespace Runcs.Shim.Stats;

/// <summary>
/// A container's statistics in containerd's types, for Stats (`ctr task
/// metrics`): io.containerd.cgroups.v1.Metrics on v1 and hybrid hosts (as
/// containerd reads a hybrid host), io.containerd.cgroups.v2.Metrics on
/// pure v2 hosts.
/// </summary>
public static class CgroupMetrics
{
    /// <summary>User-space clock ticks (USER_HZ) in nanoseconds: cpuacct.stat counts in ticks.</summary>
    private const ulong NanosecondsPerTick = 10_000_000;

    public static Any Read(string mode, IReadOnlyDictionary<string, string> paths) =>
        mode == nameof(CgroupMode.V2)
            ? Pack("io.containerd.cgroups.v2.Metrics", ReadV2(paths["unified"]))
            : Pack("io.containerd.cgroups.v1.Metrics", ReadV1(paths));

    /// <summary>Named by hand rather than through message.Descriptor, whose reflection data a shim would keep for life.</summary>
    private static Any Pack(string typeName, IMessage message) => new() { TypeUrl = typeName, Value = message.ToByteString() };

    public static V1.Metrics ReadV1(IReadOnlyDictionary<string, string> paths)
    {
        var metrics = new V1.Metrics();
        if (Controller(paths, "pids") is { } pids)
            metrics.Pids = new V1.PidsStat { Current = CgroupFiles.Number(pids, "pids.current"), Limit = CgroupFiles.Number(pids, "pids.max") };
        if (Controller(paths, "cpuacct") is { } cpuacct)
        {
            var stat = CgroupFiles.KeyValues(cpuacct, "cpuacct.stat");
            var usage = new V1.CPUUsage
            {
                Total = CgroupFiles.Number(cpuacct, "cpuacct.usage"),
                User = stat.GetValueOrDefault("user") * NanosecondsPerTick,
                Kernel = stat.GetValueOrDefault("system") * NanosecondsPerTick,
            };
            usage.PerCpu.Add(CgroupFiles.Numbers(cpuacct, "cpuacct.usage_percpu"));
            metrics.Cpu = new V1.CPUStat { Usage = usage };
            if (Controller(paths, "cpu") is { } cpu)
            {
                var throttling = CgroupFiles.KeyValues(cpu, "cpu.stat");
                metrics.Cpu.Throttling = new V1.Throttle
                {
                    Periods = throttling.GetValueOrDefault("nr_periods"),
                    ThrottledPeriods = throttling.GetValueOrDefault("nr_throttled"),
                    ThrottledTime = throttling.GetValueOrDefault("throttled_time"),
                };
            }
        }
        if (Controller(paths, "memory") is { } memory)
        {
            metrics.Memory = MemoryV1(memory);
            var oom = CgroupFiles.KeyValues(memory, "memory.oom_control");
            metrics.MemoryOomControl = new V1.MemoryOomControl
            {
                OomKillDisable = oom.GetValueOrDefault("oom_kill_disable"),
                UnderOom = oom.GetValueOrDefault("under_oom"),
                OomKill = oom.GetValueOrDefault("oom_kill"),
            };
        }
        return metrics;
    }

    private static V1.MemoryStat MemoryV1(string dir)
    {
        var s = CgroupFiles.KeyValues(dir, "memory.stat");
        ulong Get(string key) => s.GetValueOrDefault(key);
        return new V1.MemoryStat
        {
            Cache = Get("cache"), Rss = Get("rss"), RssHuge = Get("rss_huge"), MappedFile = Get("mapped_file"),
            Dirty = Get("dirty"), Writeback = Get("writeback"), PgPgIn = Get("pgpgin"), PgPgOut = Get("pgpgout"),
            PgFault = Get("pgfault"), PgMajFault = Get("pgmajfault"), InactiveAnon = Get("inactive_anon"),
            ActiveAnon = Get("active_anon"), InactiveFile = Get("inactive_file"), ActiveFile = Get("active_file"),
            Unevictable = Get("unevictable"), HierarchicalMemoryLimit = Get("hierarchical_memory_limit"),
            HierarchicalSwapLimit = Get("hierarchical_memsw_limit"), TotalCache = Get("total_cache"),
            TotalRss = Get("total_rss"), TotalRssHuge = Get("total_rss_huge"), TotalMappedFile = Get("total_mapped_file"),
            TotalDirty = Get("total_dirty"), TotalWriteback = Get("total_writeback"), TotalPgPgIn = Get("total_pgpgin"),
            TotalPgPgOut = Get("total_pgpgout"), TotalPgFault = Get("total_pgfault"), TotalPgMajFault = Get("total_pgmajfault"),
            TotalInactiveAnon = Get("total_inactive_anon"), TotalActiveAnon = Get("total_active_anon"),
            TotalInactiveFile = Get("total_inactive_file"), TotalActiveFile = Get("total_active_file"),
            TotalUnevictable = Get("total_unevictable"),
            Usage = MemoryEntryV1(dir, "memory."),
            Swap = MemoryEntryV1(dir, "memory.memsw."),
            Kernel = MemoryEntryV1(dir, "memory.kmem."),
            KernelTcp = MemoryEntryV1(dir, "memory.kmem.tcp."),
        };
    }

    private static V1.MemoryEntry MemoryEntryV1(string dir, string prefix) => new()
    {
        Usage = CgroupFiles.Number(dir, prefix + "usage_in_bytes"),
        Limit = CgroupFiles.Number(dir, prefix + "limit_in_bytes"),
        Max = CgroupFiles.Number(dir, prefix + "max_usage_in_bytes"),
        Failcnt = CgroupFiles.Number(dir, prefix + "failcnt"),
    };

    public static V2.Metrics ReadV2(string dir)
    {
        var cpu = CgroupFiles.KeyValues(dir, "cpu.stat");
        var mem = CgroupFiles.KeyValues(dir, "memory.stat");
        var events = CgroupFiles.KeyValues(dir, "memory.events");
        ulong Get(string key) => mem.GetValueOrDefault(key);
        return new V2.Metrics
        {
            Pids = new V2.PidsStat { Current = CgroupFiles.Number(dir, "pids.current"), Limit = CgroupFiles.Number(dir, "pids.max") },
            Cpu = new V2.CPUStat
            {
                UsageUsec = cpu.GetValueOrDefault("usage_usec"), UserUsec = cpu.GetValueOrDefault("user_usec"),
                SystemUsec = cpu.GetValueOrDefault("system_usec"), NrPeriods = cpu.GetValueOrDefault("nr_periods"),
                NrThrottled = cpu.GetValueOrDefault("nr_throttled"), ThrottledUsec = cpu.GetValueOrDefault("throttled_usec"),
            },
            Memory = new V2.MemoryStat
            {
                Anon = Get("anon"), File = Get("file"), KernelStack = Get("kernel_stack"), Slab = Get("slab"), Sock = Get("sock"),
                Shmem = Get("shmem"), FileMapped = Get("file_mapped"), FileDirty = Get("file_dirty"), FileWriteback = Get("file_writeback"),
                AnonThp = Get("anon_thp"), InactiveAnon = Get("inactive_anon"), ActiveAnon = Get("active_anon"),
                InactiveFile = Get("inactive_file"), ActiveFile = Get("active_file"), Unevictable = Get("unevictable"),
                SlabReclaimable = Get("slab_reclaimable"), SlabUnreclaimable = Get("slab_unreclaimable"), Pgfault = Get("pgfault"),
                Pgmajfault = Get("pgmajfault"), WorkingsetRefault = Get("workingset_refault"), WorkingsetActivate = Get("workingset_activate"),
                WorkingsetNodereclaim = Get("workingset_nodereclaim"), Pgrefill = Get("pgrefill"), Pgscan = Get("pgscan"),
                Pgsteal = Get("pgsteal"), Pgactivate = Get("pgactivate"), Pgdeactivate = Get("pgdeactivate"), Pglazyfree = Get("pglazyfree"),
                Pglazyfreed = Get("pglazyfreed"), ThpFaultAlloc = Get("thp_fault_alloc"), ThpCollapseAlloc = Get("thp_collapse_alloc"),
                Usage = CgroupFiles.Number(dir, "memory.current"), UsageLimit = CgroupFiles.Number(dir, "memory.max"),
                SwapUsage = CgroupFiles.Number(dir, "memory.swap.current"), SwapLimit = CgroupFiles.Number(dir, "memory.swap.max"),
                MaxUsage = CgroupFiles.Number(dir, "memory.peak"), SwapMaxUsage = CgroupFiles.Number(dir, "memory.swap.peak"),
            },
            MemoryEvents = new V2.MemoryEvents
            {
                Low = events.GetValueOrDefault("low"), High = events.GetValueOrDefault("high"), Max = events.GetValueOrDefault("max"),
                Oom = events.GetValueOrDefault("oom"), OomKill = events.GetValueOrDefault("oom_kill"),
            },
        };
    }

    /// <summary>The v1 hierarchy that has this controller ("cpu,cpuacct" has cpuacct).</summary>
    private static string? Controller(IReadOnlyDictionary<string, string> paths, string controller) =>
        paths.FirstOrDefault(p => p.Key.Split(',').Contains(controller)).Value;
}
