using Runcs.Runtime.Cgroups;
using Runcs.Runtime.Console;
using Runcs.Runtime.Namespaces;
using Runcs.Runtime.Native;
using Runcs.Runtime.Process;
using Runcs.Runtime.Seccomp;
using Runcs.Runtime.State;
using Runcs.Spec;
using SpecProcess = Runcs.Spec.Process;

namespace Runcs.Runtime.Container;

/// <summary>An exec: the process to run and runc's exec options.</summary>
public sealed record ExecOptions
{
    /// <summary>The whole process: process.json, or the container's process with the flags applied.</summary>
    public required SpecProcess Process { get; init; }

    public string? PidFile { get; init; }

    /// <summary>--console-socket: a path the caller listens on, for a terminal.</summary>
    public string? ConsoleSocket { get; init; }

    /// <summary>An already connected console socket (a foreground exec with a terminal makes its own).</summary>
    public int ConsoleSocketFd { get; init; } = -1;

    public int PreserveFds { get; init; }

    /// <summary>--cgroup: sub-cgroups of the container's to run in, "[controller:]path" each.</summary>
    public IReadOnlyList<string> SubCgroups { get; init; } = [];

    public bool IgnorePaused { get; init; }

    /// <summary>Descriptors for the process's stdin, stdout and stderr; null keeps the caller's.</summary>
    public IReadOnlyList<int>? Stdio { get; init; }

    /// <summary>False when the caller stays to proxy a terminal itself.</summary>
    public bool Detached { get; init; } = true;
}

/// <summary>A process started in a container by exec; the caller may wait for it (it is the caller's child).</summary>
public sealed class ExecProcess(ExecutorSession session) : IDisposable
{
    public int Pid => session.Pid;

    /// <summary>Waits for the process and returns its raw wait status.</summary>
    public int WaitForExit() => session.WaitForExit();

    public void Dispose() => session.Dispose();
}

public sealed partial class Container
{
    /// <summary>
    /// exec in the foreground: forwards signals to the process, proxies its
    /// terminal when it has one, and returns its exit code (128+N for signal N).
    /// </summary>
    public int ExecForeground(ExecOptions options)
    {
        using var console = ForegroundTerminal.For(options.Process.Terminal);
        using var process = Exec(options with { Detached = false, ConsoleSocketFd = console?.ConsoleSocketFd ?? -1 });
        using var signals = new SignalForwarder(process.Pid, () => console?.Resize());
        console?.Attach();
        int status = process.WaitForExit();
        console?.Finish();
        return Syscalls.ExitCode(status);
    }

    /// <summary>
    /// Starts a process inside a running container: it joins every namespace
    /// and the cgroups of the container's init, then gets the confinement its
    /// process spec asks for, through the same plan executor and process plan
    /// as the init. Returns once the process has exec'd.
    /// </summary>
    public ExecProcess Exec(ExecOptions options)
    {
        switch (Status)
        {
            case ContainerStatus.Stopped:
                throw new RuntimeException("cannot exec in a stopped container");
            case ContainerStatus.Created or ContainerStatus.Creating:
                throw new RuntimeException("cannot exec in a created container");
            case ContainerStatus.Paused when !options.IgnorePaused:
                throw new RuntimeException("cannot exec in a paused container (use --ignore-paused to override)");
        }
        var process = options.Process;
        if (ConfigValidator.ValidateProcess(process) is { Count: > 0 } errors)
            throw new RuntimeException($"process: {errors[0]}");
        if (process.Terminal && options.Detached && options.ConsoleSocket is null && options.ConsoleSocketFd < 0)
            throw new RuntimeException("cannot allocate tty if runcs will detach without setting console socket");
        if (!process.Terminal && (options.ConsoleSocket is not null || options.ConsoleSocketFd >= 0))
            throw new RuntimeException("cannot use console socket if runcs will not detach or allocate tty");
        var cgroups = CgroupManagers.For(Enum.Parse<CgroupMode>(Record.CgroupMode), SubCgroupPaths(options.SubCgroups));

        var filter = Context.Store.LoadSeccomp(Id);
        var seccomp = filter?.HasListener == true ? Config.Linux?.Seccomp : null;
        using var consoleFd = new OwnedFd(options.ConsoleSocket is not null ? ConsoleSocket.Connect(options.ConsoleSocket) : -1);
        using var seccompListenerFd = new OwnedFd(SeccompListener.Connect(seccomp));
        using var trampoline = Trampoline.Open();
        var plan = new PlanBuilder();
        for (int fd = 0; fd < (options.Stdio?.Count ?? 0); fd++)
            plan.Dup2(options.Stdio![fd], fd);
        ExecutorSession session;
        using (var namespaces = NamespaceSetup.JoinAllOf(Record.Pid))
        {
            // execCPUAffinity.initial holds while joining, before the container's cpuset applies.
            Scheduling.EmitInitialAffinity(plan, process);
            namespaces.EmitJoinStage(plan, joinCgroups: true);
            ProcessPlan.EmitConsole(plan, process, consoleFd.Fd >= 0 ? consoleFd.Fd : options.ConsoleSocketFd, consolePath: null);
            ProcessPlan.Emit(plan, new ProcessSetup
            {
                Process = process,
                Rootfs = Record.Rootfs,
                PreserveFds = options.PreserveFds,
                CompiledSeccomp = filter,
                SeccompListenerFd = seccompListenerFd.Fd,
                TrampolineFd = trampoline.Fd,
                Personality = Record.Personality is { } domain ? new LinuxPersonality { Domain = domain } : null,
                JoinsContainer = true,
                SetgroupsDenied = SetgroupsPolicy.IsDenied(Record.Pid),
                Warn = Context.Warn,
                Debug = Context.Debug,
            });
            var compiled = plan.Build();
            if (Context.DebugEnabled)
                Context.Debug("exec plan:\n" + compiled);
            session = ExecutorSession.Start(compiled);
        }
        try
        {
            session.Run(tag =>
            {
                if (tag == SyncTag.SeccompListenerState)
                    return SeccompListener.ProcessState(seccomp!, session.Pid, SpecStateOf(Id, ContainerStatus.Running, Record.Pid, Record.Bundle, Record.Annotations));
                cgroups.Join(session.Pid);
                return null;
            });
            // A process nobody could find by its pid file is killed, as runc does.
            if (options.PidFile is not null)
                PidFile.Write(Path.GetFullPath(options.PidFile), session.Pid);
        }
        catch (Exception e)
        {
            session.Abort();
            session.Dispose();
            throw e is PlanFailedException ? new RuntimeException("unable to start container process: " + e.Message, e) : e;
        }
        return new ExecProcess(session);
    }

    /// <summary>
    /// The cgroups an exec joins: the container's, or with --cgroup the given
    /// sub-cgroups of it ("sub" for every hierarchy, "memory:sub" for one),
    /// which must exist (runc does not create them either).
    /// </summary>
    private Dictionary<string, string> SubCgroupPaths(IReadOnlyList<string> subCgroups)
    {
        var paths = new Dictionary<string, string>(Record.CgroupPaths);
        foreach (var spec in subCgroups)
        {
            var colon = spec.IndexOf(':');
            var (controller, sub) = colon < 0 ? (null, spec) : (spec[..colon], spec[(colon + 1)..]);
            if (sub.Split('/').Contains(".."))
                throw new RuntimeException($"--cgroup {spec}: must not contain \"..\"");
            var keys = controller is null
                ? paths.Keys.ToList()
                : paths.Keys.Where(k => k == controller || k.Split(',').Contains(controller)).ToList();
            if (keys.Count == 0)
                throw new RuntimeException($"--cgroup {spec}: no cgroup controller \"{controller}\" on this host");
            foreach (var key in keys)
            {
                var dir = Path.Combine(Record.CgroupPaths[key], sub.Trim('/'));
                if (!Directory.Exists(dir))
                    throw new RuntimeException($"--cgroup {spec}: {dir} does not exist");
                paths[key] = dir;
            }
        }
        return paths;
    }
}
