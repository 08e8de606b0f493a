namespace Runcs.Shim.Io;

/// <summary>
/// Copies one of a process's output streams (a pipe or the pty master) to
/// where the client reads it, on its own thread, until end of file: blocking
/// reads, no polling. Done completes when the stream has ended and the
/// destination is closed, which is when the client sees end of file.
/// </summary>
internal sealed class OutputCopier
{
    private readonly TaskCompletionSource done = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private OutputCopier(int from, IOutputSink to, string name)
    {
        new Thread(() => Copy(from, to)) { IsBackground = true, Name = name }.Start();
    }

    public Task Done => done.Task;

    /// <summary>Takes ownership of from; closes it (and releases the sink) at the end.</summary>
    public static OutputCopier Start(int from, IOutputSink to, string name) => new(from, to, name);

    private void Copy(int from, IOutputSink to)
    {
        var buffer = new byte[16 * 1024];
        try
        {
            while (true)
            {
                int n = Fd.Read(from, buffer);
                if (n <= 0)
                    break; // end of file, or EIO once a pty's last process is gone
                if (!to.Write(buffer, n))
                    break;
            }
        }
        finally
        {
            Fd.Close(ref from);
            to.Release();
            done.TrySetResult();
        }
    }
}

/// <summary>Where output goes: a fifo, a file shared by stdout and stderr, ...</summary>
internal interface IOutputSink
{
    /// <summary>False when the destination is gone and copying should stop.</summary>
    bool Write(byte[] buffer, int count);

    /// <summary>One writer is done with the sink; the last one closes it.</summary>
    void Release();
}
