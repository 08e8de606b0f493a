using Runcs.Runtime.Native;
using Runcs.Runtime.Rootfs;
using Runcs.Shim.Api;
using Runcs.Shim.Native;

namespace Runcs.Shim.Rootfs;

/// <summary>
/// The container's root filesystem as containerd hands it over: a list of
/// mounts (usually one overlay from the snapshotter) to stack on
/// BUNDLE/rootfs before the container is created, and to take down at delete.
/// </summary>
public static class RootfsMounts
{
    public static string PathIn(string bundle) => System.IO.Path.Combine(bundle, "rootfs");

    public static void Mount(IReadOnlyList<Mount> mounts, string bundle)
    {
        var target = PathIn(bundle);
        Directory.CreateDirectory(target);
        foreach (var mount in mounts)
        {
            var options = MountOptions.Parse(mount.Options);
            var flags = (ulong)options.Flags;
            string? data = options.Data.Length > 0 ? options.Data : null;
            if (ShimSyscalls.mount(mount.Source, target, mount.Type, flags, data) < 0)
            {
                int errno = Syscalls.LastErrno;
                Unmount(bundle);
                throw new IOException($"mount {mount.Type} {mount.Source} on {target} (options {string.Join(',', mount.Options)}): {Syscalls.Describe(errno)}");
            }
            // A bind mount's flags (ro, ...) only apply on a remount, as mount(8) does it.
            if (options.IsBind && (options.Flags & MountFlags.ReadOnly) != 0
                && ShimSyscalls.mount(null, target, null, flags | (ulong)MountFlags.Remount, null) < 0)
            {
                int errno = Syscalls.LastErrno;
                Unmount(bundle);
                throw new IOException($"remount {target} read-only: {Syscalls.Describe(errno)}");
            }
        }
    }

    /// <summary>Unmounts everything stacked on BUNDLE/rootfs; nothing mounted is not an error.</summary>
    public static void Unmount(string bundle)
    {
        var target = PathIn(bundle);
        for (int i = 0; i < 32 && ShimSyscalls.umount2(target, 0) == 0; i++)
        {
        }
        int errno = Syscalls.LastErrno;
        if (errno == 16 /* EBUSY */)
            ShimSyscalls.umount2(target, ShimSyscalls.MNT_DETACH);
    }
}
