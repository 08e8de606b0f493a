using Runcs.Runtime.Console;
using Runcs.Runtime.Native;
using Tmds.Linux;

namespace Runcs.Shim.Io;

/// <summary>
/// One process's stdio, both sides. The process gets pipes (or, with a
/// terminal, a pty whose master the container's init sends back over a
/// socket pair); the shim copies between those and what the client named:
/// containerd's fifos, a file:// log, or a binary:// logger that reads the
/// pipes itself. Pipes rather than the fifos themselves, as the runc shim
/// does, so the shim decides when the client sees end of file and the
/// process never holds a client's descriptor.
/// </summary>
public sealed class ProcessIo : IDisposable
{
    private readonly List<OutputCopier> copiers = [];
    private int childStdin = -1, childStdout = -1, childStderr = -1;
    private SocketPair? console;
    private int master = -1;
    private StdinForwarder? stdin;

    private ProcessIo(StdioPaths paths) => Paths = paths;

    public StdioPaths Paths { get; }

    /// <summary>The descriptors to become the process's 0, 1 and 2.</summary>
    public IReadOnlyList<int> ChildStdio => [childStdin, childStdout, childStderr];

    /// <summary>The end of the console socket pair the container's init sends its pty master to; -1 without a terminal.</summary>
    public int ConsoleSocketFd => console?.Second ?? -1;

    /// <summary>Prepares the process's side; the shim's side starts in ProcessStarted.</summary>
    public static ProcessIo Open(StdioPaths paths, string id, string ns)
    {
        var io = new ProcessIo(paths);
        try
        {
            io.Prepare(id, ns);
            return io;
        }
        catch
        {
            io.Dispose();
            throw;
        }
    }

    private void Prepare(string id, string ns)
    {
        int devNull = Fd.Open("/dev/null", LibC.O_RDWR);
        if (Paths.Terminal)
        {
            // The pty replaces 0, 1 and 2 in the container; until then they are /dev/null, never the shim's own.
            console = SocketPair.Create();
            childStdin = devNull;
            childStdout = Fd.DupAbove(devNull, 3);
            childStderr = Fd.DupAbove(devNull, 3);
            return;
        }
        if (Paths.Stdin.Length > 0)
        {
            var (read, write) = Fd.Pipe();
            childStdin = read;
            stdin = StdinForwarder.Start(Paths.Stdin, write, ownsTarget: true);
        }
        else
        {
            childStdin = Fd.DupAbove(devNull, 3);
        }
        OpenOutputs(devNull, id, ns);
        Fd.Close(ref devNull);
    }

    private void OpenOutputs(int devNull, string id, string ns)
    {
        var stdoutUri = LogUri.Parse(Paths.Stdout);
        var stderrUri = LogUri.Parse(Paths.Stderr);
        if (stdoutUri?.Scheme == "binary")
        {
            var (outRead, outWrite) = Fd.Pipe();
            var (errRead, errWrite) = Fd.Pipe();
            (childStdout, childStderr) = (outWrite, errWrite);
            try
            {
                BinaryLogger.Start(stdoutUri, outRead, errRead, id, ns);
            }
            finally
            {
                Fd.Close(ref outRead);
                Fd.Close(ref errRead);
            }
            return;
        }
        if (stdoutUri?.Scheme == "file")
        {
            var file = FileSink.Open(Uri.UnescapeDataString(stdoutUri.AbsolutePath), users: 2);
            childStdout = StartCopy(file, "stdout");
            childStderr = StartCopy(file, "stderr");
            return;
        }
        childStdout = Paths.Stdout.Length > 0 ? StartCopy(FifoSink.Open(Paths.Stdout), "stdout") : Fd.DupAbove(devNull, 3);
        childStderr = Paths.Stderr.Length > 0 ? StartCopy(FifoSink.Open(Paths.Stderr), "stderr") : Fd.DupAbove(devNull, 3);
    }

    /// <summary>A pipe whose read end is copied to sink; returns the write end for the process.</summary>
    private int StartCopy(IOutputSink sink, string name)
    {
        var (read, write) = Fd.Pipe();
        copiers.Add(OutputCopier.Start(read, sink, name));
        return write;
    }

    /// <summary>
    /// The process has its descriptors: close our copies of its ends (so its
    /// exit is our end of file) and, with a terminal, take the pty master and
    /// start copying it.
    /// </summary>
    public void ProcessStarted()
    {
        Fd.Close(ref childStdin);
        Fd.Close(ref childStdout);
        Fd.Close(ref childStderr);
        if (console is null)
            return;
        console.CloseSecond();
        master = ConsoleSocket.ReceiveFd(console.First);
        console.Dispose();
        console = null;
        if (master < 0)
            throw new IOException("the container did not send its console");
        if (Paths.Stdin.Length > 0)
            stdin = StdinForwarder.Start(Paths.Stdin, master, ownsTarget: false);
        if (Paths.Stdout.Length > 0)
            copiers.Add(OutputCopier.Start(Fd.DupAbove(master, 3), FifoSink.Open(Paths.Stdout), "pty"));
    }

    /// <summary>CloseIO: the process's stdin reaches end of file (for a pipe; a pty only stops receiving).</summary>
    public void CloseStdin() => stdin?.Close();

    public unsafe void Resize(uint width, uint height)
    {
        if (master < 0)
            throw new InvalidOperationException("the process has no terminal");
        var size = new winsize { ws_col = (ushort)width, ws_row = (ushort)height };
        LibC.ioctl(master, LibC.TIOCSWINSZ, &size);
    }

    /// <summary>Waits until every output stream reached end of file and was closed for the client, at most timeout.</summary>
    public bool WaitForOutput(TimeSpan timeout) => Task.WhenAll(copiers.Select(c => c.Done)).Wait(timeout);

    public void Dispose()
    {
        stdin?.Close();
        Fd.Close(ref childStdin);
        Fd.Close(ref childStdout);
        Fd.Close(ref childStderr);
        console?.Dispose();
        Fd.Close(ref master);
    }
}
