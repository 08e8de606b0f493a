namespace Runcs.Runtime.Native;

/// <summary>
/// The operations the C executor understands. The numbers are those of
/// Runtime/Native/executor.h; a unit test checks that both sides agree.
/// </summary>
public enum PlanOp : ushort
{
    SetNs = 1,
    Unshare = 2,
    Sync = 3,
    Fork = 4,
    Prctl = 5,
    WriteFile = 6,
    SetResUid = 7,
    SetResGid = 8,
    SetGroups = 9,
    CloseExcept = 10,

    OpenRoot = 20,
    Mount = 21,
    Mknod = 22,
    Symlink = 23,
    MaskPath = 24,
    ReadonlyPath = 25,
    PivotRoot = 26,
    MoveRoot = 27,
    Chdir = 28,
    RemountRootReadonly = 29,
    MountSetattr = 30,
    AttachMount = 31,

    SetHostname = 40,
    SetDomainname = 41,
    Umask = 42,
    SetRlimit = 43,
    CapBoundingKeep = 44,
    CapSet = 45,
    CapAmbient = 46,
    Seccomp = 47,
    Console = 48,
    Dup2 = 49,
    CloexecFrom = 50,
    LookupExec = 51,
    Ready = 52,
    WaitExecFifo = 53,
    Hook = 54,
    Execve = 55,
    SetSid = 56,
    WriteFileInRoot = 57,
    SetNsPath = 58,
    Personality = 59,
    SchedSetattr = 60,
    IoprioSet = 61,
    SetAffinity = 62,
    JoinSessionKeyring = 63,
    MkdirInRoot = 64,
}

/// <summary>What OP_MOUNT creates when its target is missing (enum runcs_mount_target).</summary>
public enum MountTarget
{
    HostPath = 0,
    Directory = 1,
    File = 2,
    LikeSource = 3,
    /// <summary>A directory, and what it held is copied into the new mount (runc's "tmpcopyup").</summary>
    DirectoryCopyUp = 4,
}

/// <summary>Messages the executor sends on the sync socket (enum runcs_msg).</summary>
public enum ExecutorMessage : uint
{
    Sync = 1,
    Pid = 2,
    Error = 3,
    Ready = 4,
}
