namespace Runcs.Runtime.Cgroups.V1;

/// <summary>
/// A new v1 cpuset cgroup starts with empty cpuset.cpus and cpuset.mems, and
/// the kernel refuses to add a process to it until they are filled: copy them
/// down from the nearest parent that has them, level by level.
/// </summary>
public static class Cpuset
{
    public static void InheritFromParents(string dir)
    {
        var parent = Path.GetDirectoryName(dir);
        if (parent is null || !File.Exists(Path.Combine(parent, "cpuset.cpus")))
            return;
        if (IsEmpty(parent, "cpuset.cpus") || IsEmpty(parent, "cpuset.mems"))
            InheritFromParents(parent);
        foreach (var file in new[] { "cpuset.cpus", "cpuset.mems" })
        {
            if (IsEmpty(dir, file))
                File.WriteAllText(Path.Combine(dir, file), File.ReadAllText(Path.Combine(parent, file)).Trim());
        }
    }

    private static bool IsEmpty(string dir, string file) => File.ReadAllText(Path.Combine(dir, file)).Trim().Length == 0;
}
