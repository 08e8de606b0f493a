using System.Text;
using Tmds.Linux;

namespace Runcs.Runtime.Native;

/// <summary>Connecting to the Unix sockets callers listen on (--console-socket, linux.seccomp.listenerPath).</summary>
public static unsafe class UnixSocket
{
    /// <summary>A connected stream socket (close-on-exec); errors name the socket as <paramref name="what"/>.</summary>
    public static int Connect(string path, string what)
    {
        int fd = LibC.socket(LibC.AF_UNIX, LibC.SOCK_STREAM | LibC.SOCK_CLOEXEC, 0);
        if (fd < 0)
            throw new RuntimeException($"{what}: {Syscalls.Describe(Syscalls.LastErrno)}");
        var address = new sockaddr_un { sun_family = (ushort)LibC.AF_UNIX };
        var bytes = Encoding.UTF8.GetBytes(path);
        if (bytes.Length >= 108)
        {
            LibC.close(fd);
            throw new RuntimeException($"{what} {path}: path too long");
        }
        for (int i = 0; i < bytes.Length; i++)
            address.sun_path[i] = bytes[i];
        if (LibC.connect(fd, (sockaddr*)&address, sizeof(sockaddr_un)) < 0)
        {
            int errno = Syscalls.LastErrno;
            LibC.close(fd);
            throw new RuntimeException($"connect to {what} {path}: {Syscalls.Describe(errno)}");
        }
        return fd;
    }
}
