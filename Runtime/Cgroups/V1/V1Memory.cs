using Runcs.Spec;
using Tmds.Linux;

namespace Runcs.Runtime.Cgroups.V1;

/// <summary>linux.resources.memory on the v1 memory controller (memory.*_in_bytes and friends).</summary>
public static class V1Memory
{
    private const string Limit = "memory.limit_in_bytes";
    private const string SwapLimit = "memory.memsw.limit_in_bytes";
    private const string KernelLimit = "memory.kmem.limit_in_bytes";

    public static void Apply(string dir, LinuxMemory memory, Action<string> warn)
    {
        long limit = memory.Limit ?? 0, swap = memory.Swap ?? 0;
        // No limit asked for memory and none for swap means no limit for either (runc does the same).
        if (limit == -1 && swap == 0 && CgroupFile.Exists(dir, SwapLimit))
            swap = -1;
        if (swap != 0 && !CgroupFile.Exists(dir, SwapLimit))
            throw ResourceField.Error("memory.swap", "this kernel does not account swap (no memory.memsw.limit_in_bytes; boot with swapaccount=1)");

        // The kernel keeps memory ≤ memory+swap at every step, so the order of the two writes depends on where the limits move.
        bool swapFirst = limit != 0 && swap != 0 && (swap == -1 || CgroupFile.ReadNumber(dir, Limit) < (ulong)swap);
        if (swapFirst)
            WriteIfSet(dir, SwapLimit, swap, "memory.swap");
        SetLimit(dir, limit);
        if (!swapFirst)
            WriteIfSet(dir, SwapLimit, swap, "memory.swap");

        WriteIfSet(dir, "memory.soft_limit_in_bytes", memory.Reservation ?? 0, "memory.reservation");
        if (memory.Kernel is { } kernel && kernel != 0)
            SetKernelLimit(dir, kernel, warn);
        if (memory.KernelTcp is { } tcp && tcp != 0)
        {
            if (CgroupFile.Exists(dir, "memory.kmem.tcp.limit_in_bytes"))
                CgroupFile.Write(dir, "memory.kmem.tcp.limit_in_bytes", tcp.ToString(), "memory.kernelTCP");
            else
                warn($"{ResourceField.Path("memory.kernelTCP")} is ignored: this kernel has no memory.kmem.tcp.limit_in_bytes");
        }
        if (memory.Swappiness is { } swappiness)
            CgroupFile.Write(dir, "memory.swappiness", swappiness.ToString(), "memory.swappiness");
        if (memory.DisableOomKiller is { } disable)
            CgroupFile.Write(dir, "memory.oom_control", disable ? "1" : "0", "memory.disableOOMKiller");
        if (memory.UseHierarchy is { } hierarchy)
            CgroupFile.Write(dir, "memory.use_hierarchy", hierarchy ? "1" : "0", "memory.useHierarchy");
    }

    /// <summary>
    /// A limit below what the cgroup already uses is refused with EBUSY; say so
    /// with the numbers (runc's words), which is also what checkBeforeUpdate asks for on v1.
    /// </summary>
    private static void SetLimit(string dir, long limit)
    {
        if (limit == 0)
            return;
        int errno = CgroupFile.TryWrite(dir, Limit, limit.ToString());
        if (errno == LibC.EBUSY)
            throw ResourceField.Error("memory.limit", $"unable to set memory limit to {limit} (current usage: {CgroupFile.ReadNumber(dir, "memory.usage_in_bytes")}, peak usage: {CgroupFile.ReadNumber(dir, "memory.max_usage_in_bytes")})");
        if (errno != 0)
            throw CgroupFile.WriteFailed(dir, Limit, limit.ToString(), "memory.limit", errno);
    }

    /// <summary>
    /// Kernels since 5.16 keep memory.kmem.limit_in_bytes but ignore what is
    /// written to it (6.x reads back "unlimited"), so the limit is read back
    /// and a warning says when it did not take.
    /// </summary>
    private static void SetKernelLimit(string dir, long kernel, Action<string> warn)
    {
        if (!CgroupFile.Exists(dir, KernelLimit))
        {
            warn($"{ResourceField.Path("memory.kernel")} is ignored: this kernel no longer limits kernel memory");
            return;
        }
        CgroupFile.Write(dir, KernelLimit, kernel.ToString(), "memory.kernel");
        var pageSize = (ulong)Environment.SystemPageSize;
        var expected = kernel == -1 ? (ulong?)null : (ulong)kernel / pageSize * pageSize;
        if (expected is not null && CgroupFile.ReadNumber(dir, KernelLimit) != expected)
            warn($"{ResourceField.Path("memory.kernel")} is ignored: this kernel no longer limits kernel memory");
    }

    private static void WriteIfSet(string dir, string file, long value, string field)
    {
        if (value != 0)
            CgroupFile.Write(dir, file, value.ToString(), field);
    }
}
