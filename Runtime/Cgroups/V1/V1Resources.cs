using Runcs.Runtime.Cgroups.Bpf;
using Runcs.Runtime.Cgroups.Devices;
using Runcs.Runtime.Cgroups.V2;
using Runcs.Spec;

namespace Runcs.Runtime.Cgroups.V1;

/// <summary>
/// Writes linux.resources on a v1 (or hybrid) host, one controller after the
/// other in runc's order. Each controller is its own hierarchy; a field whose
/// controller the host does not mount is an error, never a limit silently
/// dropped. On a hybrid host, `unified` keys go to the container's cgroup in
/// the v2 hierarchy, and so do pids, hugetlb and rdma limits when no v1
/// hierarchy holds those controllers.
/// </summary>
public sealed class V1Resources(Func<string, string?> dirOf, string? unifiedDir)
{
    public void Apply(LinuxResources r, ApplyOptions options)
    {
        if (r.Cpu is { } cpu && (!string.IsNullOrEmpty(cpu.Cpus) || !string.IsNullOrEmpty(cpu.Mems)))
            V1Cpu.ApplyCpuset(Require("cpuset", "cpu.cpus"), cpu);
        if (!options.IsUpdate)
            ApplyDevices(r, options);
        if (r.Memory is { } memory)
            V1Memory.Apply(Require("memory", "memory"), memory, options.Warn);
        if (r.Cpu is { } cpuBandwidth && HasCpuBandwidth(cpuBandwidth))
            V1Cpu.Apply(Require("cpu", "cpu"), cpuBandwidth);
        if (r.Pids?.Limit is { } pids)
            CgroupFile.Write(RequireV1OrV2("pids", "pids.limit").Dir, "pids.max", CgroupValues.PidsMax(pids), "pids.limit");
        if (r.BlockIo is { } io)
            V1BlockIo.Apply(Require("blkio", "blockIO"), io);
        for (int i = 0; i < (r.HugepageLimits?.Count ?? 0); i++)
        {
            var (dir, v2) = RequireV1OrV2("hugetlb", "hugepageLimits");
            HugePages.WriteLimit(dir, r.HugepageLimits![i], $"hugepageLimits[{i}]", v2);
        }
        if (r.Network?.ClassId is { } classId)
            CgroupFile.Write(Require("net_cls", "network.classID"), "net_cls.classid", classId.ToString(), "network.classID");
        for (int i = 0; i < (r.Network?.Priorities?.Count ?? 0); i++)
        {
            var priority = r.Network!.Priorities![i];
            CgroupFile.Write(Require("net_prio", "network.priorities"), "net_prio.ifpriomap", $"{priority.Name} {priority.Priority}", $"network.priorities[{i}]");
        }
        foreach (var (device, limits) in r.Rdma ?? [])
            CgroupFile.Write(RequireV1OrV2("rdma", "rdma").Dir, "rdma.max", CgroupValues.RdmaMax(device, limits), "rdma." + device);
        if (r.Unified is { Count: > 0 } unified)
        {
            if (unifiedDir is null)
                throw ResourceField.Error("unified", "cgroup v2 files cannot be set on this host: it mounts only cgroup v1");
            UnifiedFiles.Write(unifiedDir, unified);
        }
    }

    private void ApplyDevices(LinuxResources r, ApplyOptions options)
    {
        var model = DeviceCgroupModel.From(ContainerDeviceRules.For(r, options.ConfigDevices));
        if (dirOf("devices") is { } devices)
            V1Devices.Apply(devices, model);
        else if (unifiedDir is not null)
            options.AttachDeviceProgram(unifiedDir, DeviceFilterProgram.Build(model)); // a hybrid host without the v1 devices controller
        else
            throw ResourceField.Error("devices", "the devices controller is not mounted on this host");
    }

    private static bool HasCpuBandwidth(LinuxCpu cpu) =>
        cpu.Shares is not (null or 0) || cpu.Quota is not (null or 0) || cpu.Period is not (null or 0) || cpu.Burst is not null
        || cpu.RealtimeRuntime is not (null or 0) || cpu.RealtimePeriod is not (null or 0) || cpu.Idle is not null;

    /// <summary>
    /// A controller no v1 hierarchy holds may be free on the hybrid host's v2
    /// hierarchy (hugetlb often is): enable it down to the container's cgroup
    /// there and use it, rather than refuse a limit the host can enforce. Only
    /// for controllers whose files read the same on both versions (pids, rdma)
    /// or whose names differ only by a suffix (hugetlb).
    /// </summary>
    private (string Dir, bool V2) RequireV1OrV2(string controller, string field)
    {
        if (dirOf(controller) is { } dir)
            return (dir, false);
        if (unifiedDir is not null)
        {
            V2Controllers.EnableAbove(unifiedDir, [controller]);
            if (V2Controllers.Available(unifiedDir).Contains(controller))
                return (unifiedDir, true);
        }
        throw ResourceField.Error(field, $"the {controller} controller is not mounted on this host");
    }

    private string Require(string controller, string field) =>
        dirOf(controller) ?? throw ResourceField.Error(field, $"the {controller} controller is not mounted on this host");
}
