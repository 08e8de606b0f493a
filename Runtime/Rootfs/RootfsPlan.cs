using Runcs.Runtime.Cgroups;
using Runcs.Runtime.Native;
using Runcs.Spec;

namespace Runcs.Runtime.Rootfs;

/// <summary>What the rootfs plan needs besides config.json.</summary>
public sealed record RootfsSetup
{
    public required Config Config { get; init; }
    public required string Bundle { get; init; }

    /// <summary>root.path made absolute.</summary>
    public required string Rootfs { get; init; }

    public bool NoPivot { get; init; }
    public bool NewCgroupNamespace { get; init; }
    public required CgroupLayout CgroupLayout { get; init; }

    /// <summary>The container's cgroup directory per hierarchy key, for /sys/fs/cgroup bind mounts.</summary>
    public required IReadOnlyDictionary<string, string> CgroupPaths { get; init; }

    /// <summary>Mounts the runtime made before cloning (id-mapped ones), by their index in mounts.</summary>
    public IReadOnlyDictionary<int, DetachedMount> DetachedMounts { get; init; } = new Dictionary<int, DetachedMount>();

    /// <summary>Called between mounts and pivot_root, where the createRuntime/createContainer syncs go.</summary>
    public Action<PlanBuilder>? BeforePivot { get; init; }
}

/// <summary>
/// Builds the container's root filesystem: propagation, the rootfs bind, every
/// mount in config order, /dev, then pivot_root, then the paths that must be
/// masked or read-only. The order follows runc's, so configs that work there
/// work here.
/// </summary>
public static class RootfsPlan
{
    public static void EmitBeforePivot(PlanBuilder plan, RootfsSetup setup)
    {
        var config = setup.Config;
        var linux = config.Linux;
        var rootfs = setup.Rootfs;

        var propagation = RootPropagation(linux);
        plan.Mount(null, "/", null, (ulong)propagation, null, MountTarget.HostPath, "set the propagation of /");
        if (propagation.HasFlag(MountFlags.Shared))
            MakeParentMountPrivate(plan, rootfs);

        // pivot_root needs the new root to be a mount point.
        plan.Mount(rootfs, rootfs, null, (ulong)(MountFlags.Bind | MountFlags.Rec), null, MountTarget.HostPath, $"bind mount the rootfs \"{rootfs}\"");
        plan.OpenRoot(rootfs);

        var mounts = config.Mounts ?? [];
        for (int i = 0; i < mounts.Count; i++)
            EmitMount(plan, setup, mounts[i], i);

        if (!DevIsBoundFromHost(mounts))
            Devices.Emit(plan, linux?.Devices ?? [], HostHasKcore());

        // A cwd missing from the image is created (root-owned, 0755) after the mounts, so it lands in
        // whatever is mounted there, and before root.readonly: runc does the same, and images with a
        // WORKDIR that no layer creates rely on it.
        if (config.Process?.Cwd is { Length: > 0 } cwd && CleanDestination(cwd) != "/")
            plan.MkdirInRoot(CleanDestination(cwd), $"create the cwd \"{cwd}\" set in config.json");

        setup.BeforePivot?.Invoke(plan);

        if (setup.NoPivot)
            plan.MoveRoot(rootfs);
        else
            plan.PivotRoot(rootfs);
        // rootfsPropagation is for the container's root, which only now is "/": set before pivot_root
        // it was given to the host's tree copy (and the rootfs' parent had to be made private).
        if (linux?.RootfsPropagation is { Length: > 0 } && !propagation.HasFlag(MountFlags.Private))
            plan.Mount(null, "/", null, (ulong)propagation, null, MountTarget.HostPath, "set the propagation of the container's root (linux.rootfsPropagation)");
        plan.OpenRoot("/");
    }

    /// <summary>root.readonly, once everything that writes to the root is done (the console's /dev/console).</summary>
    public static void EmitReadonlyRoot(PlanBuilder plan, Config config)
    {
        if (config.Root?.Readonly == true)
            plan.RemountRootReadonly();
    }

    /// <summary>Last of all (after sysctls, which write to /proc/sys): read-only paths, then masked ones.</summary>
    public static void EmitReadonlyAndMaskedPaths(PlanBuilder plan, Config config)
    {
        foreach (var path in config.Linux?.ReadonlyPaths ?? [])
            plan.ReadonlyPath(path);
        foreach (var path in config.Linux?.MaskedPaths ?? [])
            plan.MaskPath(path);
    }

    /// <summary>linux.rootfsPropagation, rslave when it is not set (as runc).</summary>
    public static MountFlags RootPropagation(Linux? linux) =>
        linux?.RootfsPropagation is { Length: > 0 } p
            ? MountOptions.ParsePropagation(p) ?? throw new RuntimeException($"linux.rootfsPropagation: unknown propagation \"{p}\"")
            : MountFlags.Slave | MountFlags.Rec;

    private static void EmitMount(PlanBuilder plan, RootfsSetup setup, Mount mount, int index)
    {
        var destination = CleanDestination(mount.Destination);
        var options = MountOptions.Parse(mount.Options);
        var what = $"mounts[{index}]: mount \"{mount.Source ?? mount.Type}\" on \"{destination}\"";

        if (mount.Type == "cgroup" || mount.Type == "cgroup2")
        {
            CgroupMounts.Emit(plan, setup, destination, options, what);
        }
        else if (options.IsBind || mount.Type == "bind")
        {
            if (setup.DetachedMounts.TryGetValue(index, out var detached))
            {
                plan.AttachMount(detached.Fd, destination, detached.IsDirectory ? MountTarget.Directory : MountTarget.File, what + " (id-mapped)");
            }
            else
            {
                if (DetachedMounts.IsIdMapped(mount, options))
                    throw new RuntimeException($"mounts[{index}]: the id-mapped mount was not made before the init plan");
                var source = SourcePath(setup.Bundle, mount.Source);
                var bindFlags = MountFlags.Bind | (options.Flags & MountFlags.Rec);
                plan.Mount(source, destination, null, (ulong)bindFlags, null, MountTarget.LikeSource, what);
            }
            // A bind mount ignores every other flag: they take a remount.
            if ((options.Flags & ~(MountFlags.Bind | MountFlags.Rec | MountFlags.Remount)) != 0)
                plan.Mount(null, destination, null, (ulong)(options.Flags | MountFlags.Remount | MountFlags.Bind), null, MountTarget.Directory, what + " (remount)");
        }
        else if (options.TmpCopyUp && mount.Type == "tmpfs")
        {
            // The copy needs a writable tmpfs: read-only comes with a remount after it, as in runc.
            var writable = options.Flags & ~MountFlags.ReadOnly;
            plan.Mount(mount.Source ?? mount.Type, destination, mount.Type, (ulong)writable, options.Data, MountTarget.DirectoryCopyUp, what + " (tmpcopyup)");
            if (options.Flags.HasFlag(MountFlags.ReadOnly))
                plan.Mount(null, destination, null, (ulong)(options.Flags | MountFlags.Remount), null, MountTarget.Directory, what + " (read-only after tmpcopyup)");
        }
        else
        {
            plan.Mount(mount.Source ?? mount.Type, destination, mount.Type, (ulong)options.Flags, options.Data, MountTarget.Directory, what);
        }

        foreach (var flag in options.Propagation)
            plan.Mount(null, destination, null, (ulong)flag, null, MountTarget.Directory, what + " (propagation)");
        if (options.HasRecursiveAttributes)
            plan.MountSetattr(destination, (ulong)options.RecursiveSet, (ulong)options.RecursiveClear, what + " (recursive options)");
    }

    /// <summary>runc accepts a destination without a leading "/" as relative to the root.</summary>
    public static string CleanDestination(string destination) =>
        "/" + string.Join('/', destination.Split('/', StringSplitOptions.RemoveEmptyEntries).Where(p => p != "."));

    /// <summary>A relative bind source is relative to the bundle, as runc reads it.</summary>
    public static string SourcePath(string bundle, string? source)
    {
        if (string.IsNullOrEmpty(source))
            throw new RuntimeException("bind mount without a source");
        return Path.IsPathRooted(source) ? source : Path.GetFullPath(Path.Combine(bundle, source));
    }

    private static bool DevIsBoundFromHost(IReadOnlyList<Mount> mounts) =>
        mounts.Any(m => CleanDestination(m.Destination) == "/dev" && (m.Type == "bind" || MountOptions.Parse(m.Options).IsBind));

    private static bool HostHasKcore() => File.Exists("/proc/kcore");

    /// <summary>
    /// With shared propagation on /, the rootfs' parent mount would be shared
    /// too, and pivot_root refuses a shared parent: make that one mount private.
    /// </summary>
    private static void MakeParentMountPrivate(PlanBuilder plan, string rootfs)
    {
        var parent = MountInfo.MountOf(MountInfo.Read(), rootfs);
        if (parent is not null)
            plan.Mount(null, parent.MountPoint, null, (ulong)MountFlags.Private, null, MountTarget.HostPath, $"make \"{parent.MountPoint}\" private");
    }
}
