using Tmds.Linux;

namespace Runcs.Shim.Io;

/// <summary>
/// A client's fifo (containerd's stdout/stderr fifo). The shim holds a read
/// end of its own too, as the runc shim does: opening for writing then never
/// blocks, and a client that goes away (containerd restarting) does not turn
/// the container's next write into EPIPE; output waits in the fifo instead.
/// </summary>
internal sealed class FifoSink : IOutputSink
{
    private int write;
    private int keepOpen;

    private FifoSink(int write, int keepOpen)
    {
        this.write = write;
        this.keepOpen = keepOpen;
    }

    public static FifoSink Open(string path)
    {
        int reader = Fd.Open(path, LibC.O_RDONLY | LibC.O_NONBLOCK);
        try
        {
            return new FifoSink(Fd.Open(path, LibC.O_WRONLY), reader);
        }
        catch
        {
            Fd.Close(ref reader);
            throw;
        }
    }

    public bool Write(byte[] buffer, int count) => Fd.WriteAll(write, buffer, count);

    public void Release()
    {
        Fd.Close(ref write);
        Fd.Close(ref keepOpen);
    }
}
