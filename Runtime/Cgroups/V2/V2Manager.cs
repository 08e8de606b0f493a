using Runcs.Runtime.Cgroups.Stats;
using Runcs.Spec;

namespace Runcs.Runtime.Cgroups.V2;

/// <summary>cgroup v2: one directory in the single hierarchy.</summary>
public sealed class V2Manager(IReadOnlyDictionary<string, string> paths) : ICgroupManager
{
    public IReadOnlyDictionary<string, string> Paths { get; } = paths;

    private string Dir => Paths["unified"];

    public void Create()
    {
        CgroupDirectories.CreateAll(Dir);
        V2Controllers.EnableAbove(Dir);
    }

    public void Apply(LinuxResources resources, ApplyOptions options) => V2Resources.Apply(Dir, resources, options);

    public void Join(int pid) => CgroupDirectories.AddProcess(Dir, pid);

    public IReadOnlyList<int> Pids() => CgroupDirectories.Processes(Dir).Distinct().ToList();

    public bool IsFrozen() => V2Freezer.IsFrozen(Dir);

    public void Freeze() => V2Freezer.Freeze(Dir);

    public void Thaw() => V2Freezer.Thaw(Dir);

    public bool TryKillAll() => KillAll(Dir);

    /// <summary>cgroup.kill (Linux 5.14) SIGKILLs every process of the cgroup and its children at once, without a race against forks.</summary>
    public static bool KillAll(string dir) =>
        CgroupFile.Exists(dir, "cgroup.kill") && CgroupFile.TryWrite(dir, "cgroup.kill", "1") == 0;

    public CgroupStats Stats() => V2Stats.Read(Dir);

    public ulong OomKills() => CgroupFile.ReadKeyValues(Dir, "memory.events").GetValueOrDefault("oom_kill");

    public OomNotifier? NotifyOom() => V2OomNotifier.Register(Dir);

    public void Destroy() => CgroupDirectories.RemoveTree(Dir);
}
