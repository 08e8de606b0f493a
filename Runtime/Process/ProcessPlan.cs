using Runcs.Runtime.Capabilities;
using Runcs.Runtime.Native;
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

    public static void Emit(PlanBuilder plan, ProcessSetup setup)
    {
        var process = setup.Process;
        var args = process.Args ?? [];
        var env = Environment(process, setup.Rootfs);

        foreach (var rlimit in process.Rlimits ?? [])
        {
            var resource = Rlimits.Known[rlimit.Type];
            plan.SetRlimit(resource, rlimit.Soft, rlimit.Hard, rlimit.Type);
        }

        var caps = process.Capabilities is null ? null : CapabilitySets.FromConfig(process.Capabilities, setup.Warn);
        if (caps is not null)
            plan.CapBoundingKeep(caps.Bounding, CapabilitySets.LastCap);

        var user = process.User;
        plan.SetGroups(user?.AdditionalGids?.ToArray() ?? []);
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
                    hook.Args is { Count: > 0 } ? hook.Args : [hook.Path], hook.Env ?? [], hook.Timeout ?? 0);
            }
        }

        if (process.NoNewPrivileges == true)
            plan.Prctl(Prctl.PR_SET_NO_NEW_PRIVS, 1, "set no_new_privs");

        plan.PreserveFds(setup.PreserveFds);
        plan.CloexecFrom(3 + setup.PreserveFds);
        plan.Execve(args, env);
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
