using Tmds.Linux;

namespace Runcs.Runtime.Native;

/// <summary>A connected pair of close-on-exec unix stream sockets.</summary>
public sealed unsafe class SocketPair : IDisposable
{
    private SocketPair(int first, int second)
    {
        First = first;
        Second = second;
    }

    public int First { get; private set; }

    public int Second { get; private set; }

    public static SocketPair Create()
    {
        int* fds = stackalloc int[2];
        if (LibC.socketpair(LibC.AF_UNIX, LibC.SOCK_STREAM | LibC.SOCK_CLOEXEC, 0, fds) < 0)
            throw new RuntimeException($"socketpair: {Syscalls.Describe(Syscalls.LastErrno)}");
        return new SocketPair(fds[0], fds[1]);
    }

    /// <summary>Closes our copy of the end handed to a child.</summary>
    public void CloseSecond()
    {
        if (Second >= 0)
            LibC.close(Second);
        Second = -1;
    }

    public void Dispose()
    {
        CloseSecond();
        if (First >= 0)
            LibC.close(First);
        First = -1;
    }
}
