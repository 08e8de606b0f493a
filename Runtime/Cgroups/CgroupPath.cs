namespace Runcs.Runtime.Cgroups;

/// <summary>
/// Where a container's cgroup goes in each hierarchy, from linux.cgroupsPath
/// the way runc reads it: an absolute path is taken from the hierarchy's top,
/// a relative one (and the default, the container id) from the runtime's own cgroup.
/// </summary>
public static class CgroupPath
{
    public static IReadOnlyDictionary<string, string> Resolve(CgroupLayout layout, string? cgroupsPath, string containerId, bool systemdDriver)
    {
        if (systemdDriver)
            throw new RuntimeException("systemd cgroup driver is not supported by runcs (--systemd-cgroup)");
        var path = string.IsNullOrEmpty(cgroupsPath) ? containerId : cgroupsPath;
        if (path.Split('/').Contains(".."))
            throw new RuntimeException($"linux.cgroupsPath: \"{cgroupsPath}\" must not contain \"..\"");
        if (path.Trim('/').Length == 0)
            throw new RuntimeException($"linux.cgroupsPath: \"{cgroupsPath}\" names the root cgroup");

        var dirs = new Dictionary<string, string>();
        foreach (var h in layout.Hierarchies)
        {
            string cgroup = path.StartsWith('/')
                ? Clean(path)
                : Clean((layout.OwnCgroups.GetValueOrDefault(h.Key) ?? OwnFor(layout, h)) + "/" + path);
            dirs[h.Key] = CgroupLayout.Directory(h, cgroup);
        }
        return dirs;
    }

    /// <summary>/proc/self/cgroup names a co-mounted hierarchy by each of its controllers too.</summary>
    private static string OwnFor(CgroupLayout layout, CgroupHierarchy h) =>
        h.Controllers.Select(c => layout.OwnCgroups.GetValueOrDefault(c)).FirstOrDefault(p => p is not null) ?? "/";

    private static string Clean(string path) =>
        "/" + string.Join('/', path.Split('/', StringSplitOptions.RemoveEmptyEntries).Where(p => p != "."));
}
