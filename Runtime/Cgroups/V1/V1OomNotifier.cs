using Runcs.Runtime.Native;
using Tmds.Linux;

namespace Runcs.Runtime.Cgroups.V1;

/// <summary>
/// v1's OOM notification: an eventfd registered through cgroup.event_control
/// against memory.oom_control. The kernel signals it on every OOM in the
/// cgroup, and once more when the cgroup is removed (then cgroup.event_control
/// is gone too, which tells the two apart).
/// </summary>
public sealed unsafe class V1OomNotifier : OomNotifier
{
    private readonly string dir;
    private int eventFd;

    private V1OomNotifier(string dir, int eventFd)
    {
        this.dir = dir;
        this.eventFd = eventFd;
    }

    public override int Fd => eventFd;

    public static V1OomNotifier Register(string dir)
    {
        int efd = LibC.eventfd(0, LibC.EFD_CLOEXEC);
        if (efd < 0)
            throw new RuntimeException($"eventfd: {Syscalls.Describe(Syscalls.LastErrno)}");
        using var oomControl = new OwnedFd(FileDescriptors.Open(Path.Combine(dir, "memory.oom_control"), LibC.O_RDONLY | LibC.O_CLOEXEC));
        int errno = oomControl.Fd < 0 ? -oomControl.Fd : CgroupFile.TryWrite(dir, "cgroup.event_control", $"{efd} {oomControl.Fd}");
        if (errno != 0)
        {
            LibC.close(efd);
            throw new RuntimeException($"register for OOM notifications in {dir}: {Syscalls.Describe(errno)}");
        }
        return new V1OomNotifier(dir, efd);
    }

    public override OomReading Read()
    {
        ulong count;
        if (LibC.read(eventFd, &count, sizeof(ulong)) != sizeof(ulong))
            return new OomReading(0, !Directory.Exists(dir));
        bool gone = !CgroupFile.Exists(dir, "cgroup.event_control");
        return new OomReading(gone ? 0 : (int)count, gone);
    }

    public override void Dispose()
    {
        if (eventFd >= 0)
            LibC.close(eventFd);
        eventFd = -1;
    }
}
