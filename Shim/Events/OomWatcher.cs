using Runcs.Runtime;
using Runcs.Runtime.Cgroups;
using Runcs.Runtime.Native;
using Runcs.Shim.Logging;
using Tmds.Linux;

namespace Runcs.Shim.Events;

/// <summary>
/// Tells the task service when the kernel's OOM killer acts in a container's
/// memory cgroup, for TaskOOM. The runtime library makes the notifier (v1: an
/// eventfd on memory.oom_control, v2: inotify on memory.events); here one
/// thread waits on all of them with epoll, however many containers the shim
/// serves. Nothing polls.
/// </summary>
public sealed unsafe class OomWatcher(Action<string> onOom)
{
    private readonly Lock gate = new();
    private readonly Dictionary<int, (string ContainerId, OomNotifier Notifier)> watches = [];
    private int epoll = -1;

    /// <summary>Starts watching a container's memory cgroup; a host without one is skipped with a warning.</summary>
    public void Add(string containerId, ICgroupManager cgroups)
    {
        try
        {
            if (cgroups.NotifyOom() is not { } notifier)
                return;
            lock (gate)
            {
                EnsureStarted();
                watches[notifier.Fd] = (containerId, notifier);
                var ev = new epoll_event { events = LibC.EPOLLIN };
                ev.data.fd = notifier.Fd;
                if (LibC.epoll_ctl(epoll, LibC.EPOLL_CTL_ADD, notifier.Fd, &ev) < 0)
                    throw new RuntimeException($"epoll_ctl: {Syscalls.Describe(Syscalls.LastErrno)}");
            }
        }
        catch (Exception e) when (e is RuntimeException or IOException)
        {
            ShimLog.Warn($"cannot watch {containerId} for OOM kills: {e.Message}");
        }
    }

    /// <summary>Stops watching (the container is being deleted).</summary>
    public void Remove(string containerId)
    {
        lock (gate)
        {
            foreach (var fd in watches.Where(w => w.Value.ContainerId == containerId).Select(w => w.Key).ToList())
                Forget(fd);
        }
    }

    private void EnsureStarted()
    {
        if (epoll >= 0)
            return;
        epoll = LibC.epoll_create1(LibC.EPOLL_CLOEXEC);
        if (epoll < 0)
            throw new RuntimeException($"epoll_create1: {Syscalls.Describe(Syscalls.LastErrno)}");
        new Thread(Run) { IsBackground = true, Name = "oom" }.Start();
    }

    private void Run()
    {
        var events = stackalloc epoll_event[8];
        while (true)
        {
            int n = LibC.epoll_wait(epoll, events, 8, -1);
            for (int i = 0; i < n; i++)
            {
                lock (gate)
                {
                    if (!watches.TryGetValue(events[i].data.fd, out var watch))
                        continue;
                    var reading = watch.Notifier.Read();
                    if (reading.Kills > 0)
                        onOom(watch.ContainerId); // the kill may have emptied the cgroup: report it first
                    if (reading.CgroupGone)
                        Forget(events[i].data.fd);
                }
            }
        }
    }

    private void Forget(int fd)
    {
        if (!watches.Remove(fd, out var watch))
            return;
        LibC.epoll_ctl(epoll, LibC.EPOLL_CTL_DEL, fd, null);
        watch.Notifier.Dispose();
    }
}
