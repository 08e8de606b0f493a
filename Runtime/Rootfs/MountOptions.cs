namespace Runcs.Runtime.Rootfs;

/// <summary>mount(2) flags, with the kernel's names.</summary>
[Flags]
public enum MountFlags : ulong
{
    None = 0,
    ReadOnly = 1,            // MS_RDONLY
    NoSuid = 2,              // MS_NOSUID
    NoDev = 4,               // MS_NODEV
    NoExec = 8,              // MS_NOEXEC
    Synchronous = 16,        // MS_SYNCHRONOUS
    Remount = 32,            // MS_REMOUNT
    MandLock = 64,           // MS_MANDLOCK
    DirSync = 128,           // MS_DIRSYNC
    NoSymFollow = 256,       // MS_NOSYMFOLLOW
    NoAtime = 1024,          // MS_NOATIME
    NoDirAtime = 2048,       // MS_NODIRATIME
    Bind = 4096,             // MS_BIND
    Move = 8192,             // MS_MOVE
    Rec = 16384,             // MS_REC
    Silent = 32768,          // MS_SILENT
    PosixAcl = 1 << 16,      // MS_POSIXACL
    Unbindable = 1 << 17,    // MS_UNBINDABLE
    Private = 1 << 18,       // MS_PRIVATE
    Slave = 1 << 19,         // MS_SLAVE
    Shared = 1 << 20,        // MS_SHARED
    RelAtime = 1 << 21,      // MS_RELATIME
    IVersion = 1 << 23,      // MS_I_VERSION
    StrictAtime = 1 << 24,   // MS_STRICTATIME
    LazyTime = 1 << 25,      // MS_LAZYTIME
}

/// <summary>mount_setattr(2) attributes (MOUNT_ATTR_*).</summary>
[Flags]
public enum MountAttributes : ulong
{
    ReadOnly = 0x1,
    NoSuid = 0x2,
    NoDev = 0x4,
    NoExec = 0x8,
    RelAtime = 0x0,
    NoAtime = 0x10,
    StrictAtime = 0x20,
    AtimeMask = 0x70,
    NoDirAtime = 0x80,
    NoSymFollow = 0x200000,
}

/// <summary>
/// A mount's "options" split the way runc splits them: flags to set or clear,
/// propagation changes applied after the mount, and everything else passed
/// to the filesystem as its data string ("mode=755,size=65536k").
/// </summary>
public sealed record MountOptions(MountFlags Flags, IReadOnlyList<MountFlags> Propagation, string Data, MountAttributes RecursiveSet = 0, MountAttributes RecursiveClear = 0)
{
    private static readonly Dictionary<string, (bool Clear, MountFlags Flag)> FlagOptions = new()
    {
        ["acl"] = (false, MountFlags.PosixAcl),
        ["async"] = (true, MountFlags.Synchronous),
        ["atime"] = (true, MountFlags.NoAtime),
        ["bind"] = (false, MountFlags.Bind),
        ["defaults"] = (false, MountFlags.None),
        ["dev"] = (true, MountFlags.NoDev),
        ["diratime"] = (true, MountFlags.NoDirAtime),
        ["dirsync"] = (false, MountFlags.DirSync),
        ["exec"] = (true, MountFlags.NoExec),
        ["iversion"] = (false, MountFlags.IVersion),
        ["lazytime"] = (false, MountFlags.LazyTime),
        ["loud"] = (true, MountFlags.Silent),
        ["mand"] = (false, MountFlags.MandLock),
        ["noacl"] = (true, MountFlags.PosixAcl),
        ["noatime"] = (false, MountFlags.NoAtime),
        ["nodev"] = (false, MountFlags.NoDev),
        ["nodiratime"] = (false, MountFlags.NoDirAtime),
        ["noexec"] = (false, MountFlags.NoExec),
        ["noiversion"] = (true, MountFlags.IVersion),
        ["nolazytime"] = (true, MountFlags.LazyTime),
        ["nomand"] = (true, MountFlags.MandLock),
        ["norelatime"] = (true, MountFlags.RelAtime),
        ["nostrictatime"] = (true, MountFlags.StrictAtime),
        ["nosuid"] = (false, MountFlags.NoSuid),
        ["nosymfollow"] = (false, MountFlags.NoSymFollow),
        ["rbind"] = (false, MountFlags.Bind | MountFlags.Rec),
        ["relatime"] = (false, MountFlags.RelAtime),
        ["remount"] = (false, MountFlags.Remount),
        ["ro"] = (false, MountFlags.ReadOnly),
        ["rw"] = (true, MountFlags.ReadOnly),
        ["silent"] = (false, MountFlags.Silent),
        ["strictatime"] = (false, MountFlags.StrictAtime),
        ["suid"] = (true, MountFlags.NoSuid),
        ["symfollow"] = (true, MountFlags.NoSymFollow),
        ["sync"] = (false, MountFlags.Synchronous),
    };

    private static readonly Dictionary<string, MountFlags> PropagationOptions = new()
    {
        ["private"] = MountFlags.Private,
        ["rprivate"] = MountFlags.Private | MountFlags.Rec,
        ["shared"] = MountFlags.Shared,
        ["rshared"] = MountFlags.Shared | MountFlags.Rec,
        ["slave"] = MountFlags.Slave,
        ["rslave"] = MountFlags.Slave | MountFlags.Rec,
        ["unbindable"] = MountFlags.Unbindable,
        ["runbindable"] = MountFlags.Unbindable | MountFlags.Rec,
    };

    /// <summary>
    /// runc's recursive options, applied to the whole mounted tree with
    /// mount_setattr(AT_RECURSIVE): mount(2) flags stop at the first mount.
    /// </summary>
    private static readonly Dictionary<string, (bool Clear, MountAttributes Attribute)> RecursiveOptions = new()
    {
        ["rro"] = (false, MountAttributes.ReadOnly),
        ["rrw"] = (true, MountAttributes.ReadOnly),
        ["rnosuid"] = (false, MountAttributes.NoSuid),
        ["rsuid"] = (true, MountAttributes.NoSuid),
        ["rnodev"] = (false, MountAttributes.NoDev),
        ["rdev"] = (true, MountAttributes.NoDev),
        ["rnoexec"] = (false, MountAttributes.NoExec),
        ["rexec"] = (true, MountAttributes.NoExec),
        ["rnodiratime"] = (false, MountAttributes.NoDirAtime),
        ["rdiratime"] = (true, MountAttributes.NoDirAtime),
        ["rrelatime"] = (false, MountAttributes.RelAtime),
        ["rnorelatime"] = (true, MountAttributes.RelAtime),
        ["rnoatime"] = (false, MountAttributes.NoAtime),
        ["ratime"] = (true, MountAttributes.NoAtime),
        ["rstrictatime"] = (false, MountAttributes.StrictAtime),
        ["rnostrictatime"] = (true, MountAttributes.StrictAtime),
        ["rnosymfollow"] = (false, MountAttributes.NoSymFollow),
        ["rsymfollow"] = (true, MountAttributes.NoSymFollow),
    };

    /// <summary>
    /// runc's id-mapping options: "idmap" maps the mount itself, "ridmap" every mount of an rbind tree too.
    /// Without mounts[].uidMappings/gidMappings they take the container's user namespace mappings.
    /// </summary>
    public const string IdMapOption = "idmap";
    public const string RecursiveIdMapOption = "ridmap";

    /// <summary>runc's "tmpcopyup": a tmpfs starts with a copy of what its directory held (podman asks for it on --tmpfs).</summary>
    public const string TmpCopyUpOption = "tmpcopyup";

    /// <summary>Every option name runcs gives a meaning to (the features command lists them).</summary>
    public static IEnumerable<string> KnownOptions =>
        FlagOptions.Keys.Concat(PropagationOptions.Keys).Concat(RecursiveOptions.Keys)
            .Append(IdMapOption).Append(RecursiveIdMapOption).Append(TmpCopyUpOption).Order(StringComparer.Ordinal);

    /// <summary>"tmpcopyup" was given.</summary>
    public bool TmpCopyUp { get; init; }

    /// <summary>"idmap" or "ridmap" was given.</summary>
    public bool IdMapped { get; init; }

    /// <summary>"ridmap": MOUNT_ATTR_IDMAP on every mount of the tree, not only its top.</summary>
    public bool IdMapRecursive { get; init; }

    public bool HasRecursiveAttributes => RecursiveSet != 0 || RecursiveClear != 0;

    public bool IsBind => Flags.HasFlag(MountFlags.Bind);

    public static MountOptions Parse(IEnumerable<string>? options)
    {
        var flags = MountFlags.None;
        var propagation = new List<MountFlags>();
        var data = new List<string>();
        MountAttributes set = 0, clear = 0;
        bool idMapped = false, idMapRecursive = false, tmpCopyUp = false;
        foreach (var option in options ?? [])
        {
            if (option == TmpCopyUpOption)
            {
                tmpCopyUp = true;
            }
            else if (option is IdMapOption or RecursiveIdMapOption)
            {
                // The last one given wins, as in runc.
                idMapped = true;
                idMapRecursive = option == RecursiveIdMapOption;
            }
            else if (RecursiveOptions.TryGetValue(option, out var r))
            {
                if (r.Clear)
                {
                    clear |= r.Attribute;
                }
                else
                {
                    set |= r.Attribute;
                    // An access-time mode is set by clearing the whole access-time field with it (mount_setattr(2)).
                    if ((r.Attribute & MountAttributes.AtimeMask) == r.Attribute)
                        clear |= MountAttributes.AtimeMask;
                }
            }
            else if (FlagOptions.TryGetValue(option, out var f))
            {
                flags = f.Clear ? flags & ~f.Flag : flags | f.Flag;
            }
            else if (PropagationOptions.TryGetValue(option, out var p))
            {
                propagation.Add(p);
            }
            else if (option.Length > 0)
            {
                data.Add(option);
            }
        }
        return new MountOptions(flags, propagation, string.Join(',', data), set, clear)
        {
            IdMapped = idMapped,
            IdMapRecursive = idMapRecursive,
            TmpCopyUp = tmpCopyUp,
        };
    }

    /// <summary>
    /// Parses a rootfsPropagation value ("rslave", "private", ...); null when the
    /// value is not a propagation mode (the validator reports that).
    /// </summary>
    public static MountFlags? ParsePropagation(string value) =>
        PropagationOptions.TryGetValue(value, out var p) ? p : null;
}
