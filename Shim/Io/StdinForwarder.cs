using Tmds.Linux;

namespace Runcs.Shim.Io;

/// <summary>
/// Copies the client's stdin fifo into the process (a pipe's write end, or
/// the pty master) on its own thread. The fifo is opened blocking, so the
/// copy starts when the client opens its end, however late; end of file from
/// the client, or CloseIO, closes the process's stdin.
/// </summary>
internal sealed class StdinForwarder
{
    private readonly Lock gate = new();
    private readonly string fifo;
    private readonly bool ownsTarget;
    private int target;
    private bool closed;

    private StdinForwarder(string fifo, int target, bool ownsTarget)
    {
        this.fifo = fifo;
        this.target = target;
        this.ownsTarget = ownsTarget;
    }

    /// <param name="ownsTarget">True for a pipe (closing it is the process's end of file), false for a pty master.</param>
    public static StdinForwarder Start(string fifo, int target, bool ownsTarget)
    {
        var forwarder = new StdinForwarder(fifo, target, ownsTarget);
        new Thread(forwarder.Copy) { IsBackground = true, Name = "stdin" }.Start();
        return forwarder;
    }

    private void Copy()
    {
        int from = -1;
        try
        {
            from = Fd.Open(fifo, LibC.O_RDONLY); // blocks until the client opens its end (or Close opens one to wake us)
            var buffer = new byte[32 * 1024];
            while (true)
            {
                int n = Fd.Read(from, buffer);
                if (n <= 0)
                    break;
                lock (gate)
                {
                    if (closed || !Fd.WriteAll(target, buffer, n))
                        break;
                }
            }
        }
        catch (IOException)
        {
            // The fifo is gone: nothing more will come.
        }
        finally
        {
            Fd.Close(ref from);
            Close();
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
        }
        // A copy thread still blocked in open() waits for a writer: be one for a moment.
        try
        {
            int wake = Fd.Open(fifo, LibC.O_WRONLY | LibC.O_NONBLOCK);
            Fd.Close(ref wake);
        }
        catch (IOException)
        {
            // No reader waiting (ENXIO), or the fifo is gone: nothing to wake.
        }
    }
}
