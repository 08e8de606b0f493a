using Runcs.Spec;

namespace Runcs.Runtime.Cgroups;

/// <summary>
/// Values as cgroup files want them, where both versions share the format, and
/// the conversions from the v1-style numbers of linux.resources to v2's knobs
/// (the same formulas as runc and crun, so a container gets the same share on
/// any runtime).
/// </summary>
public static class CgroupValues
{
    /// <summary>pids.max: -1 is "max"; 0 is a real limit (the spec says so: no new task at all).</summary>
    public static string PidsMax(long limit) => limit < 0 ? "max" : limit.ToString();

    /// <summary>A line of rdma.max: "mlx5_1 hca_handle=3 hca_object=10000".</summary>
    public static string RdmaMax(string device, LinuxRdma limits) =>
        device + (limits.HcaHandles is { } h ? $" hca_handle={h}" : "") + (limits.HcaObjects is { } o ? $" hca_object={o}" : "");

    /// <summary>A v2 size: -1 is "max".</summary>
    public static string V2Size(long bytes) => bytes == -1 ? "max" : bytes.ToString();

    /// <summary>
    /// cpu.shares (2..262144, default 1024) to cpu.weight (1..10000, default
    /// 100): a quadratic in log2(shares) through both ends and the defaults, so
    /// that the default share stays the default weight.
    /// </summary>
    public static ulong SharesToWeight(ulong shares)
    {
        if (shares == 0)
            return 0;
        if (shares <= 2)
            return 1;
        if (shares >= 262144)
            return 10000;
        double l = Math.Log2(shares);
        double exponent = (l * l + 125 * l) / 612.0 - 7.0 / 34.0;
        return (ulong)Math.Ceiling(Math.Pow(10, exponent));
    }

    /// <summary>blkio.weight (10..1000) to io.weight (1..10000), linearly.</summary>
    public static ulong BlkioWeightToIoWeight(ushort weight) =>
        weight == 0 ? 0 : 1 + ((ulong)weight - 10) * 9999 / 990;

    /// <summary>
    /// memory.swap in linux.resources is v1's memory+swap; v2's memory.swap.max
    /// counts swap alone. Null when nothing is to be written.
    /// </summary>
    public static string? V2SwapMax(long memory, long memoryAndSwap)
    {
        if (memory == -1 && memoryAndSwap == 0)
            return "max"; // no limit on memory and none asked for swap: none on swap either, as with v1
        if (memoryAndSwap == 0)
            return null;
        if (memoryAndSwap == -1)
            return "max";
        if (memory == -1)
            return memoryAndSwap.ToString();
        return (memoryAndSwap - memory).ToString();
    }
}
