using Runcs.Runtime.Console;
using Runcs.Runtime.Native;
using Runcs.Runtime.Process;
using Tmds.Linux;

namespace Runcs.Runtime.Container;

/// <summary>The run command's options beyond create's.</summary>
public sealed record RunOptions
{
    public bool Detach { get; init; }
    public bool Keep { get; init; }
    public bool NoSubreaper { get; init; }
}

public sealed partial class Container
{
    /// <summary>
    /// create + start. Detached, returns 0 once the process runs. In the
    /// foreground, stays with the container: forwards signals to its init,
    /// proxies the terminal when it has one, reaps, deletes the container
    /// (unless keep) and returns the init's exit code (128+N for signal N).
    /// </summary>
    public static int Run(RuntimeContext context, CreateOptions create, RunOptions run)
    {
        if (run.Detach)
        {
            using var detached = Create(context, create with { Detached = true });
            detached.Container.Start();
            return 0;
        }

        if (!run.NoSubreaper)
            Syscalls.prctl(Prctl.PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0);

        var config = Bundle.Read(Path.GetFullPath(create.Bundle), out var configBytes);
        using var console = ForegroundTerminal.For(config.Process?.Terminal == true);
        using var created = Create(context, create with { Detached = false, ConsoleSocketFd = console?.ConsoleSocketFd ?? -1 }, (config, configBytes));
        var container = created.Container;
        using var signals = new SignalForwarder(container.Record.Pid, () => console?.Resize());
        try
        {
            console?.Attach();
            container.Start();
            // The init now runs startContainer hooks and execs; a failure arrives here, success closes the socket.
            created.Session.Run(_ => null);
        }
        catch (RuntimeException)
        {
            created.Session.Abort();
            if (!run.Keep)
                DeleteQuietly(container);
            throw;
        }

        int status = created.Session.WaitForExit();
        console?.Finish();
        ReapOrphans();
        if (!run.Keep)
            DeleteQuietly(container);
        return Syscalls.ExitCode(status);
    }

    private static void DeleteQuietly(Container container)
    {
        using var directoryLock = container.Context.Store.Lock(container.Id);
        container.Delete(force: true);
    }

    /// <summary>As a subreaper we inherit the container's orphans when its init is not a pid namespace's init.</summary>
    private static void ReapOrphans()
    {
        while (Syscalls.wait4(-1, out _, Syscalls.WNOHANG, IntPtr.Zero) > 0)
        {
        }
    }
}
