using Runcs.Runtime.Native;
using Runcs.Spec;

namespace Runcs.Runtime.Rootfs;

/// <summary>
/// /dev inside the container: the devices every container gets, those
/// linux.devices adds, and the usual symlinks. In a user namespace mknod is
/// refused and the executor binds the host's node instead.
/// </summary>
public static class Devices
{
    private const uint S_IFIFO = 0x1000;
    private const uint S_IFCHR = 0x2000;
    private const uint S_IFBLK = 0x6000;

    /// <summary>The devices runc creates in every container (char, major, minor).</summary>
    public static readonly IReadOnlyList<LinuxDevice> Defaults =
    [
        Char("/dev/null", 1, 3),
        Char("/dev/zero", 1, 5),
        Char("/dev/full", 1, 7),
        Char("/dev/random", 1, 8),
        Char("/dev/urandom", 1, 9),
        Char("/dev/tty", 5, 0),
    ];

    private static LinuxDevice Char(string path, long major, long minor) =>
        new() { Type = "c", Path = path, Major = major, Minor = minor, FileMode = 0x1b6 /* 0666 */, Uid = 0, Gid = 0 };

    public static void Emit(PlanBuilder plan, IReadOnlyList<LinuxDevice> configured, bool hostHasKcore)
    {
        var byPath = Defaults.ToDictionary(d => d.Path);
        foreach (var device in configured)
            byPath[device.Path] = device;
        foreach (var device in byPath.Values)
            plan.Mknod(device.Path, TypeBits(device.Type) | (device.FileMode ?? 0x1b6), device.Major ?? 0, device.Minor ?? 0,
                device.Uid ?? 0, device.Gid ?? 0, device.Path);

        plan.Symlink("/proc/self/fd", "/dev/fd");
        plan.Symlink("/proc/self/fd/0", "/dev/stdin");
        plan.Symlink("/proc/self/fd/1", "/dev/stdout");
        plan.Symlink("/proc/self/fd/2", "/dev/stderr");
        if (hostHasKcore)
            plan.Symlink("/proc/kcore", "/dev/core");
        if (!byPath.ContainsKey("/dev/ptmx"))
            plan.Symlink("pts/ptmx", "/dev/ptmx");
    }

    private static uint TypeBits(string type) => type switch
    {
        "b" => S_IFBLK,
        "p" => S_IFIFO,
        _ => S_IFCHR, // "c" and "u" (unbuffered character device)
    };
}
