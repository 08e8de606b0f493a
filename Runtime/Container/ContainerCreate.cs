using Runcs.Runtime.Cgroups;
using Runcs.Runtime.Console;
using Runcs.Runtime.Hooks;
using Runcs.Runtime.Namespaces;
using Runcs.Runtime.Native;
using Runcs.Runtime.Rootfs;
using Runcs.Runtime.Seccomp;
using Runcs.Runtime.State;
using Runcs.Spec;
using Tmds.Linux;

namespace Runcs.Runtime.Container;

/// <summary>The create command's options, as runc names them.</summary>
public sealed record CreateOptions
{
    public required string Id { get; init; }
    public string Bundle { get; init; } = ".";
    public string? PidFile { get; init; }

    /// <summary>--console-socket: a path the caller listens on.</summary>
    public string? ConsoleSocket { get; init; }

    /// <summary>An already connected console socket (run in the foreground makes its own).</summary>
    public int ConsoleSocketFd { get; init; } = -1;

    public bool NoPivot { get; init; }
    public bool NoNewKeyring { get; init; }
    public int PreserveFds { get; init; }

    /// <summary>
    /// Descriptors to become the process's stdin, stdout and stderr; null keeps
    /// the caller's own, as the CLI does. A runtime embedded in another process
    /// (the shim) passes the fifos or pipes it manages.
    /// </summary>
    public IReadOnlyList<int>? Stdio { get; init; }

    /// <summary>False for `run` in the foreground, which proxies a terminal itself.</summary>
    public bool Detached { get; init; } = true;
}

/// <summary>A container whose init waits for start, and the channel to that init (run keeps it to hear about failures after start).</summary>
public sealed class CreatedContainer(Container container, ExecutorSession session) : IDisposable
{
    public Container Container { get; } = container;

    public ExecutorSession Session { get; } = session;

    public void Dispose() => Session.Dispose();
}

public sealed partial class Container
{
    /// <summary>
    /// Creates a container: reads and checks the bundle, makes its state
    /// directory, cgroups and exec fifo, and starts an init that sets up the
    /// namespaces and root filesystem and then waits for start. Anything that
    /// fails undoes everything made so far, so bad input leaves nothing behind.
    /// </summary>
    public static CreatedContainer Create(RuntimeContext context, CreateOptions options) => Create(context, options, null);

    /// <summary>Create with the bundle's config.json already read (run reads it first to know whether it needs a terminal).</summary>
    private static CreatedContainer Create(RuntimeContext context, CreateOptions options, (Config Config, byte[] Bytes)? read)
    {
        StateStore.ValidateId(options.Id);
        var bundle = Path.GetFullPath(options.Bundle);
        Config config;
        byte[] configBytes;
        if (read is { } alreadyRead)
            (config, configBytes) = alreadyRead;
        else
            config = Bundle.Read(bundle, out configBytes);
        var process = config.Process!;
        if (process.Terminal == true && options.Detached && options.ConsoleSocket is null && options.ConsoleSocketFd < 0)
            throw new RuntimeException("cannot allocate tty if runcs will detach without setting console socket");
        if (process.Terminal != true && (options.ConsoleSocket is not null || options.ConsoleSocketFd >= 0))
            throw new RuntimeException("cannot use console socket if runcs will not detach or allocate tty");
        var rootfs = Bundle.Rootfs(bundle, config);
        SetgroupsPolicy.CheckMappable(config);
        bool denySetgroups = SetgroupsPolicy.MustDeny(config);
        var pidFile = options.PidFile is null ? null : Path.GetFullPath(options.PidFile);

        var layout = CgroupLayout.Detect();
        var cgroupPaths = CgroupPath.Resolve(layout, config.Linux?.CgroupsPath, options.Id, context.SystemdCgroup);
        ResourceValidation.Check(config.Linux?.Resources, CgroupHost.Detect());

        using var directoryLock = context.Store.CreateContainerDirectory(options.Id);
        var cleanup = new CreateCleanup(context, options.Id, bundle, config);
        try
        {
            var cgroups = CgroupManagers.For(layout.Mode, cgroupPaths);
            cleanup.Cgroups = cgroups;
            cgroups.Create();
            // Limits and device rules hold before the init joins, so nothing of the container ever runs without them.
            cgroups.Apply(config.Linux?.Resources ?? new LinuxResources(), new ApplyOptions { ConfigDevices = config.Linux?.Devices, Warn = context.Warn });

            var stateDir = directoryLock.Directory;
            MakeExecFifo(Path.Combine(stateDir, Process.ProcessPlan.ExecFifoName));
            using var stateDirFd = new OwnedFd(FileDescriptors.Open(stateDir, LibC.O_PATH | LibC.O_DIRECTORY | LibC.O_CLOEXEC));
            using var consoleFd = new OwnedFd(options.ConsoleSocket is not null ? ConsoleSocket.Connect(options.ConsoleSocket) : -1);
            using var seccompListenerFd = new OwnedFd(SeccompListener.Connect(config.Linux?.Seccomp));
            using var trampoline = Trampoline.Open();
            int consoleSocketFd = consoleFd.Fd >= 0 ? consoleFd.Fd : options.ConsoleSocketFd;

            var seccomp = config.Linux?.Seccomp is { } profile ? SeccompCompiler.CompileNative(profile, context.Warn, context.Debug) : null;
            ExecutorSession session;
            // The init inherits the namespace and detached mount descriptors; the runtime's copies close once it is cloned.
            using (var namespaces = NamespaceSetup.FromConfig(config.Linux?.Namespaces))
            using (var detachedMounts = DetachedMounts.Prepare(config, bundle))
            {
                var plan = InitPlan.Compile(new InitPlanInput
                {
                    Config = config,
                    Bundle = bundle,
                    Rootfs = rootfs,
                    Namespaces = namespaces,
                    CgroupLayout = layout,
                    CgroupPaths = cgroupPaths,
                    StateDirFd = stateDirFd.Fd,
                    ConsoleSocketFd = consoleSocketFd,
                    SeccompListenerFd = seccompListenerFd.Fd,
                    TrampolineFd = trampoline.Fd,
                    Seccomp = seccomp,
                    Stdio = options.Stdio,
                    DetachedMounts = detachedMounts.ByIndex,
                    SetgroupsDenied = denySetgroups,
                    PreserveFds = options.PreserveFds,
                    NoPivot = options.NoPivot,
                    Id = options.Id,
                    NoNewKeyring = options.NoNewKeyring,
                    Warn = context.Warn,
                    Debug = context.Debug,
                });
                if (context.DebugEnabled)
                    context.Debug("init plan:\n" + plan);
                session = ExecutorSession.Start(plan);
                cleanup.Session = session;
            }
            bool newUserNamespace = SetgroupsPolicy.CreatesUserNamespace(config);

            RunInit(session, cgroups, tag => tag switch
            {
                SyncTag.IdMapsAndCgroups => JoinCgroupsAndMapIds(session.Pid, cgroups, config, newUserNamespace, denySetgroups),
                SyncTag.CreateRuntimeHooks => RunCreateRuntimeHooks(config, Container.OciStateOf(options.Id, ContainerStatus.Creating, session.Pid, bundle, config.Annotations), bundle),
                SyncTag.CreateContainerHooks => RunCreateContainerHooks(config, Container.OciStateOf(options.Id, ContainerStatus.Creating, session.Pid, bundle, config.Annotations), session.Pid),
                SyncTag.StartHookState => Container.OciStateOf(options.Id, ContainerStatus.Created, session.Pid, bundle, config.Annotations),
                SyncTag.SeccompListenerState => SeccompListener.ProcessState(config.Linux!.Seccomp!, session.Pid,
                    Container.SpecStateOf(options.Id, ContainerStatus.Created, session.Pid, bundle, config.Annotations)),
                _ => throw new RuntimeException($"container init asked for an unknown sync {tag}"),
            });

            var record = new ContainerRecord
            {
                Id = options.Id,
                Pid = session.Pid,
                PidStartTime = Process.ProcStat.Read(session.Pid)?.StartTime ?? 0,
                Bundle = bundle,
                Rootfs = rootfs,
                Created = DateTime.UtcNow,
                Annotations = config.Annotations,
                Personality = config.Linux?.Personality?.Domain,
                CgroupMode = layout.Mode.ToString(),
                CgroupPaths = new(cgroupPaths),
            };
            context.Store.SaveConfig(options.Id, configBytes);
            context.Store.SaveExecDefaults(options.Id, config.Process!, seccomp);
            context.Store.Save(record);
            if (pidFile is not null)
                PidFile.Write(pidFile, session.Pid);
            cleanup.Succeeded();
            return new CreatedContainer(new Container(context, record, config), session);
        }
        catch
        {
            cleanup.Undo();
            throw;
        }
    }

    /// <summary>Runs the init's plan to its wait for start; its failures read as runc's ("unable to start container process: ...").</summary>
    private static void RunInit(ExecutorSession session, ICgroupManager cgroups, Func<SyncTag, byte[]?> onSync)
    {
        try
        {
            if (!session.Run(onSync))
            {
                // The limits hold from the start, so a memory limit too low for the init itself kills it here.
                var why = cgroups.OomKills() > 0 ? ": it was OOM-killed (is linux.resources.memory.limit too low?)" : "";
                throw new RuntimeException("unable to start container process: container init exited before it was ready" + why);
            }
        }
        catch (PlanFailedException e)
        {
            throw new RuntimeException("unable to start container process: " + e.Message, e);
        }
    }

    private static byte[]? JoinCgroupsAndMapIds(int pid, ICgroupManager cgroups, Config config, bool newUserNamespace, bool denySetgroups)
    {
        if (newUserNamespace)
            IdMaps.Write(pid, config.Linux?.UidMappings, config.Linux?.GidMappings, denySetgroups);
        cgroups.Join(pid);
        return null;
    }

    private static byte[]? RunCreateRuntimeHooks(Config config, byte[] state, string bundle)
    {
        HookRunner.Run("prestart", config.Hooks?.Prestart, state, cwd: bundle);
        HookRunner.Run("createRuntime", config.Hooks?.CreateRuntime, state, cwd: bundle);
        return null;
    }

    private static byte[]? RunCreateContainerHooks(Config config, byte[] state, int initPid)
    {
        HookRunner.Run("createContainer", config.Hooks?.CreateContainer, state, enterNamespacesOf: initPid);
        return null;
    }

    /// <summary>The fifo `start` opens to let the init exec; writable by anyone the init may run as.</summary>
    private static unsafe void MakeExecFifo(string path)
    {
        fixed (byte* p = FileDescriptors.CString(path))
        {
            if (LibC.mkfifo(p, 0x1b6) < 0 || LibC.chmod(p, 0x192 /* 0622 */) < 0)
                throw new RuntimeException($"create exec fifo {path}: {Syscalls.Describe(Syscalls.LastErrno)}");
        }
    }

    /// <summary>Undoes a create that failed half-way, newest first.</summary>
    private sealed class CreateCleanup(RuntimeContext context, string id, string bundle, Config config)
    {
        private bool succeeded;

        public ICgroupManager? Cgroups { get; set; }

        public ExecutorSession? Session { get; set; }

        public void Succeeded() => succeeded = true;

        public void Undo()
        {
            if (succeeded)
                return;
            if (Session is not null)
            {
                Session.Abort();
                Session.Dispose();
            }
            if (Cgroups is not null)
            {
                foreach (var pid in Cgroups.Pids())
                    LibC.kill(pid, LibC.SIGKILL);
                TryOrWarn(Cgroups.Destroy);
            }
            if (Session is not null)
                HookRunner.RunWarning("poststop", config.Hooks?.Poststop, Container.OciStateOf(id, ContainerStatus.Stopped, null, bundle, config.Annotations), context.Warn);
            TryOrWarn(() => context.Store.Remove(id));
        }

        private void TryOrWarn(Action action)
        {
            try
            {
                action();
            }
            catch (Exception e) when (e is RuntimeException or IOException or UnauthorizedAccessException)
            {
                context.Warn(e.Message);
            }
        }
    }
}
