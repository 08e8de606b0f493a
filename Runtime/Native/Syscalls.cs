using System.Runtime.InteropServices;

namespace Runcs.Runtime.Native;

/// <summary>
/// The few system calls Tmds.LibC does not bind, declared here with source-generated
/// marshalling (AOT-safe). Each returns -1 and sets errno like libc.
/// </summary>
internal static partial class Syscalls
{
    public const int WNOHANG = 1;
    public const int LOCK_EX = 2;
    public const int LOCK_NB = 4;

    private const long SYS_pidfd_send_signal = 424;
    private const long SYS_pidfd_open = 434;

    [LibraryImport("libc", SetLastError = true)]
    public static partial int wait4(int pid, out int status, int options, IntPtr rusage);

    /// <summary>struct rlimit on 64-bit Linux.</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct Rlimit
    {
        public ulong Current;
        public ulong Max;
    }

    [LibraryImport("libc", SetLastError = true)]
    public static partial int getrlimit(int resource, out Rlimit limit);

    [LibraryImport("libc", SetLastError = true)]
    public static partial int flock(int fd, int operation);

    [LibraryImport("libc", SetLastError = true)]
    public static partial int prctl(int option, nuint arg2, nuint arg3, nuint arg4, nuint arg5);

    [LibraryImport("libc", EntryPoint = "syscall", SetLastError = true)]
    private static partial long syscall2(long number, long arg1, long arg2);

    [LibraryImport("libc", EntryPoint = "syscall", SetLastError = true)]
    private static partial long syscall4(long number, long arg1, long arg2, long arg3, long arg4);

    /// <summary>A descriptor that refers to exactly this process, immune to pid reuse.</summary>
    public static int PidfdOpen(int pid) => (int)syscall2(SYS_pidfd_open, pid, 0);

    public static int PidfdSendSignal(int pidfd, int signal) => (int)syscall4(SYS_pidfd_send_signal, pidfd, signal, 0, 0);

    [LibraryImport("libc", EntryPoint = "syscall", SetLastError = true)]
    private static partial long syscall3(long number, long arg1, long arg2, long arg3);

    /// <summary>
    /// seccomp(SECCOMP_SET_MODE_FILTER, flags, NULL): installs nothing, and fails
    /// with EFAULT when the kernel knows the flags, EINVAL when it does not.
    /// Returns that errno (0 would mean it succeeded, which it cannot).
    /// </summary>
    public static int SeccompProbeFlags(uint flags)
    {
        if (Seccomp.SeccompArch.Native?.Table.TryGet("seccomp", out var number) != true)
            return Tmds.Linux.LibC.ENOSYS;
        const long SECCOMP_SET_MODE_FILTER = 1;
        return syscall3(number, SECCOMP_SET_MODE_FILTER, flags, 0) < 0 ? LastErrno : 0;
    }

    // The new mount API: the same numbers on every architecture (Linux 5.2 and 5.12).
    private const long SYS_open_tree = 428;
    private const long SYS_mount_setattr = 442;

    public const int AT_FDCWD = -100;
    public const uint AT_EMPTY_PATH = 0x1000;
    public const uint AT_RECURSIVE = 0x8000;
    public const uint OPEN_TREE_CLONE = 1;
    public const uint OPEN_TREE_CLOEXEC = 0x80000; // O_CLOEXEC
    public const ulong MOUNT_ATTR_IDMAP = 0x100000;

    /// <summary>struct mount_attr (MOUNT_ATTR_SIZE_VER0).</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct MountAttr
    {
        public ulong AttrSet;
        public ulong AttrClr;
        public ulong Propagation;
        public ulong UsernsFd;
    }

    [LibraryImport("libc", EntryPoint = "syscall", SetLastError = true)]
    private static partial long syscall5(long number, long arg1, long arg2, long arg3, long arg4, long arg5);

    /// <summary>open_tree(AT_FDCWD, path, flags): with OPEN_TREE_CLONE, a detached copy of the mount at path; the descriptor or -1.</summary>
    public static unsafe int OpenTree(string path, uint flags)
    {
        fixed (byte* p = FileDescriptors.CString(path))
            return (int)syscall4(SYS_open_tree, AT_FDCWD, (long)p, flags, 0);
    }

    /// <summary>mount_setattr(fd, "", AT_EMPTY_PATH | flags, attr): 0 or -1.</summary>
    public static unsafe int MountSetattr(int fd, uint flags, MountAttr attr)
    {
        byte empty = 0;
        return (int)syscall5(SYS_mount_setattr, fd, (long)&empty, AT_EMPTY_PATH | flags, (long)&attr, sizeof(MountAttr));
    }

    /// <summary>
    /// Whether the kernel has mount_setattr(), and with it MOUNT_ATTR_IDMAP (both
    /// Linux 5.12): flags it cannot know are refused with EINVAL before anything
    /// else is looked at; a kernel without the call (or a seccomp filter around
    /// the runtime that forbids it) answers ENOSYS or EPERM.
    /// </summary>
    public static unsafe bool HasMountSetattr()
    {
        byte empty = 0;
        return syscall5(SYS_mount_setattr, -1, (long)&empty, unchecked((long)0xffffffffL), 0, 0) < 0 && LastErrno == 22 /* EINVAL */;
    }

    public static int LastErrno => Marshal.GetLastPInvokeError();

    /// <summary>errno in Go's words ("no such file or directory"), as runc prints it.</summary>
    public static string Describe(int errno)
    {
        var text = Marshal.GetPInvokeErrorMessage(errno);
        return text.Length > 0 ? char.ToLowerInvariant(text[0]) + text[1..] : $"errno {errno}";
    }

    public static bool WIfExited(int status) => (status & 0x7f) == 0;
    public static int WExitStatus(int status) => (status >> 8) & 0xff;
    public static bool WIfSignaled(int status) => (status & 0x7f) != 0 && (status & 0x7f) != 0x7f;
    public static int WTermSig(int status) => status & 0x7f;

    /// <summary>The exit code a shell would report: the status, or 128+N for signal N.</summary>
    public static int ExitCode(int status) => WIfExited(status) ? WExitStatus(status) : 128 + WTermSig(status);

    /// <summary>Waits for a child, retrying on EINTR; returns the raw status.</summary>
    public static int WaitForExit(int pid)
    {
        while (true)
        {
            if (wait4(pid, out var status, 0, IntPtr.Zero) == pid)
                return status;
            if (LastErrno != 4 /* EINTR */)
                return -1;
        }
    }
}
