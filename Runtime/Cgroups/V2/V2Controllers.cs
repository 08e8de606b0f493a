namespace Runcs.Runtime.Cgroups.V2;

/// <summary>
/// On v2 a controller works in a cgroup only when every ancestor lists it in
/// cgroup.subtree_control. Like runc and crun, enable in each ancestor, from the
/// top of the mount down to the container's parent, every controller that
/// ancestor has. Failures are left alone here (a delegated subtree may not allow
/// it, a parent with processes of its own refuses domain controllers): a limit
/// that then has no controller fails when it is written, naming its field.
/// </summary>
public static class V2Controllers
{
    /// <param name="only">Enable just these (a hybrid host borrowing one controller from its v2 hierarchy); null for all.</param>
    public static void EnableAbove(string dir, IReadOnlyCollection<string>? only = null)
    {
        var ancestors = new List<string>();
        for (var parent = Path.GetDirectoryName(dir); parent is not null && CgroupFile.Exists(parent, "cgroup.controllers"); parent = Path.GetDirectoryName(parent))
            ancestors.Add(parent);
        ancestors.Reverse();
        foreach (var ancestor in ancestors)
        {
            var available = Available(ancestor);
            var enabled = Enabled(ancestor);
            var missing = available.Where(c => !enabled.Contains(c) && (only is null || only.Contains(c))).Select(c => "+" + c).ToList();
            if (missing.Count == 0)
                continue;
            if (CgroupFile.TryWrite(ancestor, "cgroup.subtree_control", string.Join(' ', missing)) != 0)
                foreach (var one in missing)
                    CgroupFile.TryWrite(ancestor, "cgroup.subtree_control", one);
        }
    }

    /// <summary>The controllers a cgroup can use (cgroup.controllers).</summary>
    public static HashSet<string> Available(string dir) => Words(CgroupFile.Read(dir, "cgroup.controllers"));

    private static HashSet<string> Enabled(string dir) => Words(CgroupFile.Read(dir, "cgroup.subtree_control"));

    private static HashSet<string> Words(string? text) => (text ?? "").Split((char[])[' ', '\n'], StringSplitOptions.RemoveEmptyEntries).ToHashSet();
}
