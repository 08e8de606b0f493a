using Runcs.Runtime.Native;
using SpecProcess = Runcs.Spec.Process;

namespace Runcs.Runtime.Process;

/// <summary>
/// process.scheduler (sched_setattr), process.ioPriority (ioprio_set) and
/// process.execCPUAffinity (sched_setaffinity). The first two are applied
/// before capabilities are dropped: a real-time policy or class needs
/// CAP_SYS_NICE (or CAP_SYS_ADMIN) at that moment.
/// </summary>
public static class Scheduling
{
    private static readonly Dictionary<string, uint> Policies = new()
    {
        ["SCHED_OTHER"] = 0,
        ["SCHED_FIFO"] = 1,
        ["SCHED_RR"] = 2,
        ["SCHED_BATCH"] = 3,
        ["SCHED_ISO"] = 4,
        ["SCHED_IDLE"] = 5,
        ["SCHED_DEADLINE"] = 6,
    };

    private static readonly Dictionary<string, ulong> Flags = new()
    {
        ["SCHED_FLAG_RESET_ON_FORK"] = 0x01,
        ["SCHED_FLAG_RECLAIM"] = 0x02,
        ["SCHED_FLAG_DL_OVERRUN"] = 0x04,
        ["SCHED_FLAG_KEEP_POLICY"] = 0x08,
        ["SCHED_FLAG_KEEP_PARAMS"] = 0x10,
        ["SCHED_FLAG_UTIL_CLAMP_MIN"] = 0x20,
        ["SCHED_FLAG_UTIL_CLAMP_MAX"] = 0x40,
    };

    private static readonly Dictionary<string, int> IoPriorityClasses = new()
    {
        ["IOPRIO_CLASS_RT"] = 1,
        ["IOPRIO_CLASS_BE"] = 2,
        ["IOPRIO_CLASS_IDLE"] = 3,
    };

    private const int IoPriorityClassShift = 13;

    public static void Emit(PlanBuilder plan, SpecProcess process)
    {
        if (process.Scheduler is { } s)
        {
            var policy = Policies.TryGetValue(s.Policy, out var p) ? p
                : throw new RuntimeException($"process.scheduler.policy: unknown scheduling policy \"{s.Policy}\"");
            ulong flags = 0;
            foreach (var name in s.Flags ?? [])
                flags |= Flags.TryGetValue(name, out var f) ? f : throw new RuntimeException($"process.scheduler.flags: unknown flag \"{name}\"");
            plan.SchedSetattr(policy, flags, s.Nice, (uint)s.Priority, s.Runtime, s.Deadline, s.Period,
                $"set scheduling policy {s.Policy} (process.scheduler)");
        }
        if (process.IoPriority is { } io)
        {
            var ioClass = IoPriorityClasses.TryGetValue(io.Class, out var c) ? c
                : throw new RuntimeException($"process.ioPriority.class: unknown class \"{io.Class}\"");
            plan.IoprioSet(ioClass << IoPriorityClassShift | io.Priority, $"set I/O priority {io.Class} {io.Priority} (process.ioPriority)");
        }
    }

    /// <summary>execCPUAffinity.initial: for a process joining a container, before it joins the cgroup.</summary>
    public static void EmitInitialAffinity(PlanBuilder plan, SpecProcess process)
    {
        if (process.ExecCpuAffinity?.Initial is { Length: > 0 } cpus)
            plan.SetAffinity(CpuMask(cpus, "process.execCPUAffinity.initial"), $"set CPU affinity {cpus} (process.execCPUAffinity.initial)");
    }

    /// <summary>execCPUAffinity.final: the CPUs the joining process runs its program on.</summary>
    public static void EmitFinalAffinity(PlanBuilder plan, SpecProcess process)
    {
        if (process.ExecCpuAffinity?.Final is { Length: > 0 } cpus)
            plan.SetAffinity(CpuMask(cpus, "process.execCPUAffinity.final"), $"set CPU affinity {cpus} (process.execCPUAffinity.final)");
    }

    /// <summary>A CPU list ("0-3,7") as the bit mask sched_setaffinity takes: whole 64-bit words, at least glibc's 1024 CPUs.</summary>
    public static byte[] CpuMask(string list, string field)
    {
        var cpus = new List<int>();
        foreach (var item in list.Split(','))
        {
            var bounds = item.Split('-');
            if (bounds.Length > 2 || !bounds.All(b => int.TryParse(b, out var n) && n is >= 0 and < 1 << 16))
                throw new RuntimeException($"{field}: invalid CPU list \"{list}\"");
            int first = int.Parse(bounds[0]), last = int.Parse(bounds[^1]);
            if (first > last)
                throw new RuntimeException($"{field}: invalid CPU list \"{list}\"");
            for (int cpu = first; cpu <= last; cpu++)
                cpus.Add(cpu);
        }
        var mask = new byte[Math.Max(128, (cpus.Max() / 64 + 1) * 8)];
        foreach (var cpu in cpus)
            mask[cpu / 8] |= (byte)(1 << (cpu % 8));
        return mask;
    }
}
