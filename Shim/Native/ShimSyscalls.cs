using System.Runtime.InteropServices;

namespace Runcs.Shim.Native;

/// <summary>
/// The system calls only the shim makes (rootfs mounts, a reaper's wait).
/// The rest (wait4, prctl, errno text) are the runtime library's Syscalls.
/// </summary>
internal static partial class ShimSyscalls
{
    /// <summary>Wait for every kind of child, whatever signal it reports its death with.</summary>
    public const int __WALL = 0x40000000;

    public const int MNT_DETACH = 2;

    [LibraryImport("libc", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int mount(string? source, string target, string? fstype, ulong flags, string? data);

    [LibraryImport("libc", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int umount2(string target, int flags);
}
