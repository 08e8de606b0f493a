using Runcs.Runtime.Cgroups.Bpf;
using Runcs.Runtime.Cgroups.Devices;
using Runcs.Spec;

namespace Runcs.Runtime.Cgroups.V1;

/// <summary>
/// Writes linux.resources on a v1 (or hybrid) host, one controller after the
/// other in runc's order. Each controller is its own hierarchy; a field whose
/// controller the host does not mount is an error, never a limit silently
/// dropped. On a hybrid host, `unified` keys go to the container's cgroup in
/// the v2 hierarchy.
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
            CgroupFile.Write(Require("pids", "pids.limit"), "pids.max", CgroupValues.PidsMax(pids), "pids.limit");
        if (r.BlockIo is { } io)
            V1BlockIo.Apply(Require("blkio", "blockIO"), io);
        for (int i = 0; i < (r.HugepageLimits?.Count ?? 0); i++)
            SetHugePageLimit(Require("hugetlb", "hugepageLimits"), r.HugepageLimits![i], $"hugepageLimits[{i}]");
        if (r.Network?.ClassId is { } classId)
            CgroupFile.Write(Require("net_cls", "network.classID"), "net_cls.classid", classId.ToString(), "network.classID");
        for (int i = 0; i < (r.Network?.Priorities?.Count ?? 0); i++)
        {
            var priority = r.Network!.Priorities![i];
            CgroupFile.Write(Require("net_prio", "network.priorities"), "net_prio.ifpriomap", $"{priority.Name} {priority.Priority}", $"network.priorities[{i}]");
        }
        foreach (var (device, limits) in r.Rdma ?? [])
            CgroupFile.Write(Require("rdma", "rdma"), "rdma.max", CgroupValues.RdmaMax(device, limits), "rdma." + device);
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

    /// <summary>The limit, and the reservation limit where the kernel has one (5.7+), to the same value, as runc does.</summary>
    private static void SetHugePageLimit(string dir, LinuxHugepageLimit limit, string field)
    {
        var prefix = "hugetlb." + limit.PageSize;
        CgroupFile.Write(dir, prefix + ".limit_in_bytes", limit.Limit.ToString(), field);
        if (CgroupFile.Exists(dir, prefix + ".rsvd.limit_in_bytes"))
            CgroupFile.Write(dir, prefix + ".rsvd.limit_in_bytes", limit.Limit.ToString(), field);
    }

    private string Require(string controller, string field) =>
        dirOf(controller) ?? throw ResourceField.Error(field, $"the {controller} controller is not mounted on this host");
}
