using Runcs.Runtime.Native;
using System.Text;
using Runcs.Shim.Native;
using Tmds.Linux;

namespace Runcs.Shim.Io;

/// <summary>Small descriptor helpers for the stdio plumbing; every descriptor the shim opens is close-on-exec.</summary>
internal static unsafe class Fd
{
    public static int Open(string path, int flags, int mode = 0)
    {
        var bytes = Encoding.UTF8.GetBytes(path + "\0");
        fixed (byte* p = bytes)
        {
            while (true)
            {
                int fd = LibC.open(p, flags | LibC.O_CLOEXEC, (mode_t)(uint)mode);
                if (fd >= 0)
                    return fd;
                int errno = Syscalls.LastErrno;
                if (errno != LibC.EINTR)
                    throw new IOException($"open {path}: {Syscalls.Describe(errno)}");
            }
        }
    }

    public static (int Read, int Write) Pipe()
    {
        int* fds = stackalloc int[2];
        if (LibC.pipe2(fds, LibC.O_CLOEXEC) < 0)
            throw new IOException($"pipe: {Syscalls.Describe(Syscalls.LastErrno)}");
        return (fds[0], fds[1]);
    }

    public static void ClearNonBlock(int fd)
    {
        int flags = LibC.fcntl(fd, LibC.F_GETFL, 0);
        if (flags >= 0)
            LibC.fcntl(fd, LibC.F_SETFL, flags & ~LibC.O_NONBLOCK);
    }

    /// <summary>A copy at or above minimum (close-on-exec), so that dup2 onto 3, 4, 5 in a child cannot overwrite it.</summary>
    public static int DupAbove(int fd, int minimum) => LibC.fcntl(fd, LibC.F_DUPFD_CLOEXEC, minimum);

    public static void Close(ref int fd)
    {
        if (fd >= 0)
            LibC.close(fd);
        fd = -1;
    }

    /// <summary>Reads once, retrying on EINTR: bytes read, 0 at end of file, -1 on error.</summary>
    public static int Read(int fd, byte[] buffer)
    {
        fixed (byte* p = buffer)
        {
            while (true)
            {
                long n = LibC.read(fd, p, buffer.Length);
                if (n >= 0)
                    return (int)n;
                if (Syscalls.LastErrno != LibC.EINTR)
                    return -1;
            }
        }
    }

    /// <summary>Writes all of it; false when the other side is gone.</summary>
    public static bool WriteAll(int fd, byte[] buffer, int count)
    {
        fixed (byte* p = buffer)
        {
            for (int done = 0; done < count;)
            {
                long n = LibC.write(fd, p + done, count - done);
                if (n < 0 && Syscalls.LastErrno == LibC.EINTR)
                    continue;
                if (n <= 0)
                    return false;
                done += (int)n;
            }
        }
        return true;
    }
}
