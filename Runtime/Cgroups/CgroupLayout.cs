using Runcs.Runtime.Rootfs;

namespace Runcs.Runtime.Cgroups;

/// <summary>How the host mounts cgroups.</summary>
public enum CgroupMode
{
    /// <summary>Only v1 hierarchies.</summary>
    V1,
    /// <summary>v1 hierarchies hold the controllers, a v2 hierarchy is mounted beside them (often /sys/fs/cgroup/unified).</summary>
    Hybrid,
    /// <summary>One v2 hierarchy holds everything.</summary>
    V2,
}

/// <summary>
/// One mounted hierarchy. For v1, Controllers are the mount's subsystems
/// ("cpu", "cpuacct", "name=systemd"); the v2 hierarchy has none listed here.
/// Root is the cgroup the mount shows as its top (not "/" inside a container).
/// </summary>
public sealed record CgroupHierarchy(string MountPoint, string Root, IReadOnlyList<string> Controllers, bool IsV2)
{
    /// <summary>The key state.json stores this hierarchy's path under: "memory", "cpu,cpuacct", "name=systemd", "unified".</summary>
    public string Key => IsV2 ? "unified" : string.Join(',', Controllers);

    public bool Has(string controller) => Controllers.Contains(controller);
}

/// <summary>The cgroup hierarchies mounted on this host, read once from mountinfo.</summary>
public sealed class CgroupLayout
{
    private static readonly HashSet<string> NotControllers = ["rw", "ro", "relatime", "noatime", "nosuid", "nodev", "noexec", "clone_children", "noprefix", "xattr", "cpuset_v2_mode", "nsdelegate", "memory_recursiveprot", "memory_localevents", "memory_hugetlb_accounting", "favordynmods"];

    public CgroupLayout(CgroupMode mode, IReadOnlyList<CgroupHierarchy> hierarchies, IReadOnlyDictionary<string, string> ownCgroups)
    {
        Mode = mode;
        Hierarchies = hierarchies;
        OwnCgroups = ownCgroups;
    }

    public CgroupMode Mode { get; }

    public IReadOnlyList<CgroupHierarchy> Hierarchies { get; }

    /// <summary>This process's cgroup per hierarchy key, from /proc/self/cgroup.</summary>
    public IReadOnlyDictionary<string, string> OwnCgroups { get; }

    public CgroupHierarchy? Unified => Hierarchies.FirstOrDefault(h => h.IsV2);

    public static CgroupLayout Detect() =>
        FromText(File.ReadAllText("/proc/self/mountinfo"), File.ReadAllText("/proc/self/cgroup"));

    public static CgroupLayout FromText(string mountinfo, string procCgroup)
    {
        var hierarchies = new List<CgroupHierarchy>();
        foreach (var m in MountInfo.Parse(mountinfo))
        {
            if (m.FsType == "cgroup2")
            {
                hierarchies.Add(new CgroupHierarchy(m.MountPoint, m.Root, [], true));
            }
            else if (m.FsType == "cgroup")
            {
                var controllers = m.SuperOptions.Split(',').Where(o => !NotControllers.Contains(o) && !o.StartsWith("release_agent=", StringComparison.Ordinal)).ToArray();
                if (controllers.Length > 0)
                    hierarchies.Add(new CgroupHierarchy(m.MountPoint, m.Root, controllers, false));
            }
        }
        // The same hierarchy can be mounted twice (a bind mount); keep the first.
        hierarchies = hierarchies.GroupBy(h => h.Key).Select(g => g.First()).ToList();

        bool hasV1 = hierarchies.Any(h => !h.IsV2);
        var mode = !hasV1 ? CgroupMode.V2 : hierarchies.Any(h => h.IsV2) ? CgroupMode.Hybrid : CgroupMode.V1;

        var own = new Dictionary<string, string>();
        foreach (var line in procCgroup.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var parts = line.Split(':', 3);
            if (parts.Length == 3)
                own[parts[1].Length == 0 ? "unified" : parts[1]] = parts[2];
        }
        return new CgroupLayout(mode, hierarchies, own);
    }

    /// <summary>
    /// The directory of a cgroup given relative to the hierarchy's top ("/a/b"),
    /// as seen through this host's mount of that hierarchy.
    /// </summary>
    public static string Directory(CgroupHierarchy h, string cgroup)
    {
        var relative = cgroup;
        if (h.Root != "/" && (relative == h.Root || relative.StartsWith(h.Root + "/", StringComparison.Ordinal)))
            relative = relative[h.Root.Length..];
        return h.MountPoint.TrimEnd('/') + "/" + relative.TrimStart('/');
    }
}
