using System.Text;
using Tmds.Linux;

namespace Runcs.Runtime.Native;

/// <summary>Thin, string-friendly wrappers over the fd system calls the runtime makes itself.</summary>
public static unsafe class FileDescriptors
{
    /// <summary>open(2); the descriptor, or -errno.</summary>
    public static int Open(string path, int flags, int mode = 0)
    {
        fixed (byte* p = CString(path))
        {
            int fd = LibC.open(p, flags, (mode_t)(uint)mode);
            return fd >= 0 ? fd : -Syscalls.LastErrno;
        }
    }

    /// <summary>
    /// Opens a path inside root without ever leaving it (openat2 with
    /// RESOLVE_IN_ROOT): a symlink in a container's rootfs cannot make the
    /// runtime read a host file. The descriptor, or -errno.
    /// </summary>
    public static int OpenInRoot(string root, string path, int flags)
    {
        int rootFd = Open(root, LibC.O_PATH | LibC.O_DIRECTORY | LibC.O_CLOEXEC);
        if (rootFd < 0)
            return rootFd;
        try
        {
            var how = new open_how { flags = (ulong)(flags | LibC.O_CLOEXEC), resolve = (ulong)(LibC.RESOLVE_IN_ROOT | LibC.RESOLVE_NO_MAGICLINKS) };
            fixed (byte* p = CString(path.TrimStart('/')))
            {
                int fd = LibC.openat2(rootFd, p, &how, (size_t)(ulong)sizeof(open_how));
                return fd >= 0 ? fd : -Syscalls.LastErrno;
            }
        }
        finally
        {
            LibC.close(rootFd);
        }
    }

    /// <summary>Reads a whole (small) file from a descriptor and closes it.</summary>
    public static string ReadAllAndClose(int fd)
    {
        using var stream = new FileStream(new Microsoft.Win32.SafeHandles.SafeFileHandle(fd, ownsHandle: true), FileAccess.Read, 1);
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    public static byte[] CString(string s)
    {
        var bytes = new byte[Encoding.UTF8.GetByteCount(s) + 1];
        Encoding.UTF8.GetBytes(s, bytes);
        return bytes;
    }
}
