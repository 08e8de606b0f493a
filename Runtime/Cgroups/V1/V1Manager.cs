using Runcs.Runtime.Cgroups.Stats;
using Runcs.Runtime.Cgroups.V2;
using Runcs.Spec;

namespace Runcs.Runtime.Cgroups.V1;

/// <summary>
/// cgroup v1: one directory per mounted hierarchy. On a hybrid host the v2
/// hierarchy ("unified") holds no controllers but gets the container too, as
/// runc does, so that tools reading it see where the container lives; its
/// cgroup.kill (and, without a v1 freezer, cgroup.freeze) reach every process.
/// </summary>
public sealed class V1Manager(IReadOnlyDictionary<string, string> paths) : ICgroupManager
{
    public IReadOnlyDictionary<string, string> Paths { get; } = paths;

    private string? UnifiedDir => Paths.GetValueOrDefault("unified");

    /// <summary>The directory of the hierarchy holding a controller ("cpu" may share "cpu,cpuacct"); null when none does.</summary>
    public string? DirOf(string controller) =>
        Paths.FirstOrDefault(p => p.Key != "unified" && p.Key.Split(',').Contains(controller)).Value;

    public void Create()
    {
        foreach (var (key, dir) in Paths)
        {
            CgroupDirectories.CreateAll(dir);
            if (key.Split(',').Contains("cpuset"))
                Cpuset.InheritFromParents(dir);
        }
    }

    public void Apply(LinuxResources resources, ApplyOptions options) =>
        new V1Resources(DirOf, UnifiedDir).Apply(resources, options);

    public void Join(int pid)
    {
        foreach (var dir in Paths.Values)
            CgroupDirectories.AddProcess(dir, pid);
    }

    public IReadOnlyList<int> Pids()
    {
        // Every hierarchy holds every process; the unified one when present, else any.
        var dir = UnifiedDir ?? DirOf("pids") ?? Paths.Values.FirstOrDefault();
        return dir is null ? [] : CgroupDirectories.Processes(dir).Distinct().ToList();
    }

    public bool IsFrozen() =>
        DirOf("freezer") is { } freezer ? V1Freezer.IsFrozen(freezer) : UnifiedDir is { } unified && V2Freezer.IsFrozen(unified);

    public void Freeze()
    {
        if (DirOf("freezer") is { } freezer)
            V1Freezer.Freeze(freezer);
        else if (UnifiedDir is { } unified && V2Freezer.IsAvailable(unified))
            V2Freezer.Freeze(unified);
        else
            throw new RuntimeException("cannot pause: the freezer controller is not mounted on this host");
    }

    public void Thaw()
    {
        if (DirOf("freezer") is { } freezer)
            V1Freezer.Thaw(freezer);
        else if (UnifiedDir is { } unified && V2Freezer.IsAvailable(unified))
            V2Freezer.Thaw(unified);
    }

    public bool TryKillAll() => UnifiedDir is { } unified && V2Manager.KillAll(unified);

    public CgroupStats Stats()
    {
        var stats = V1Stats.Read(DirOf, HugePages.SizesOnHost());
        if (DirOf("hugetlb") is null && UnifiedDir is { } unified)
            V2Stats.ReadHugetlb(unified, stats.Hugetlb); // hugetlb borrowed from the v2 hierarchy
        return stats;
    }

    public ulong OomKills() => DirOf("memory") is { } memory ? CgroupFile.ReadKeyValues(memory, "memory.oom_control").GetValueOrDefault("oom_kill") : 0;

    public OomNotifier? NotifyOom() => DirOf("memory") is { } memory ? V1OomNotifier.Register(memory) : null;

    public void Destroy()
    {
        foreach (var dir in Paths.Values)
            CgroupDirectories.RemoveTree(dir);
    }
}
