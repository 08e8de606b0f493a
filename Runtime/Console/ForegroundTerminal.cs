using Runcs.Runtime.Native;

namespace Runcs.Runtime.Console;

/// <summary>
/// The terminal of a process that `run` or `exec` stays in the foreground
/// for: a socket pair stands in for --console-socket, the process's init
/// sends its pty master over it, and a proxy connects that pty to our own
/// stdin and stdout.
/// </summary>
public sealed class ForegroundTerminal : IDisposable
{
    private readonly SocketPair pair = SocketPair.Create();
    private PtyProxy? proxy;

    private ForegroundTerminal()
    {
    }

    /// <summary>A terminal when the process asks for one, else null.</summary>
    public static ForegroundTerminal? For(bool terminal) => terminal ? new ForegroundTerminal() : null;

    /// <summary>The end to pass as the console socket.</summary>
    public int ConsoleSocketFd => pair.Second;

    /// <summary>Once the process is set up: takes its pty master and starts copying.</summary>
    public void Attach()
    {
        pair.CloseSecond();
        int master = ConsoleSocket.ReceiveFd(pair.First);
        if (master < 0)
            throw new RuntimeException("the container did not send its console");
        proxy = PtyProxy.Start(master);
    }

    public void Resize() => proxy?.Resize();

    /// <summary>After the process exited: copies what it wrote last.</summary>
    public void Finish() => proxy?.WaitForOutput();

    public void Dispose()
    {
        proxy?.Dispose();
        pair.Dispose();
    }
}
