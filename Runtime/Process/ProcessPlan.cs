using Runcs.Runtime.Capabilities;
using Runcs.Runtime.Native;
using Runcs.Runtime.Seccomp;
using Runcs.Spec;
using SpecProcess = Runcs.Spec.Process;

namespace Runcs.Runtime.Process;

/// <summary>What a process plan needs beyond process.json itself.</summary>
public sealed record ProcessSetup
{
    public required SpecProcess Process { get; init; }

    /// <summary>The rootfs as the runtime sees it, to read /etc/passwd for HOME.</summary>
    public required string Rootfs { get; init; }

    /// <summary>Descriptors 3..3+N-1 the process keeps (LISTEN_FDS and --preserve-fds).</summary>
    public int PreserveFds { get; init; }

    /// <summary>For create: the state directory holding exec.fifo; the process waits there for start.</summary>
    public int? ExecFifoDirFd { get; init; }

    public IReadOnlyList<Hook> StartContainerHooks { get; init; } = [];

    /// <summary>The container's linux.seccomp: the filter the process runs under.</summary>
    public LinuxSeccomp? Seccomp { get; init; }

    /// <summary>The same filter already compiled (create keeps it for exec); takes the place of Seccomp.</summary>
    public SeccompFilter? CompiledSeccomp { get; init; }

    /// <summary>
    /// A socket connected to linux.seccomp.listenerPath, for profiles with
    /// SCMP_ACT_NOTIFY rules: the listener goes there. The plan syncs with
    /// SyncTag.SeccompListenerState for the document sent along with it.
    /// </summary>
    public int SeccompListenerFd { get; init; } = -1;

    /// <summary>The container's linux.personality.</summary>
    public LinuxPersonality? Personality { get; init; }

    /// <summary>
    /// setgroups(2) is denied in the process's user namespace (see SetgroupsPolicy): the process
    /// keeps the groups it has, and additional gids cannot be set.
    /// </summary>
    public bool SetgroupsDenied { get; init; }

    /// <summary>
    /// The sealed trampoline (Native/Trampoline) the process and startContainer
    /// hooks are exec'd through, so that /proc/self/exe at their execve is never
    /// the runtime's binary (CVE-2019-5736). Every plan that runs a program in a
    /// container passes one.
    /// </summary>
    public required int TrampolineFd { get; init; }

    /// <summary>True for a process joining a running container (exec): execCPUAffinity applies to it only.</summary>
    public bool JoinsContainer { get; init; }

    public Action<string> Warn { get; init; } = _ => { };

    /// <summary>For notes that are not worth a warning: runc's own example config raises ambient capabilities it cannot.</summary>
    public Action<string> Debug { get; init; } = _ => { };
}

/// <summary>
/// The last part of every plan: from a set-up root to execve(). Identity and
/// capabilities change in the kernel's required order: the bounding set is
/// dropped while CAP_SETPCAP is still held, ids change with keep-caps on, then
/// the remaining sets are set and the ambient set raised last.
/// </summary>
public static class ProcessPlan
{
    public const string DefaultPath = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
    public const string ExecFifoName = "exec.fifo";

    /// <summary>
    /// A new pty for process.terminal, its master sent to the console socket.
    /// Comes right after pivot_root, before the root may turn read-only.
    /// </summary>
    public static void EmitConsole(PlanBuilder plan, SpecProcess process, int consoleSocketFd, string? consolePath)
    {
        if (process.Terminal != true)
            return;
        if (consoleSocketFd < 0)
            throw new RuntimeException("cannot allocate tty if runcs will detach without setting console socket");
        plan.Console(consoleSocketFd, process.ConsoleSize?.Height ?? 0, process.ConsoleSize?.Width ?? 0, consolePath);
    }

    /// <summary>
    /// The process part of a plan, in this order: limits, scheduling and the
    /// execution domain (while CAP_SYS_NICE is held); the bounding set; the
    /// uid/gid change with keep-caps; the other capability sets, ambient last;
    /// umask, cwd and the command's lookup; for create, the wait for start and
    /// startContainer hooks; then no_new_privs, the LSM labels, descriptors
    /// marked close-on-exec, the seccomp filter, execve.
    ///
    /// The seccomp filter goes as late as it can, so that the runtime's own
    /// system calls need not be in the profile: after no_new_privs, in the
    /// trampoline right before the program's execve (the executor leaves it
    /// there, see Trampoline/seccomp_handoff.h). Without no_new_privs, loading
    /// a filter needs CAP_SYS_ADMIN, which the process may be about to lose:
    /// then it goes before the uid change and capset, as runc does, and the
    /// runtime's last calls (capset, setresuid, execveat...) pass through it.
    /// </summary>
    public static void Emit(PlanBuilder plan, ProcessSetup setup)
    {
        var process = setup.Process;
        var args = process.Args ?? [];
        var env = Environment(process, setup.Rootfs);

        ResourceLimits.Emit(plan, process);
        Scheduling.Emit(plan, process);
        EmitPersonality(plan, setup.Personality);
        SecurityModules.Check(process);

        var caps = process.Capabilities is null ? null : CapabilitySets.FromConfig(process.Capabilities, setup.Warn);
        var seccomp = CompileSeccomp(setup);
        bool seccompLast = seccomp is not null && (process.NoNewPrivileges || KeepsSysAdmin(process, caps));
        if (seccomp?.HasListener == true)
            plan.Sync(SyncTag.SeccompListenerState);

        if (caps is not null)
            plan.CapBoundingKeep(caps.Bounding, CapabilitySets.LastCap);
        if (seccomp is not null && !seccompLast)
            EmitSeccomp(plan, seccomp, setup, "while CAP_SYS_ADMIN is held: no_new_privileges is not set");

        var user = process.User;
        if (!setup.SetgroupsDenied)
            plan.SetGroups(user?.AdditionalGids?.ToArray() ?? []);
        else if (user?.AdditionalGids is { Count: > 0 })
            throw new RuntimeException("process.user.additionalGids: cannot set additional groups: setgroups is denied in the container's user namespace");
        plan.Prctl(Prctl.PR_SET_KEEPCAPS, 1, "keep capabilities across the uid change");
        plan.SetResGid(user?.Gid ?? 0);
        plan.SetResUid(user?.Uid ?? 0);
        plan.Prctl(Prctl.PR_SET_KEEPCAPS, 0, "stop keeping capabilities");

        if (caps is not null)
        {
            plan.CapSet(caps.Effective, caps.Permitted, caps.Inheritable);
            WarnUnraisableAmbient(caps, setup.Debug);
            plan.CapAmbient(caps.Ambient);
        }

        plan.Umask(user?.Umask ?? 0x12 /* 0022 */);
        plan.Chdir(process.Cwd ?? "/", $"chdir to cwd (\"{process.Cwd}\") set in config.json");
        plan.LookupExec(args[0], PathOf(env));

        if (setup.ExecFifoDirFd is int stateDirFd)
        {
            plan.Prctl(Prctl.PR_SET_PDEATHSIG, 0, "clear the parent death signal");
            if (setup.StartContainerHooks.Count > 0)
                plan.Sync(SyncTag.StartHookState);
            plan.Ready();
            plan.WaitExecFifo(stateDirFd, ExecFifoName);
            for (int i = 0; i < setup.StartContainerHooks.Count; i++)
            {
                var hook = setup.StartContainerHooks[i];
                plan.Hook($"startContainer hook #{i} ({hook.Path})", hook.Path,
                    hook.Args is { Count: > 0 } ? hook.Args : [hook.Path], hook.Env ?? [], hook.Timeout ?? 0, setup.TrampolineFd);
            }
        }

        if (process.NoNewPrivileges == true)
            plan.Prctl(Prctl.PR_SET_NO_NEW_PRIVS, 1, "set no_new_privs");
        SecurityModules.Emit(plan, process);
        if (setup.JoinsContainer)
            Scheduling.EmitFinalAffinity(plan, process);

        plan.PreserveFds(setup.PreserveFds);
        plan.CloexecFrom(3 + setup.PreserveFds);
        if (seccomp is not null && seccompLast)
        {
            if (TrampolineCanLoad(process, caps))
                EmitSeccomp(plan, seccomp, setup, "in the trampoline, right before the program's execve", handOff: true);
            else
                EmitSeccomp(plan, seccomp, setup, "while CAP_SYS_ADMIN is held, right before exec");
        }
        plan.Execve(args, env, setup.TrampolineFd);
    }

    private static SeccompFilter? CompileSeccomp(ProcessSetup setup)
    {
        var filter = setup.CompiledSeccomp ?? (setup.Seccomp is null ? null : SeccompCompiler.CompileNative(setup.Seccomp, setup.Warn, setup.Debug));
        if (filter is null)
            return null;
        if (filter.HasListener && setup.SeccompListenerFd < 0)
            throw new RuntimeException("linux.seccomp.listenerPath: SCMP_ACT_NOTIFY rules need a listener socket");
        return filter;
    }

    private static void EmitSeccomp(PlanBuilder plan, SeccompFilter filter, ProcessSetup setup, string when, bool handOff = false) =>
        plan.Seccomp(filter.Flags, filter.Program, filter.HasListener ? setup.SeccompListenerFd : -1, handOff,
            $"load the seccomp filter ({filter.Instructions} instructions) {when}");

    /// <summary>
    /// Whether the trampoline may still load a filter after its own execve:
    /// no_new_privs survives it; CAP_SYS_ADMIN does for root (whose execve
    /// grants the bounding and inheritable sets) and, for anyone else, only
    /// from the ambient set.
    /// </summary>
    private static bool TrampolineCanLoad(SpecProcess process, CapabilitySets? caps)
    {
        if (process.NoNewPrivileges)
            return true;
        bool root = (process.User?.Uid ?? 0) == 0;
        if (caps is null)
            return root;
        var afterExec = root ? caps.Bounding | caps.Inheritable : caps.Ambient;
        return (afterExec & (1UL << CapSysAdmin)) != 0;
    }

    private const int CapSysAdmin = 21;

    /// <summary>
    /// Whether the process still has CAP_SYS_ADMIN in its effective set right
    /// before execve: then a filter can be loaded there even without
    /// no_new_privs. Without process.capabilities, root keeps every capability
    /// and any other user loses them at the uid change.
    /// </summary>
    private static bool KeepsSysAdmin(SpecProcess process, CapabilitySets? caps)
    {
        return caps is null ? (process.User?.Uid ?? 0) == 0 : (caps.Effective & (1UL << CapSysAdmin)) != 0;
    }

    /// <summary>linux.personality: the execution domain (LINUX32 makes uname report a 32-bit machine).</summary>
    private static void EmitPersonality(PlanBuilder plan, LinuxPersonality? personality)
    {
        if (personality is null)
            return;
        uint persona = personality.Domain switch
        {
            "LINUX" => 0x0000,   // PER_LINUX
            "LINUX32" => 0x0008, // PER_LINUX32
            _ => throw new RuntimeException($"linux.personality.domain: unknown domain \"{personality.Domain}\""),
        };
        plan.Personality(persona, $"set personality {personality.Domain} (linux.personality)");
    }

    private static void WarnUnraisableAmbient(CapabilitySets caps, Action<string> note)
    {
        var missing = caps.Ambient & ~(caps.Permitted & caps.Inheritable);
        foreach (var name in CapabilitySets.Names(missing))
            note($"ambient capability {name} is not in both the permitted and inheritable sets, it will not be raised");
    }

    /// <summary>process.env, with HOME added from the container's /etc/passwd when missing, as runc does.</summary>
    public static IReadOnlyList<string> Environment(SpecProcess process, string rootfs)
    {
        var env = process.Env?.ToList() ?? [];
        if (!env.Any(e => e.StartsWith("HOME=", StringComparison.Ordinal)))
            env.Add("HOME=" + (Passwd.HomeOf(rootfs, process.User?.Uid ?? 0) ?? "/"));
        return env;
    }

    private static string PathOf(IReadOnlyList<string> env) =>
        env.LastOrDefault(e => e.StartsWith("PATH=", StringComparison.Ordinal))?[5..] ?? DefaultPath;
}
