namespace Runcs.Runtime.Cgroups.V2;

/// <summary>cgroup v2: one directory in the single hierarchy.</summary>
public sealed class V2Manager(IReadOnlyDictionary<string, string> paths) : ICgroupManager
{
    public IReadOnlyDictionary<string, string> Paths { get; } = paths;

    private string Dir => Paths["unified"];

    public void Create() => CgroupDirectories.CreateAll(Dir);

    public void Join(int pid) => CgroupDirectories.AddProcess(Dir, pid);

    public IReadOnlyList<int> Pids() => CgroupDirectories.Processes(Dir).Distinct().ToList();

    public void Destroy() => CgroupDirectories.RemoveTree(Dir);
}
