using System.Text;

namespace Runcs.Runtime.Native;

/// <summary>Why the executor stops and asks the parent to act (OP_SYNC's tag).</summary>
public enum SyncTag
{
    /// <summary>Write the uid/gid maps of the new user namespace and put the process in its cgroups.</summary>
    IdMapsAndCgroups = 1,
    /// <summary>Namespaces exist, mounts are done: run prestart and createRuntime hooks.</summary>
    CreateRuntimeHooks = 2,
    /// <summary>Run createContainer hooks in the container's namespaces, before pivot_root.</summary>
    CreateContainerHooks = 3,
    /// <summary>Send the state document the startContainer hooks will read.</summary>
    StartHookState = 4,
    /// <summary>Send the container process state that goes to the seccomp listener with its descriptor.</summary>
    SeccompListenerState = 5,
    /// <summary>Write the maps of a user namespace that only carries an id mapping (for an id-mapped mount).</summary>
    MappingOnlyIdMaps = 6,
}

/// <summary>
/// Writes a plan one operation at a time. Every operation carries a
/// description in the user's words; it becomes the error message when the
/// operation fails ("mount "proc" on "/proc": Permission denied").
/// </summary>
public sealed class PlanBuilder
{
    private readonly List<PlanStep> steps = [];
    private readonly SortedSet<int> keptFds = [];
    private int preservedFds;

    public int Count => steps.Count;

    /// <summary>
    /// The plan, opened by closing every descriptor it does not use: the
    /// runtime's own (its state lock, the .NET runtime's) never reach the
    /// container, not even while it is being set up.
    /// </summary>
    public Plan Build()
    {
        long[] ints = [0, 2 + preservedFds, .. keptFds.Select(fd => (long)fd)];
        var close = new PlanStep(PlanOp.CloseExcept, "close the runtime's file descriptors", ints, []);
        return new Plan([close, .. steps]);
    }

    /// <summary>Descriptors 3..3+count-1 go to the process (--preserve-fds, LISTEN_FDS).</summary>
    public void PreserveFds(int count) => preservedFds = count;

    private int Keep(int fd)
    {
        keptFds.Add(fd);
        return fd;
    }

    internal static byte[] StringBytes(string? s) => Encoding.UTF8.GetBytes(s ?? "");

    public void Add(PlanOp op, string description, IReadOnlyList<long> ints, params string?[] strings) =>
        steps.Add(new PlanStep(op, description, ints, strings.Select(StringBytes).ToArray()));

    public void AddRaw(PlanOp op, string description, IReadOnlyList<long> ints, IReadOnlyList<byte[]> data) =>
        steps.Add(new PlanStep(op, description, ints, data));

    // Namespaces and stages.

    public void SetNs(int fd, int nsType, string description) => Add(PlanOp.SetNs, description, [Keep(fd), nsType]);

    public void SetNsPath(string path, int nsType, string description) => Add(PlanOp.SetNsPath, description, [nsType], path);

    public void Unshare(long flags, string description) => Add(PlanOp.Unshare, description, [flags]);

    public void Sync(SyncTag tag) => Add(PlanOp.Sync, $"wait for the runtime ({tag})",
        tag == SyncTag.SeccompListenerState ? [(long)tag, ListenerSlot] : [(long)tag]);

    /// <summary>Where the executor keeps the document answered to a SeccompListenerState sync (slot 0 is the hooks' state).</summary>
    private const long ListenerSlot = 1;

    /// <summary>Forks; the caller reports the child's pid and exits, the child goes on with the plan.</summary>
    public void Fork(string description) => Add(PlanOp.Fork, description, [0]);

    public void Prctl(int option, long arg2, string description) => Add(PlanOp.Prctl, description, [option, arg2, 0, 0, 0]);

    public void WriteFile(string path, string data, string description) => Add(PlanOp.WriteFile, description, [], path, data);

    public void SetResUid(uint uid) => Add(PlanOp.SetResUid, $"setuid to {uid}", [uid]);

    public void SetResGid(uint gid) => Add(PlanOp.SetResGid, $"setgid to {gid}", [gid]);

    public void SetGroups(IReadOnlyList<uint> gids) =>
        Add(PlanOp.SetGroups, $"setgroups [{string.Join(' ', gids)}]", gids.Select(g => (long)g).ToArray());

    public void SetSid() => Add(PlanOp.SetSid, "setsid", []);

    // The root filesystem.

    public void OpenRoot(string path) => Add(PlanOp.OpenRoot, $"open root \"{path}\"", [], path);

    public void Mount(string? source, string target, string? fsType, ulong flags, string? data, MountTarget kind, string description) =>
        Add(PlanOp.Mount, description, [(long)flags, (long)kind], source, target, fsType, data);

    /// <summary>
    /// Attaches a mount the runtime made before cloning (a detached open_tree() mount, such as an
    /// id-mapped one) at target; the executor closes its copy of the descriptor afterwards.
    /// </summary>
    public void AttachMount(int mountFd, string target, MountTarget kind, string description) =>
        Add(PlanOp.AttachMount, description, [Keep(mountFd), (long)kind], target);

    public void Mknod(string path, uint mode, long major, long minor, uint uid, uint gid, string? hostPath) =>
        Add(PlanOp.Mknod, $"create device \"{path}\"", [mode, major, minor, uid, gid], path, hostPath);

    public void Symlink(string target, string path) => Add(PlanOp.Symlink, $"symlink \"{path}\" to \"{target}\"", [], target, path);

    /// <summary>mount_setattr(AT_RECURSIVE) on the tree at path: the recursive mount options (rro, rnosuid, ...).</summary>
    public void MountSetattr(string path, ulong set, ulong clear, string description) =>
        Add(PlanOp.MountSetattr, description, [(long)set, (long)clear], path);

    public void MaskPath(string path) => Add(PlanOp.MaskPath, $"mask \"{path}\"", [], path);

    public void ReadonlyPath(string path) => Add(PlanOp.ReadonlyPath, $"make \"{path}\" read-only", [], path);

    public void PivotRoot(string newRoot) => Add(PlanOp.PivotRoot, $"pivot_root to \"{newRoot}\"", [], newRoot);

    public void MoveRoot(string newRoot) => Add(PlanOp.MoveRoot, $"move \"{newRoot}\" to / and chroot", [], newRoot);

    public void Chdir(string path, string description) => Add(PlanOp.Chdir, description, [], path);

    /// <summary>mkdir -p inside the root, each component resolved in it.</summary>
    public void MkdirInRoot(string path, string description) => Add(PlanOp.MkdirInRoot, description, [], path);

    public void RemountRootReadonly() => Add(PlanOp.RemountRootReadonly, "remount / read-only", []);

    public void WriteFileInRoot(string path, string data, string description) =>
        Add(PlanOp.WriteFileInRoot, description, [], path, data);

    // The process.

    public void JoinSessionKeyring(string name, uint addPermissions) =>
        Add(PlanOp.JoinSessionKeyring, $"join session keyring \"{name}\"", [addPermissions], name);

    public void SetHostname(string name) => Add(PlanOp.SetHostname, $"sethostname \"{name}\"", [], name);

    public void SetDomainname(string name) => Add(PlanOp.SetDomainname, $"setdomainname \"{name}\"", [], name);

    public void Umask(uint mask) => Add(PlanOp.Umask, $"umask {Convert.ToString(mask, 8)}", [mask]);

    public void SetRlimit(int resource, ulong soft, ulong hard, string name) =>
        Add(PlanOp.SetRlimit, $"setrlimit {name} (soft {soft}, hard {hard})", [resource, (long)soft, (long)hard]);

    public void CapBoundingKeep(ulong keep, int lastCap) => Add(PlanOp.CapBoundingKeep, "drop capabilities from the bounding set", [(long)keep, lastCap]);

    public void CapSet(ulong effective, ulong permitted, ulong inheritable) =>
        Add(PlanOp.CapSet, "set capabilities", [(long)effective, (long)permitted, (long)inheritable]);

    public void CapAmbient(ulong raise) => Add(PlanOp.CapAmbient, "raise ambient capabilities", [(long)raise]);

    /// <summary>Loads a seccomp filter; with a listener socket, sends the listener there (with the SeccompListenerState document).</summary>
    /// <summary>
    /// Loads a seccomp filter; with handOffToTrampoline, the trampoline the
    /// next Execve goes through loads it right before the program's execve.
    /// </summary>
    public void Seccomp(uint flags, byte[] filter, int listenerSocketFd, bool handOffToTrampoline, string description) =>
        AddRaw(PlanOp.Seccomp, description, [flags, listenerSocketFd >= 0 ? Keep(listenerSocketFd) : -1, handOffToTrampoline ? 1 : 0], [filter]);

    public void Personality(uint persona, string description) => Add(PlanOp.Personality, description, [persona]);

    public void SchedSetattr(uint policy, ulong flags, int nice, uint priority, ulong runtime, ulong deadline, ulong period, string description) =>
        Add(PlanOp.SchedSetattr, description, [policy, (long)flags, nice, priority, (long)runtime, (long)deadline, (long)period]);

    public void IoprioSet(int ioprio, string description) => Add(PlanOp.IoprioSet, description, [ioprio]);

    public void SetAffinity(byte[] cpuMask, string description) => AddRaw(PlanOp.SetAffinity, description, [], [cpuMask]);

    public void Console(int socketFd, uint rows, uint cols, string? consolePath) =>
        Add(PlanOp.Console, "set up the console", [Keep(socketFd), rows, cols], consolePath);

    public void Dup2(int from, int to) => Add(PlanOp.Dup2, $"dup2 {from} to {to}", [Keep(from), to]);

    public void CloexecFrom(int first) => Add(PlanOp.CloexecFrom, $"close file descriptors from {first}", [first]);

    public void LookupExec(string file, string pathEnv) => Add(PlanOp.LookupExec, $"exec: \"{file}\"", [], file, pathEnv);

    public void Ready() => Add(PlanOp.Ready, "report ready", []);

    public void WaitExecFifo(int stateDirFd, string fifoName) => Add(PlanOp.WaitExecFifo, "wait for start", [Keep(stateDirFd)], fifoName);

    /// <summary>A hook run from the plan; inside a container, exec'd through the trampoline (a descriptor, or -1).</summary>
    public void Hook(string description, string path, IReadOnlyList<string> args, IReadOnlyList<string> env, int timeoutSeconds, int trampolineFd = -1) =>
        Add(PlanOp.Hook, description, [timeoutSeconds, args.Count, env.Count, KeepIfAny(trampolineFd)], [path, .. args, .. env]);

    /// <summary>The plan's last step; a program inside a container is exec'd through the trampoline (a descriptor, or -1).</summary>
    public void Execve(IReadOnlyList<string> args, IReadOnlyList<string> env, int trampolineFd = -1) =>
        Add(PlanOp.Execve, $"exec \"{args[0]}\"", [args.Count, env.Count, KeepIfAny(trampolineFd)], [.. args, .. env]);

    private int KeepIfAny(int fd) => fd >= 0 ? Keep(fd) : fd;
}
