using Runcs.Spec;

namespace Runcs.Runtime.Cgroups;

/// <summary>
/// Checks linux.resources before any cgroup is made, so that a limit the
/// kernel would refuse, or worse accept and misread, fails up front with the
/// field's name: negative sizes other than -1, values outside the ranges the
/// kernel documents, CPUs and memory nodes the host does not have, huge page
/// sizes it does not offer. What only the kernel can judge (a limit below
/// current usage, a controller's own rules) is left to the write, whose error
/// also names the field.
/// </summary>
public static class ResourceValidation
{
    // Kernel limits, from kernel/sched (MIN_SHARES, MAX_SHARES, min_cfs_quota_period, max_cfs_quota_period) and block/ (CFQ/BFQ weights).
    private const ulong MinShares = 2, MaxShares = 262144;
    private const long MinCfsMicros = 1000, MaxCfsPeriod = 1000000;
    private const int MinBlkioWeight = 10, MaxBlkioWeight = 1000;

    public static void Check(LinuxResources? resources, CgroupHost host)
    {
        if (resources is null)
            return;
        CheckMemory(resources.Memory);
        CheckCpu(resources.Cpu, host);
        if (resources.Pids?.Limit is < -1 and var pids)
            throw Error("pids.limit", $"{pids} is not a number of tasks (use -1 for no limit)");
        CheckBlockIo(resources.BlockIo);
        CheckHugePages(resources.HugepageLimits, host);
        CheckDevices(resources.Devices);
        for (int i = 0; i < (resources.Network?.Priorities?.Count ?? 0); i++)
            if (string.IsNullOrEmpty(resources.Network!.Priorities![i].Name))
                throw Error($"network.priorities[{i}].name", "must name a network interface");
        foreach (var (device, limits) in resources.Rdma ?? [])
            if (limits.HcaHandles is null && limits.HcaObjects is null)
                throw Error($"rdma.{device}", "needs hcaHandles or hcaObjects");
    }

    private static void CheckMemory(LinuxMemory? memory)
    {
        if (memory is null)
            return;
        foreach (var (field, value) in new[] { ("limit", memory.Limit), ("reservation", memory.Reservation), ("swap", memory.Swap), ("kernel", memory.Kernel), ("kernelTCP", memory.KernelTcp) })
            if (value < -1)
                throw Error("memory." + field, $"{value} is not a number of bytes (use -1 for no limit)");
        if (memory.Swappiness > 100)
            throw Error("memory.swappiness", $"invalid memory swappiness value: {memory.Swappiness} (valid range is 0-100)");
        if (memory.Swap > 0)
        {
            if (memory.Limit is null or 0)
                throw Error("memory.swap", "needs memory.limit: a memory+swap limit is counted from it");
            if (memory.Limit > 0 && memory.Swap < memory.Limit)
                throw Error("memory.swap", $"memory+swap limit {memory.Swap} is below the memory limit {memory.Limit}");
        }
    }

    private static void CheckCpu(LinuxCpu? cpu, CgroupHost host)
    {
        if (cpu is null)
            return;
        if (cpu.Shares is { } shares && shares != 0 && shares is < MinShares or > MaxShares)
            throw Error("cpu.shares", $"{shares} is outside the range the kernel allows ({MinShares} to {MaxShares})");
        if (cpu.Quota is { } quota && (quota < -1 || quota is > 0 and < MinCfsMicros))
            throw Error("cpu.quota", $"{quota} is not a CPU time: use -1 for no limit, or at least {MinCfsMicros} microseconds");
        if (cpu.Period is { } period && period != 0 && period is < MinCfsMicros or > MaxCfsPeriod)
            throw Error("cpu.period", $"{period} is outside the range the kernel allows ({MinCfsMicros} to {MaxCfsPeriod} microseconds)");
        if (cpu.Burst is { } burst && cpu.Quota is > 0 and var q && burst > (ulong)q)
            throw Error("cpu.burst", $"{burst} is larger than cpu.quota {q}");
        if (cpu.RealtimeRuntime is < -1 and var runtime)
            throw Error("cpu.realtimeRuntime", $"{runtime} is not a CPU time (use -1 for no limit)");
        if (cpu.RealtimeRuntime is > 0 and var rt && cpu.RealtimePeriod is > 0 and var rtPeriod && (ulong)rt > rtPeriod)
            throw Error("cpu.realtimeRuntime", $"{rt} is longer than cpu.realtimePeriod {rtPeriod}");
        if (cpu.Idle is { } idle && idle is not (0 or 1))
            throw Error("cpu.idle", $"{idle} must be 0 or 1");
        CheckList("cpu.cpus", cpu.Cpus, host.OnlineCpus, "CPUs");
        CheckList("cpu.mems", cpu.Mems, host.OnlineMems, "memory nodes");
    }

    private static void CheckList(string field, string? text, IReadOnlySet<int> online, string what)
    {
        if (string.IsNullOrEmpty(text))
            return;
        var list = CpuList.Parse(text) ?? throw Error(field, $"\"{text}\" is not a list like \"0-3,7\"");
        var missing = list.Where(n => !online.Contains(n)).ToList();
        if (missing.Count > 0)
            throw Error(field, $"\"{text}\" names {what} this host does not have ({CpuList.Format(missing)}; online: {CpuList.Format(online)})");
    }

    private static void CheckBlockIo(LinuxBlockIo? io)
    {
        if (io is null)
            return;
        CheckWeight("blockIO.weight", io.Weight);
        CheckWeight("blockIO.leafWeight", io.LeafWeight);
        for (int i = 0; i < (io.WeightDevice?.Count ?? 0); i++)
        {
            var device = io.WeightDevice![i];
            var field = $"blockIO.weightDevice[{i}]";
            CheckDeviceNumbers(field, device.Major, device.Minor);
            if (device.Weight is null && device.LeafWeight is null)
                throw Error(field, "needs weight or leafWeight");
            CheckWeight(field + ".weight", device.Weight);
            CheckWeight(field + ".leafWeight", device.LeafWeight);
        }
        foreach (var (name, list) in new[] { ("throttleReadBpsDevice", io.ThrottleReadBpsDevice), ("throttleWriteBpsDevice", io.ThrottleWriteBpsDevice), ("throttleReadIOPSDevice", io.ThrottleReadIopsDevice), ("throttleWriteIOPSDevice", io.ThrottleWriteIopsDevice) })
            for (int i = 0; i < (list?.Count ?? 0); i++)
                CheckDeviceNumbers($"blockIO.{name}[{i}]", list![i].Major, list[i].Minor);
    }

    private static void CheckWeight(string field, ushort? weight)
    {
        if (weight is { } w && w != 0 && w is < MinBlkioWeight or > MaxBlkioWeight)
            throw Error(field, $"{w} is outside the range of block I/O weights ({MinBlkioWeight} to {MaxBlkioWeight})");
    }

    private static void CheckDeviceNumbers(string field, long major, long minor)
    {
        if (major < 0 || major > int.MaxValue)
            throw Error(field + ".major", $"{major} is not a device number");
        if (minor < 0 || minor > int.MaxValue)
            throw Error(field + ".minor", $"{minor} is not a device number");
    }

    private static void CheckHugePages(List<LinuxHugepageLimit>? limits, CgroupHost host)
    {
        for (int i = 0; i < (limits?.Count ?? 0); i++)
        {
            var size = limits![i].PageSize;
            if (!host.HugePageSizes.Contains(size))
                throw Error($"hugepageLimits[{i}].pageSize", $"this host has no \"{size}\" huge pages (it has: {(host.HugePageSizes.Count == 0 ? "none" : string.Join(", ", host.HugePageSizes))})");
        }
    }

    private static void CheckDevices(List<LinuxDeviceCgroup>? rules)
    {
        for (int i = 0; i < (rules?.Count ?? 0); i++)
        {
            // -1, like an absent number, means any device (runc reads it so).
            if (rules![i].Major is < -1 or > int.MaxValue)
                throw Error($"devices[{i}].major", $"{rules[i].Major} is not a device number");
            if (rules[i].Minor is < -1 or > int.MaxValue)
                throw Error($"devices[{i}].minor", $"{rules[i].Minor} is not a device number");
        }
    }

    private static RuntimeException Error(string field, string message) => ResourceField.Error(field, message);
}
