using Runcs.Spec;

namespace Runcs.Runtime.Cgroups;

/// <summary>
/// What the host offers that limits are checked against before anything is
/// made: its online CPUs and memory nodes and the huge page sizes it has.
/// </summary>
public sealed record CgroupHost(IReadOnlySet<int> OnlineCpus, IReadOnlySet<int> OnlineMems, IReadOnlyList<string> HugePageSizes)
{
    public static CgroupHost Detect() => new(
        ReadList("/sys/devices/system/cpu/online") ?? new SortedSet<int> { 0 },
        // Kernels without NUMA have no node directory: everything is node 0.
        ReadList("/sys/devices/system/node/online") ?? new SortedSet<int> { 0 },
        HugePages.SizesOnHost());

    private static SortedSet<int>? ReadList(string path)
    {
        try
        {
            return CpuList.Parse(File.ReadAllText(path));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}

/// <summary>Huge page sizes in the names hugetlb files use: "2MB", "1GB", "64KB".</summary>
public static class HugePages
{
    public static IReadOnlyList<string> SizesOnHost()
    {
        const string dir = "/sys/kernel/mm/hugepages";
        if (!Directory.Exists(dir))
            return [];
        // Entries are named hugepages-2048kB.
        return Directory.GetDirectories(dir)
            .Select(d => Path.GetFileName(d))
            .Where(n => n.StartsWith("hugepages-", StringComparison.Ordinal) && n.EndsWith("kB", StringComparison.Ordinal))
            .Select(n => ulong.TryParse(n["hugepages-".Length..^2], out var kb) ? Name(kb * 1024) : null)
            .OfType<string>()
            .ToList();
    }

    /// <summary>
    /// One hugepageLimits entry: the limit, and the reservation limit where the
    /// kernel has one (5.7+), to the same value, as runc does. v1 names the files
    /// hugetlb.2MB.limit_in_bytes, v2 hugetlb.2MB.max.
    /// </summary>
    public static void WriteLimit(string dir, LinuxHugepageLimit limit, string field, bool v2)
    {
        var prefix = "hugetlb." + limit.PageSize;
        var suffix = v2 ? ".max" : ".limit_in_bytes";
        CgroupFile.Write(dir, prefix + suffix, limit.Limit.ToString(), field);
        if (CgroupFile.Exists(dir, prefix + ".rsvd" + suffix))
            CgroupFile.Write(dir, prefix + ".rsvd" + suffix, limit.Limit.ToString(), field);
    }

    /// <summary>1 GiB → "1GB", 2 MiB → "2MB", 64 KiB → "64KB", as the kernel names hugetlb files.</summary>
    public static string Name(ulong bytes)
    {
        if (bytes >= 1UL << 30 && bytes % (1UL << 30) == 0)
            return $"{bytes >> 30}GB";
        if (bytes >= 1UL << 20 && bytes % (1UL << 20) == 0)
            return $"{bytes >> 20}MB";
        return $"{bytes >> 10}KB";
    }
}
