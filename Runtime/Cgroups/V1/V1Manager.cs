namespace Runcs.Runtime.Cgroups.V1;

/// <summary>
/// cgroup v1: one directory per mounted hierarchy. On a hybrid host the v2
/// hierarchy ("unified") holds no controllers but gets the container too, as
/// runc does, so that tools reading it see where the container lives.
/// </summary>
public sealed class V1Manager(IReadOnlyDictionary<string, string> paths) : ICgroupManager
{
    public IReadOnlyDictionary<string, string> Paths { get; } = paths;

    public void Create()
    {
        foreach (var (key, dir) in Paths)
        {
            CgroupDirectories.CreateAll(dir);
            if (key.Split(',').Contains("cpuset"))
                Cpuset.InheritFromParents(dir);
        }
    }

    public void Join(int pid)
    {
        foreach (var dir in Paths.Values)
            CgroupDirectories.AddProcess(dir, pid);
    }

    public IReadOnlyList<int> Pids()
    {
        // Every hierarchy holds every process; the unified one when present, else any.
        var dir = Paths.GetValueOrDefault("unified") ?? Paths.GetValueOrDefault("pids") ?? Paths.Values.FirstOrDefault();
        return dir is null ? [] : CgroupDirectories.Processes(dir).Distinct().ToList();
    }

    public void Destroy()
    {
        foreach (var dir in Paths.Values)
            CgroupDirectories.RemoveTree(dir);
    }
}
