using Runcs.Spec;
using Tmds.Linux;

namespace Runcs.Runtime.Cgroups.V1;

/// <summary>linux.resources.cpu on the v1 cpu controller (CFS shares and bandwidth, realtime bandwidth, idle).</summary>
public static class V1Cpu
{
    public static void Apply(string dir, LinuxCpu cpu)
    {
        // The kernel clamps shares to 2..262144 without an error; ResourceValidation refuses values outside first.
        if (cpu.Shares is { } shares && shares != 0)
            CgroupFile.Write(dir, "cpu.shares", shares.ToString(), "cpu.shares");
        SetBandwidth(dir, cpu);
        if (cpu.Idle is { } idle)
            CgroupFile.Write(dir, "cpu.idle", idle.ToString(), "cpu.idle");
        SetRealtime(dir, cpu);
    }

    /// <summary>
    /// Period, burst and quota are checked together against the parent's
    /// bandwidth, so a value that is only valid after the quota moves is
    /// refused with EINVAL when written first: retry it after the quota.
    /// </summary>
    private static void SetBandwidth(string dir, LinuxCpu cpu)
    {
        long quota = cpu.Quota ?? 0;
        var retry = new List<(string File, string Value, string Field)>();
        if (cpu.Period is { } period && period != 0)
            WriteOrRetryAfter(dir, "cpu.cfs_period_us", period.ToString(), "cpu.period", quota != 0, retry);
        if (cpu.Burst is { } burst)
        {
            if (!CgroupFile.Exists(dir, "cpu.cfs_burst_us"))
                throw ResourceField.Error("cpu.burst", "this kernel has no CPU burst (cpu.cfs_burst_us, Linux 5.14)");
            WriteOrRetryAfter(dir, "cpu.cfs_burst_us", burst.ToString(), "cpu.burst", quota != 0, retry);
        }
        if (quota != 0)
            CgroupFile.Write(dir, "cpu.cfs_quota_us", quota.ToString(), "cpu.quota");
        foreach (var (file, value, field) in retry)
            CgroupFile.Write(dir, file, value, field);
    }

    /// <summary>The realtime runtime must fit the period, so the same retry applies to the pair.</summary>
    private static void SetRealtime(string dir, LinuxCpu cpu)
    {
        long runtime = cpu.RealtimeRuntime ?? 0;
        var retry = new List<(string File, string Value, string Field)>();
        if (cpu.RealtimePeriod is { } period && period != 0)
            WriteOrRetryAfter(dir, "cpu.rt_period_us", period.ToString(), "cpu.realtimePeriod", runtime != 0, retry);
        if (runtime != 0)
            CgroupFile.Write(dir, "cpu.rt_runtime_us", runtime.ToString(), "cpu.realtimeRuntime");
        foreach (var (file, value, field) in retry)
            CgroupFile.Write(dir, file, value, field);
    }

    private static void WriteOrRetryAfter(string dir, string file, string value, string field, bool canRetry, List<(string, string, string)> retry)
    {
        int errno = CgroupFile.TryWrite(dir, file, value);
        if (errno == LibC.EINVAL && canRetry)
            retry.Add((file, value, field));
        else if (errno != 0)
            throw CgroupFile.WriteFailed(dir, file, value, field, errno);
    }

    /// <summary>cpus and mems go to the cpuset controller, a hierarchy of its own on v1.</summary>
    public static void ApplyCpuset(string dir, LinuxCpu cpu)
    {
        if (!string.IsNullOrEmpty(cpu.Cpus))
            CgroupFile.Write(dir, "cpuset.cpus", cpu.Cpus, "cpu.cpus");
        if (!string.IsNullOrEmpty(cpu.Mems))
            CgroupFile.Write(dir, "cpuset.mems", cpu.Mems, "cpu.mems");
    }
}
