using Runcs.Runtime.Cgroups.Bpf;
using Runcs.Runtime.Cgroups.Devices;
using Runcs.Spec;

namespace Runcs.Runtime.Cgroups.V2;

/// <summary>
/// Writes linux.resources on cgroup v2, converting v1-style values the way
/// runc and crun do (shares → cpu.weight, memory+swap → memory.swap.max,
/// blkio weight → io.weight), in runc's order, with `unified` last. A field
/// v2 has no knob for is a warning when the host only loses a tuning (kernel
/// memory, swappiness, net_cls) and an error when a limit would silently not
/// hold (realtime CPU time).
/// </summary>
public static class V2Resources
{
    public static void Apply(string dir, LinuxResources r, ApplyOptions options)
    {
        var available = V2Controllers.Available(dir);
        string Require(string controller, string field) => available.Contains(controller)
            ? dir
            : throw ResourceField.Error(field, $"the {controller} controller is not available in {dir} (available: {(available.Count == 0 ? "none" : string.Join(' ', available.Order()))})");

        if (r.Pids?.Limit is { } pids)
            CgroupFile.Write(Require("pids", "pids.limit"), "pids.max", CgroupValues.PidsMax(pids), "pids.limit");
        if (r.Memory is { } memory)
            ApplyMemory(Require("memory", "memory"), memory, options);
        if (r.BlockIo is { } io)
            V2BlockIo.Apply(Require("io", "blockIO"), io, options.Warn);
        if (r.Cpu is { } cpu)
            ApplyCpu(dir, cpu, Require);
        if (!options.IsUpdate)
            options.AttachDeviceProgram(dir, DeviceFilterProgram.Build(DeviceCgroupModel.From(ContainerDeviceRules.For(r, options.ConfigDevices))));
        if (r.Cpu is { } cpuset && (!string.IsNullOrEmpty(cpuset.Cpus) || !string.IsNullOrEmpty(cpuset.Mems)))
        {
            var cpusetDir = Require("cpuset", "cpu.cpus");
            if (!string.IsNullOrEmpty(cpuset.Cpus))
                CgroupFile.Write(cpusetDir, "cpuset.cpus", cpuset.Cpus, "cpu.cpus");
            if (!string.IsNullOrEmpty(cpuset.Mems))
                CgroupFile.Write(cpusetDir, "cpuset.mems", cpuset.Mems, "cpu.mems");
        }
        for (int i = 0; i < (r.HugepageLimits?.Count ?? 0); i++)
            HugePages.WriteLimit(Require("hugetlb", $"hugepageLimits[{i}]"), r.HugepageLimits![i], $"hugepageLimits[{i}]", v2: true);
        foreach (var (device, limits) in r.Rdma ?? [])
            CgroupFile.Write(Require("rdma", "rdma." + device), "rdma.max", CgroupValues.RdmaMax(device, limits), "rdma." + device);
        if (r.Network is { ClassId: not null } or { Priorities.Count: > 0 })
            options.Warn($"{ResourceField.Path("network")} is ignored: cgroup v2 has no net_cls or net_prio controller");
        if (r.Unified is { Count: > 0 } unified)
            UnifiedFiles.Write(dir, unified);
    }

    private static void ApplyMemory(string dir, LinuxMemory memory, ApplyOptions options)
    {
        long limit = memory.Limit ?? 0, swap = memory.Swap ?? 0;
        // v1 refuses a limit below usage; v2 would OOM-kill instead. checkBeforeUpdate asks for v1's behaviour.
        if (options.IsUpdate && memory.CheckBeforeUpdate == true && limit > 0)
        {
            var usage = CgroupFile.ReadNumber(dir, "memory.current");
            if ((ulong)limit < usage)
                throw ResourceField.Error("memory.limit", $"rejecting memory limit {limit} below current usage {usage} (memory.checkBeforeUpdate)");
        }
        if (CgroupValues.V2SwapMax(limit, swap) is { } swapMax)
        {
            if (CgroupFile.Exists(dir, "memory.swap.max"))
                CgroupFile.Write(dir, "memory.swap.max", swapMax, "memory.swap");
            else if (swapMax != "max" && swapMax != "0")
                throw ResourceField.Error("memory.swap", "this kernel does not account swap (no memory.swap.max)");
        }
        if (limit != 0)
            CgroupFile.Write(dir, "memory.max", CgroupValues.V2Size(limit), "memory.limit");
        if (memory.Reservation is { } reservation && reservation != 0)
            CgroupFile.Write(dir, "memory.low", CgroupValues.V2Size(reservation), "memory.reservation");

        void Ignored(string field, string why) => options.Warn($"{ResourceField.Path("memory." + field)} is ignored: {why}");
        if (memory.Kernel is not (null or 0))
            Ignored("kernel", "cgroup v2 counts kernel memory in memory.max");
        if (memory.KernelTcp is not (null or 0))
            Ignored("kernelTCP", "cgroup v2 counts kernel TCP buffers in memory.max");
        if (memory.Swappiness is not null)
            Ignored("swappiness", "cgroup v2 has no per-cgroup swappiness");
        if (memory.DisableOomKiller == true)
            Ignored("disableOOMKiller", "cgroup v2 cannot turn the OOM killer off");
        if (memory.UseHierarchy == false)
            Ignored("useHierarchy", "cgroup v2 always accounts hierarchically");
    }

    private static void ApplyCpu(string dir, LinuxCpu cpu, Func<string, string, string> require)
    {
        if (cpu.RealtimeRuntime is not (null or 0) || cpu.RealtimePeriod is not (null or 0))
            throw ResourceField.Error(cpu.RealtimeRuntime is not (null or 0) ? "cpu.realtimeRuntime" : "cpu.realtimePeriod", "cgroup v2 has no realtime CPU bandwidth control");
        if (cpu.Idle is { } idle)
            CgroupFile.Write(require("cpu", "cpu.idle"), "cpu.idle", idle.ToString(), "cpu.idle");
        if (cpu.Shares is { } shares && shares != 0)
            CgroupFile.Write(require("cpu", "cpu.shares"), "cpu.weight", CgroupValues.SharesToWeight(shares).ToString(), "cpu.shares");
        long quota = cpu.Quota ?? 0;
        ulong period = cpu.Period ?? 0;
        bool burstPending = false;
        if (cpu.Burst is { } burst)
        {
            // Refused (EINVAL) while the old quota is lower: retry after cpu.max, as for v1.
            int errno = CgroupFile.TryWrite(require("cpu", "cpu.burst"), "cpu.max.burst", burst.ToString());
            burstPending = errno == Tmds.Linux.LibC.EINVAL && quota != 0;
            if (errno != 0 && !burstPending)
                throw CgroupFile.WriteFailed(dir, "cpu.max.burst", burst.ToString(), "cpu.burst", errno);
        }
        if (quota != 0 || period != 0)
        {
            // cpu.max holds both: "$MAX $PERIOD", with the kernel's default period when none is given.
            var max = (quota > 0 ? quota.ToString() : "max") + " " + (period != 0 ? period : 100000);
            CgroupFile.Write(require("cpu", quota != 0 ? "cpu.quota" : "cpu.period"), "cpu.max", max, quota != 0 ? "cpu.quota" : "cpu.period");
        }
        if (burstPending)
            CgroupFile.Write(dir, "cpu.max.burst", cpu.Burst!.Value.ToString(), "cpu.burst");
    }
}
