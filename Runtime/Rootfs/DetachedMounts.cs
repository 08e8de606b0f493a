using Runcs.Runtime.Namespaces;
using Runcs.Runtime.Native;
using Runcs.Spec;
using Tmds.Linux;

namespace Runcs.Runtime.Rootfs;

/// <summary>A mount made by the runtime, not attached anywhere yet; the init attaches it (OP_ATTACH_MOUNT).</summary>
public sealed record DetachedMount(int Fd, bool IsDirectory);

/// <summary>
/// The id-mapped bind mounts of a container (mounts[].uidMappings and
/// gidMappings, or the "idmap" and "ridmap" options), made by the runtime
/// before the init is cloned.
///
/// MOUNT_ATTR_IDMAP can only be set on a mount that is not attached yet, and it
/// takes the mapping as a user namespace descriptor. So, per mount: a user
/// namespace holding the mapping (MappingNamespaces), a detached copy of the
/// source (open_tree with OPEN_TREE_CLONE, AT_RECURSIVE for rbind), its
/// propagation set to the rootfs propagation (a copy of a shared host mount
/// would otherwise share mount events with the host both ways; a bind made
/// inside the container's rslave mount namespace only receives them), then
/// the id mapping (on the whole tree for "ridmap", as runc). The init
/// inherits the descriptor and attaches the mount at its destination inside
/// the root; remount flags and propagation options follow as for any bind.
///
/// Sources resolve in the runtime's mount namespace, before the container's
/// earlier mounts exist (runc resolves them in the container's namespace at
/// mount time): the same result unless a source lies below an earlier mount's
/// destination.
/// </summary>
public sealed class DetachedMounts : IDisposable
{
    private readonly Dictionary<int, DetachedMount> byIndex = [];
    private readonly MappingNamespaces namespaces = new();

    private DetachedMounts()
    {
    }

    /// <summary>The mounts by their index in config.json's mounts.</summary>
    public IReadOnlyDictionary<int, DetachedMount> ByIndex => byIndex;

    /// <summary>Whether this kernel can make id-mapped mounts (runcs features).</summary>
    public static bool KernelSupportsIdMap => Syscalls.HasMountSetattr();

    public static bool IsIdMapped(Mount mount, MountOptions options) =>
        options.IdMapped || mount.UidMappings is { Count: > 0 } || mount.GidMappings is { Count: > 0 };

    /// <summary>
    /// Makes every id-mapped mount of a validated config; on failure nothing is
    /// left (descriptors closed, helpers reaped) and the error names the mount.
    /// </summary>
    public static DetachedMounts Prepare(Config config, string bundle)
    {
        var made = new DetachedMounts();
        try
        {
            var mounts = config.Mounts ?? [];
            var propagation = RootfsPlan.RootPropagation(config.Linux) & ~MountFlags.Rec;
            for (int i = 0; i < mounts.Count; i++)
            {
                var options = MountOptions.Parse(mounts[i].Options);
                if (IsIdMapped(mounts[i], options))
                    made.byIndex[i] = made.MakeIdMapped(config, bundle, mounts[i], options, propagation, i);
            }
            made.namespaces.Dispose(); // the mounts hold the user namespaces they need
            return made;
        }
        catch
        {
            made.Dispose();
            throw;
        }
    }

    private DetachedMount MakeIdMapped(Config config, string bundle, Mount mount, MountOptions options, MountFlags propagation, int index)
    {
        var field = $"mounts[{index}]";
        var source = RootfsPlan.SourcePath(bundle, mount.Source);
        int userns = UserNamespaceFor(config, mount, field);

        var recursiveBind = options.Flags.HasFlag(MountFlags.Rec);
        int fd = Syscalls.OpenTree(source, Syscalls.OPEN_TREE_CLONE | Syscalls.OPEN_TREE_CLOEXEC | (recursiveBind ? Syscalls.AT_RECURSIVE : 0));
        if (fd < 0)
            throw new RuntimeException($"{field}: id-mapped mount of \"{source}\": {Syscalls.Describe(Syscalls.LastErrno)}");
        try
        {
            if (Syscalls.MountSetattr(fd, Syscalls.AT_RECURSIVE, new Syscalls.MountAttr { Propagation = (ulong)propagation }) < 0)
                throw new RuntimeException($"{field}: set the propagation of \"{source}\": {Syscalls.Describe(Syscalls.LastErrno)}");
            var idmap = new Syscalls.MountAttr { AttrSet = Syscalls.MOUNT_ATTR_IDMAP, UsernsFd = (ulong)userns };
            if (Syscalls.MountSetattr(fd, options.IdMapRecursive ? Syscalls.AT_RECURSIVE : 0, idmap) < 0)
                throw IdMapRefused(field, source, Syscalls.LastErrno);
            return new DetachedMount(fd, Directory.Exists($"/proc/self/fd/{fd}"));
        }
        catch
        {
            LibC.close(fd);
            throw;
        }
    }

    /// <summary>
    /// The mount's own mappings; without them ("idmap" alone) the container's,
    /// or the user namespace it joins, as runc does.
    /// </summary>
    private int UserNamespaceFor(Config config, Mount mount, string field)
    {
        if (mount.UidMappings is { Count: > 0 } uids && mount.GidMappings is { Count: > 0 } gids)
            return namespaces.Get(uids, gids, field + ".uidMappings", field + ".gidMappings");
        var user = config.Linux?.Namespaces?.FirstOrDefault(n => n.Type == "user")
            ?? throw new RuntimeException($"{field}.uidMappings: an id-mapped mount without mappings needs a user namespace to take them from");
        if (!string.IsNullOrEmpty(user.Path))
            return namespaces.Open(user.Path, field);
        return namespaces.Get(config.Linux!.UidMappings ?? [], config.Linux.GidMappings ?? [], "linux.uidMappings", "linux.gidMappings");
    }

    private static RuntimeException IdMapRefused(string field, string source, int errno) => errno switch
    {
        22 /* EINVAL */ => new RuntimeException(
            $"{field}.uidMappings: the file system of \"{source}\" does not support id-mapped mounts on this kernel (mount_setattr MOUNT_ATTR_IDMAP: {Syscalls.Describe(errno)})"),
        38 /* ENOSYS */ => new RuntimeException($"{field}.uidMappings: this kernel has no id-mapped mounts (mount_setattr: {Syscalls.Describe(errno)})"),
        _ => new RuntimeException($"{field}.uidMappings: id-map \"{source}\" (mount_setattr MOUNT_ATTR_IDMAP): {Syscalls.Describe(errno)}"),
    };

    /// <summary>
    /// Closes the runtime's descriptors: once the init has been cloned it holds
    /// its own copies; before that, closing releases the detached mounts.
    /// </summary>
    public void Dispose()
    {
        foreach (var mount in byIndex.Values)
            LibC.close(mount.Fd);
        byIndex.Clear();
        namespaces.Dispose();
    }
}
