using System.Text.Json;
using Runcs.Spec;

namespace Runcs.Runtime.Cgroups;

/// <summary>
/// `update` semantics: a resources document changes only what it names. Merged
/// gives the container's new linux.resources (what state.json keeps); ToWrite
/// gives what to write to the cgroup: the named fields, plus the fields that
/// share a file or an ordering with them (memory and memory+swap, CPU quota,
/// period and burst), taken from the merged result.
/// </summary>
public static class ResourceUpdate
{
    public static LinuxResources Merged(LinuxResources? current, LinuxResources update)
    {
        var merged = Clone(current) ?? new LinuxResources();
        if (update.Memory is { } memory)
        {
            var m = merged.Memory ??= new LinuxMemory();
            m.Limit = memory.Limit ?? m.Limit;
            m.Reservation = memory.Reservation ?? m.Reservation;
            // As runc: lifting the memory limit without a word on swap lifts the swap limit too.
            m.Swap = memory.Swap ?? (memory.Limit == -1 ? 0 : m.Swap);
            m.Kernel = memory.Kernel ?? m.Kernel;
            m.KernelTcp = memory.KernelTcp ?? m.KernelTcp;
            m.Swappiness = memory.Swappiness ?? m.Swappiness;
            m.DisableOomKiller = memory.DisableOomKiller ?? m.DisableOomKiller;
            m.UseHierarchy = memory.UseHierarchy ?? m.UseHierarchy;
            m.CheckBeforeUpdate = memory.CheckBeforeUpdate ?? m.CheckBeforeUpdate;
        }
        if (update.Cpu is { } cpu)
        {
            var c = merged.Cpu ??= new LinuxCpu();
            c.Shares = cpu.Shares ?? c.Shares;
            c.Quota = cpu.Quota ?? c.Quota;
            c.Burst = cpu.Burst ?? c.Burst;
            c.Period = cpu.Period ?? c.Period;
            c.RealtimeRuntime = cpu.RealtimeRuntime ?? c.RealtimeRuntime;
            c.RealtimePeriod = cpu.RealtimePeriod ?? c.RealtimePeriod;
            c.Cpus = string.IsNullOrEmpty(cpu.Cpus) ? c.Cpus : cpu.Cpus;
            c.Mems = string.IsNullOrEmpty(cpu.Mems) ? c.Mems : cpu.Mems;
            c.Idle = cpu.Idle ?? c.Idle;
        }
        if (update.Pids?.Limit is { } pids)
            (merged.Pids ??= new LinuxPids()).Limit = pids;
        if (update.BlockIo is { } io)
            MergeBlockIo(merged.BlockIo ??= new LinuxBlockIo(), io);
        foreach (var limit in update.HugepageLimits ?? [])
            Upsert(merged.HugepageLimits ??= [], l => l.PageSize == limit.PageSize, limit);
        if (update.Network is { } network)
        {
            var n = merged.Network ??= new LinuxNetwork();
            n.ClassId = network.ClassId ?? n.ClassId;
            foreach (var priority in network.Priorities ?? [])
                Upsert(n.Priorities ??= [], p => p.Name == priority.Name, priority);
        }
        foreach (var (device, limits) in update.Rdma ?? [])
            (merged.Rdma ??= [])[device] = limits;
        foreach (var (key, value) in update.Unified ?? [])
            (merged.Unified ??= [])[key] = value;
        return merged;
    }

    public static LinuxResources ToWrite(LinuxResources update, LinuxResources merged)
    {
        var write = Clone(update)!;
        write.Devices = null; // device rules are set at create only, as with runc
        if (write.Memory is { } memory && (memory.Limit is not null || memory.Swap is not null))
        {
            memory.Limit = merged.Memory?.Limit;
            memory.Swap = merged.Memory?.Swap;
        }
        if (write.Cpu is { } cpu && (cpu.Quota is not null || cpu.Period is not null || cpu.Burst is not null))
        {
            cpu.Quota = merged.Cpu?.Quota;
            cpu.Period = merged.Cpu?.Period;
            cpu.Burst = merged.Cpu?.Burst;
        }
        return write;
    }

    private static void MergeBlockIo(LinuxBlockIo merged, LinuxBlockIo io)
    {
        merged.Weight = io.Weight ?? merged.Weight;
        merged.LeafWeight = io.LeafWeight ?? merged.LeafWeight;
        foreach (var device in io.WeightDevice ?? [])
        {
            var existing = merged.WeightDevice?.FirstOrDefault(d => d.Major == device.Major && d.Minor == device.Minor);
            if (existing is null)
            {
                (merged.WeightDevice ??= []).Add(device);
                continue;
            }
            existing.Weight = device.Weight ?? existing.Weight;
            existing.LeafWeight = device.LeafWeight ?? existing.LeafWeight;
        }
        merged.ThrottleReadBpsDevice = MergeThrottles(merged.ThrottleReadBpsDevice, io.ThrottleReadBpsDevice);
        merged.ThrottleWriteBpsDevice = MergeThrottles(merged.ThrottleWriteBpsDevice, io.ThrottleWriteBpsDevice);
        merged.ThrottleReadIopsDevice = MergeThrottles(merged.ThrottleReadIopsDevice, io.ThrottleReadIopsDevice);
        merged.ThrottleWriteIopsDevice = MergeThrottles(merged.ThrottleWriteIopsDevice, io.ThrottleWriteIopsDevice);
    }

    private static List<LinuxThrottleDevice>? MergeThrottles(List<LinuxThrottleDevice>? merged, List<LinuxThrottleDevice>? update)
    {
        foreach (var device in update ?? [])
            Upsert(merged ??= [], d => d.Major == device.Major && d.Minor == device.Minor, device);
        return merged;
    }

    private static void Upsert<T>(List<T> list, Predicate<T> same, T item)
    {
        int at = list.FindLastIndex(same);
        if (at >= 0)
            list[at] = item;
        else
            list.Add(item);
    }

    private static LinuxResources? Clone(LinuxResources? resources) =>
        resources is null ? null : JsonSerializer.Deserialize(JsonSerializer.SerializeToUtf8Bytes(resources, SpecJsonContext.Default.LinuxResources), SpecJsonContext.Default.LinuxResources);
}
