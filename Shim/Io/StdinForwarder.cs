using Runcs.Runtime.Native;
using Tmds.Linux;

namespace Runcs.Shim.Io;

/// <summary>
/// Copies the client's stdin fifo into the process (a pipe's write end, or
/// the pty master) on its own thread. The fifo is opened without blocking
/// and then waited on with poll(), together with a wake-up pipe: the copy
/// starts whenever the client opens its end, however late, and CloseIO or
/// the process's end stops it at once, even when the client never came.
/// End of file from the client (its last writer closed) closes the
/// process's stdin.
/// </summary>
internal sealed unsafe class StdinForwarder
{
    private readonly Lock gate = new();
    private readonly bool ownsTarget;
    private int fifo;
    private int target;
    private int wakeRead;
    private int wakeWrite;
    private bool closed;

    private StdinForwarder(int fifo, int target, bool ownsTarget)
    {
        this.fifo = fifo;
        this.target = target;
        this.ownsTarget = ownsTarget;
        (wakeRead, wakeWrite) = Fd.Pipe();
    }

    /// <param name="ownsTarget">True for a pipe (closing it is the process's end of file), false for a pty master.</param>
    public static StdinForwarder Start(string fifoPath, int target, bool ownsTarget)
    {
        // A fifo opened for reading without O_NONBLOCK would wait in open() for a writer, where nothing can wake it.
        var forwarder = new StdinForwarder(Fd.Open(fifoPath, LibC.O_RDONLY | LibC.O_NONBLOCK), target, ownsTarget);
        new Thread(forwarder.Copy) { IsBackground = true, Name = "stdin" }.Start();
        return forwarder;
    }

    private void Copy()
    {
        var buffer = new byte[16 * 1024];
        var fds = stackalloc pollfd[2];
        try
        {
            while (true)
            {
                fds[0] = new pollfd { fd = fifo, events = (short)LibC.POLLIN };
                fds[1] = new pollfd { fd = wakeRead, events = (short)LibC.POLLIN };
                int ready = LibC.poll(fds, 2, -1);
                if (ready < 0 && Syscalls.LastErrno == LibC.EINTR)
                    continue;
                if (ready < 0 || fds[1].revents != 0)
                    return; // Close() woke us
                // Before the client's first open there is no POLLHUP; after its last close there is, and read says 0.
                int n = Fd.Read(fifo, buffer);
                if (n < 0 && Syscalls.LastErrno == LibC.EAGAIN)
                    continue;
                if (n <= 0)
                    return;
                lock (gate)
                {
                    if (closed || !Fd.WriteAll(target, buffer, n))
                        return;
                }
            }
        }
        finally
        {
            Close();
            lock (gate)
            {
                Fd.Close(ref fifo);
                Fd.Close(ref wakeRead);
            }
        }
    }

    /// <summary>Stops forwarding and closes the process's stdin (CloseIO, end of file, or the process is gone).</summary>
    public void Close()
    {
        lock (gate)
        {
            if (closed)
                return;
            closed = true;
            if (ownsTarget)
                Fd.Close(ref target);
            Fd.Close(ref wakeWrite); // the copy thread's poll sees the wake-up pipe's end of file
        }
    }
}
