using Runcs.Runtime.Cgroups;
using Runcs.Runtime.Namespaces;
using Runcs.Runtime.Native;
using Runcs.Runtime.Process;
using Runcs.Runtime.Rootfs;
using Runcs.Runtime.Seccomp;
using Runcs.Spec;

namespace Runcs.Runtime.Container;

/// <summary>Everything the container's init plan is compiled from.</summary>
public sealed record InitPlanInput
{
    public required Config Config { get; init; }
    public required string Bundle { get; init; }
    public required string Rootfs { get; init; }
    public required NamespaceSetup Namespaces { get; init; }
    public required CgroupLayout CgroupLayout { get; init; }
    public required IReadOnlyDictionary<string, string> CgroupPaths { get; init; }
    public required int StateDirFd { get; init; }
    public int ConsoleSocketFd { get; init; } = -1;

    /// <summary>Connected to linux.seccomp.listenerPath when the profile has notify rules (see SeccompListener).</summary>
    public int SeccompListenerFd { get; init; } = -1;

    /// <summary>linux.seccomp already compiled (create keeps it for exec); without it the plan compiles linux.seccomp itself.</summary>
    public SeccompFilter? Seccomp { get; init; }
    public IReadOnlyList<int>? Stdio { get; init; }

    /// <summary>Id-mapped mounts the runtime made before cloning, by their index in mounts (see DetachedMounts).</summary>
    public IReadOnlyDictionary<int, DetachedMount> DetachedMounts { get; init; } = new Dictionary<int, DetachedMount>();

    /// <summary>"deny" goes to the new user namespace's setgroups file (see SetgroupsPolicy).</summary>
    public bool SetgroupsDenied { get; init; }
    public int PreserveFds { get; init; }
    public bool NoPivot { get; init; }

    /// <summary>The container id, which names its session keyring.</summary>
    public string Id { get; init; } = "";

    /// <summary>--no-new-keyring: keep the runtime's session keyring.</summary>
    public bool NoNewKeyring { get; init; }
    public Action<string> Warn { get; init; } = _ => { };
    public Action<string> Debug { get; init; } = _ => { };
}

/// <summary>
/// Compiles a validated config into the plan the container's init runs, in
/// runc's order: namespaces, the root filesystem (with the hook syncs before
/// pivot_root), the console, a read-only root, hostname, sysctls, read-only
/// and masked paths, and finally the process itself.
/// </summary>
public static class InitPlan
{
    public static Plan Compile(InitPlanInput input)
    {
        var config = input.Config;
        var linux = config.Linux;
        var hooks = config.Hooks;
        var process = config.Process ?? throw new RuntimeException("process: must be set");
        var plan = new PlanBuilder();

        for (int fd = 0; fd < (input.Stdio?.Count ?? 0); fd++)
            plan.Dup2(input.Stdio![fd], fd);
        input.Namespaces.EmitFirstStage(plan, linux?.TimeOffsets);

        // Devices and mount points get exactly the modes asked for; the process gets its own umask at the end.
        plan.Umask(0);
        if (process.OomScoreAdj is int oomScoreAdj)
            plan.WriteFile("/proc/self/oom_score_adj", oomScoreAdj.ToString(), $"set oom_score_adj to {oomScoreAdj}");

        RootfsPlan.EmitBeforePivot(plan, new RootfsSetup
        {
            Config = config,
            Bundle = input.Bundle,
            Rootfs = input.Rootfs,
            NoPivot = input.NoPivot,
            NewCgroupNamespace = input.Namespaces.Created.Contains(NamespaceKind.Cgroup),
            CgroupLayout = input.CgroupLayout,
            CgroupPaths = input.CgroupPaths,
            DetachedMounts = input.DetachedMounts,
            BeforePivot = p =>
            {
                if (hooks?.Prestart is { Count: > 0 } || hooks?.CreateRuntime is { Count: > 0 })
                    p.Sync(SyncTag.CreateRuntimeHooks);
                if (hooks?.CreateContainer is { Count: > 0 })
                    p.Sync(SyncTag.CreateContainerHooks);
            },
        });

        // A session keyring of its own, searchable by the container's user (KEY_USR_SEARCH), as runc does.
        if (!input.NoNewKeyring)
            plan.JoinSessionKeyring(input.Id, 0x080000);
        ProcessPlan.EmitConsole(plan, process, input.ConsoleSocketFd, "/dev/console");
        RootfsPlan.EmitReadonlyRoot(plan, config);

        if (!string.IsNullOrEmpty(config.Hostname))
            plan.SetHostname(config.Hostname);
        if (!string.IsNullOrEmpty(config.Domainname))
            plan.SetDomainname(config.Domainname);
        foreach (var (key, value) in linux?.Sysctl ?? [])
            plan.WriteFileInRoot("/proc/sys/" + key.Replace('.', '/'), value, $"write sysctl {key}={value}");

        RootfsPlan.EmitReadonlyAndMaskedPaths(plan, config);

        ProcessPlan.Emit(plan, new ProcessSetup
        {
            Process = process,
            Rootfs = input.Rootfs,
            PreserveFds = input.PreserveFds,
            ExecFifoDirFd = input.StateDirFd,
            StartContainerHooks = hooks?.StartContainer ?? [],
            Seccomp = linux?.Seccomp,
            CompiledSeccomp = input.Seccomp,
            SeccompListenerFd = input.SeccompListenerFd,
            Personality = linux?.Personality,
            SetgroupsDenied = input.SetgroupsDenied,
            Warn = input.Warn,
            Debug = input.Debug,
        });
        return plan.Build();
    }
}
