using Runcs.Runtime.Cgroups.Stats;

namespace Runcs.Runtime.Cgroups.V2;

/// <summary>
/// Reads a container's usage from cgroup v2 files into the shape runc reports,
/// translating as runc does: microseconds become nanoseconds, swap is reported
/// as memory+swap like v1, io.stat becomes v1's recursive byte and I/O counts.
/// A controller the cgroup does not have leaves its part empty.
/// </summary>
public static class V2Stats
{
    public static CgroupStats Read(string dir)
    {
        var stats = new CgroupStats();
        var cpu = CgroupFile.ReadKeyValues(dir, "cpu.stat");
        stats.Cpu.Usage.Total = cpu.GetValueOrDefault("usage_usec") * 1000;
        stats.Cpu.Usage.User = cpu.GetValueOrDefault("user_usec") * 1000;
        stats.Cpu.Usage.Kernel = cpu.GetValueOrDefault("system_usec") * 1000;
        stats.Cpu.Throttling.Periods = cpu.GetValueOrDefault("nr_periods");
        stats.Cpu.Throttling.ThrottledPeriods = cpu.GetValueOrDefault("nr_throttled");
        stats.Cpu.Throttling.ThrottledTime = cpu.GetValueOrDefault("throttled_usec") * 1000;

        stats.Cpuset.Cpus = StatsText.List(CgroupFile.Read(dir, "cpuset.cpus.effective"));
        stats.Cpuset.Mems = StatsText.List(CgroupFile.Read(dir, "cpuset.mems.effective"));

        if (CgroupFile.Exists(dir, "memory.current"))
            ReadMemory(dir, stats.Memory);
        if (CgroupFile.Exists(dir, "pids.current"))
        {
            stats.Pids.Current = CgroupFile.ReadNumber(dir, "pids.current");
            var max = CgroupFile.ReadNumber(dir, "pids.max");
            stats.Pids.Limit = max == ulong.MaxValue ? 0 : max;
        }
        ReadIo(dir, stats.Blkio);
        ReadHugetlb(dir, stats.Hugetlb);
        return stats;
    }

    /// <summary>Per page size: hugetlb.2MB.current, and the times the limit was hit from hugetlb.2MB.events.</summary>
    public static void ReadHugetlb(string dir, IDictionary<string, HugetlbStats> hugetlb)
    {
        foreach (var size in HugePages.SizesOnHost())
        {
            if (!CgroupFile.Exists(dir, $"hugetlb.{size}.current"))
                continue;
            hugetlb[size] = new HugetlbStats
            {
                Usage = CgroupFile.ReadNumber(dir, $"hugetlb.{size}.current"),
                Failcnt = CgroupFile.ReadKeyValues(dir, $"hugetlb.{size}.events").GetValueOrDefault("max"),
            };
        }
    }

    private static void ReadMemory(string dir, MemoryStats memory)
    {
        var raw = CgroupFile.ReadKeyValues(dir, "memory.stat");
        memory.Raw = raw.Count > 0 ? new SortedDictionary<string, ulong>(raw, StringComparer.Ordinal) : null;
        memory.Cache = raw.GetValueOrDefault("file");
        memory.Usage = new MemoryEntry
        {
            Usage = CgroupFile.ReadNumber(dir, "memory.current"),
            Limit = CgroupFile.ReadNumber(dir, "memory.max"),
            Max = CgroupFile.ReadNumber(dir, "memory.peak"),
            Failcnt = CgroupFile.ReadKeyValues(dir, "memory.events").GetValueOrDefault("max"),
        };
        if (CgroupFile.Exists(dir, "memory.swap.current"))
        {
            var swapLimit = CgroupFile.ReadNumber(dir, "memory.swap.max");
            memory.Swap = new MemoryEntry
            {
                Usage = CgroupFile.ReadNumber(dir, "memory.swap.current") + memory.Usage.Usage,
                Limit = swapLimit == ulong.MaxValue || memory.Usage.Limit == ulong.MaxValue ? ulong.MaxValue : swapLimit + memory.Usage.Limit,
                Failcnt = CgroupFile.ReadKeyValues(dir, "memory.swap.events").GetValueOrDefault("max"),
            };
        }
    }

    /// <summary>io.stat lines: "8:0 rbytes=… wbytes=… rios=… wios=… dbytes=… dios=…".</summary>
    private static void ReadIo(string dir, BlkioStats blkio)
    {
        var bytes = new List<BlkioEntry>();
        var ios = new List<BlkioEntry>();
        foreach (var line in (CgroupFile.Read(dir, "io.stat") ?? "").Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (fields.Length == 0 || !StatsText.TryDevice(fields[0], out var major, out var minor))
                continue;
            foreach (var field in fields.Skip(1))
            {
                var kv = field.Split('=', 2);
                if (kv.Length != 2 || !ulong.TryParse(kv[1], out var value))
                    continue;
                var (list, op) = kv[0] switch
                {
                    "rbytes" => (bytes, "Read"),
                    "wbytes" => (bytes, "Write"),
                    "rios" => (ios, "Read"),
                    "wios" => (ios, "Write"),
                    _ => (null, ""),
                };
                list?.Add(new BlkioEntry { Major = major, Minor = minor, Op = op, Value = value });
            }
        }
        blkio.IoServiceBytesRecursive = bytes.Count > 0 ? bytes : null;
        blkio.IoServicedRecursive = ios.Count > 0 ? ios : null;
    }
}
