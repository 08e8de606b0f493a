using Runcs.Runtime.Cgroups;
using Runcs.Runtime.Native;

namespace Runcs.Runtime.Rootfs;

/// <summary>
/// A mount of type "cgroup" means "the container's view of its cgroups", which
/// differs by layout. On v2, a cgroup2 mount. On v1 and hybrid hosts, as runc
/// does: a tmpfs with one directory per v1 hierarchy, each either a fresh
/// cgroup mount (in a new cgroup namespace, where it shows the container's
/// cgroup as its root) or a bind of the container's own cgroup directory.
/// </summary>
public static class CgroupMounts
{
    public static void Emit(PlanBuilder plan, RootfsSetup setup, string destination, MountOptions options, string what)
    {
        var layout = setup.CgroupLayout;
        if (layout.Mode == CgroupMode.V2)
        {
            plan.Mount("cgroup2", destination, "cgroup2", (ulong)options.Flags, null, MountTarget.Directory, what);
            return;
        }

        var tmpfsFlags = MountFlags.NoSuid | MountFlags.NoDev | MountFlags.NoExec;
        plan.Mount("tmpfs", destination, "tmpfs", (ulong)tmpfsFlags, "mode=755", MountTarget.Directory, what + " (tmpfs)");
        foreach (var h in layout.Hierarchies.Where(h => !h.IsV2))
        {
            var name = Path.GetFileName(h.MountPoint.TrimEnd('/'));
            var target = destination + "/" + name;
            var flags = options.Flags & ~MountFlags.Bind;
            if (setup.NewCgroupNamespace)
            {
                plan.Mount("cgroup", target, "cgroup", (ulong)flags, string.Join(',', h.Controllers), MountTarget.Directory, $"{what} ({name})");
            }
            else
            {
                var source = setup.CgroupPaths[h.Key];
                plan.Mount(source, target, null, (ulong)(MountFlags.Bind | MountFlags.Rec), null, MountTarget.Directory, $"{what} ({name})");
                plan.Mount(null, target, null, (ulong)(flags | MountFlags.Bind | MountFlags.Remount), null, MountTarget.Directory, $"{what} ({name}, remount)");
            }
            // "cpu,cpuacct" is reached as "cpu" and "cpuacct" too.
            if (h.Controllers.Count > 1)
                foreach (var controller in h.Controllers.Where(c => c != name && !c.Contains('=')))
                    plan.Symlink(name, destination + "/" + controller);
        }
    }
}
