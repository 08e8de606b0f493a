namespace Runcs.Runtime.Native;

/// <summary>A descriptor closed when the scope ends; -1 stands for none.</summary>
public sealed class OwnedFd(int fd) : IDisposable
{
    public int Fd { get; private set; } = fd;

    public void Dispose()
    {
        if (Fd >= 0)
            Tmds.Linux.LibC.close(Fd);
        Fd = -1;
    }
}
