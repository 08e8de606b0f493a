using System.Net.Sockets;
using Runcs.Runtime.Container;
using Runcs.Shim.Events;
using Runcs.Shim.Io;
using Runcs.Shim.Logging;
using Runcs.Shim.Reaping;
using Runcs.Shim.Service;
using Runcs.Shim.Ttrpc;
using Tmds.Linux;

namespace Runcs.Shim.Commands;

/// <summary>
/// The long-lived shim: serves the task API on the socket `start` passed as
/// descriptor 3, reaps, and publishes events to containerd, until containerd
/// calls Shutdown with no container left. Its log goes to the bundle's "log"
/// fifo, which containerd reads.
/// </summary>
public static class Daemon
{
    private const int ListenerFd = 3;

    public static int Run(ShimFlags flags)
    {
        ShimLog.DebugEnabled = flags.Debug;
        RedirectStderrToLogFifo();
        var reaper = Reaper.Install();
        var listener = new Socket(new SafeSocketHandle(ListenerFd, ownsHandle: true));
        var socketPath = (listener.LocalEndPoint as UnixDomainSocketEndPoint)?.ToString();
        var ttrpcAddress = Environment.GetEnvironmentVariable("TTRPC_ADDRESS") is { Length: > 0 } a ? a : flags.Address + ".ttrpc";
        var publisher = new EventPublisher(ttrpcAddress, flags.Namespace);
        var runtime = new RuntimeContext(flags.StateRoot()) { Warn = ShimLog.Warn, Debug = ShimLog.Debug, DebugEnabled = flags.Debug };

        using var trim = new Memory.IdleTrim();
        TtrpcServer? server = null;
        var service = new TaskService(runtime, reaper, publisher, flags.Namespace, shutdown: () => server!.Stop());
        var methods = service.Methods();
        if (flags.Debug)
            methods.Trace = ShimLog.Debug;
        server = new TtrpcServer(listener, methods, ShimLog.Warn, trim.Poke);
        ShimLog.Debug($"serving {flags.Id} on {socketPath}");

        server.Serve(); // on this thread, until Shutdown stops it
        if (socketPath is not null)
            File.Delete(socketPath);
        server.WaitForCalls(TimeSpan.FromSeconds(2)); // the Shutdown call's own answer goes out first
        publisher.Drain(TimeSpan.FromSeconds(5));
        return 0;
    }

    /// <summary>containerd reads the shim's log from BUNDLE/log, a fifo it made; without a reader the log goes nowhere.</summary>
    private static void RedirectStderrToLogFifo()
    {
        try
        {
            int fd = Fd.Open("log", LibC.O_WRONLY | LibC.O_NONBLOCK);
            Fd.ClearNonBlock(fd);
            LibC.dup2(fd, 2);
            Fd.Close(ref fd);
        }
        catch (IOException)
        {
            // No fifo or no reader (run by hand): keep /dev/null.
        }
    }
}
