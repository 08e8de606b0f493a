using System.Runtime.InteropServices;
using Runcs.Runtime.Native;
using Tmds.Linux;

namespace Runcs.Runtime.Cgroups.V2;

/// <summary>
/// v2's OOM notification: inotify on memory.events, whose oom_kill counter
/// goes up with each kill, and on cgroup.events, whose "populated 0" says the
/// last process has left (cgroupfs sends modify events, never deletes).
/// </summary>
public sealed unsafe partial class V2OomNotifier : OomNotifier
{
    private const uint IN_MODIFY = 0x2;
    private const int IN_CLOEXEC = 0x80000;

    private readonly string dir;
    private readonly bool hasMemory;
    private int inotifyFd;
    private ulong kills;

    [LibraryImport("libc", SetLastError = true)]
    private static partial int inotify_init1(int flags);

    [LibraryImport("libc", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int inotify_add_watch(int fd, string path, uint mask);

    private V2OomNotifier(string dir, int inotifyFd, bool hasMemory)
    {
        this.dir = dir;
        this.inotifyFd = inotifyFd;
        this.hasMemory = hasMemory;
        kills = hasMemory ? CgroupFile.ReadKeyValues(dir, "memory.events").GetValueOrDefault("oom_kill") : 0;
    }

    public override int Fd => inotifyFd;

    /// <summary>Without the memory controller there are no OOM kills to hear of, only the end of the cgroup's processes.</summary>
    public static V2OomNotifier Register(string dir)
    {
        int fd = inotify_init1(IN_CLOEXEC);
        if (fd < 0)
            throw new RuntimeException($"inotify_init1: {Syscalls.Describe(Syscalls.LastErrno)}");
        bool hasMemory = CgroupFile.Exists(dir, "memory.events");
        foreach (var file in hasMemory ? new[] { "memory.events", "cgroup.events" } : ["cgroup.events"])
        {
            if (inotify_add_watch(fd, Path.Combine(dir, file), IN_MODIFY) < 0)
            {
                int errno = Syscalls.LastErrno;
                LibC.close(fd);
                throw new RuntimeException($"watch {Path.Combine(dir, file)}: {Syscalls.Describe(errno)}");
            }
        }
        return new V2OomNotifier(dir, fd, hasMemory);
    }

    public override OomReading Read()
    {
        // Drain the queued events: which file changed does not matter, both are read again.
        var buffer = stackalloc byte[4096];
        LibC.read(inotifyFd, buffer, 4096);
        int newKills = 0;
        if (hasMemory)
        {
            var now = CgroupFile.ReadKeyValues(dir, "memory.events").GetValueOrDefault("oom_kill");
            newKills = (int)Math.Max(0, (long)now - (long)kills);
            kills = Math.Max(kills, now);
        }
        var events = CgroupFile.ReadKeyValues(dir, "cgroup.events");
        bool gone = !events.TryGetValue("populated", out var populated) || populated == 0;
        return new OomReading(newKills, gone);
    }

    public override void Dispose()
    {
        if (inotifyFd >= 0)
            LibC.close(inotifyFd);
        inotifyFd = -1;
    }
}
