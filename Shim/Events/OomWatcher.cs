using Runcs.Runtime.Cgroups;
using Runcs.Runtime.Native;
using Runcs.Shim.Io;
using Runcs.Shim.Logging;
using Runcs.Shim.Native;
using Tmds.Linux;

namespace Runcs.Shim.Events;

/// <summary>
/// Tells the task service when the kernel's OOM killer acts in a container's
/// memory cgroup, for TaskOOM. cgroup v1 (and hybrid hosts, whose memory
/// controller is v1): an eventfd registered for memory.oom_control through
/// cgroup.event_control. cgroup v2: inotify on memory.events, whose oom_kill
/// counter goes up. One thread waits on all of them with epoll, however many
/// containers the shim serves; nothing polls.
/// </summary>
public sealed unsafe class OomWatcher
{
    private readonly Lock gate = new();
    private readonly Dictionary<int, Watch> watches = [];
    private readonly Action<string> onOom;
    private int epoll = -1;

    public OomWatcher(Action<string> onOom) => this.onOom = onOom;

    private sealed record Watch(string ContainerId, int Fd, string Dir, bool V2)
    {
        public ulong OomKills { get; set; }
    }

    /// <summary>Starts watching a container's memory cgroup; a host without one is skipped with a warning.</summary>
    public void Add(string containerId, string cgroupMode, IReadOnlyDictionary<string, string> paths)
    {
        try
        {
            var watch = cgroupMode == nameof(CgroupMode.V2) ? WatchV2(containerId, paths["unified"]) : WatchV1(containerId, paths);
            if (watch is null)
                return;
            lock (gate)
            {
                EnsureStarted();
                watches[watch.Fd] = watch;
                var ev = new epoll_event { events = LibC.EPOLLIN };
                ev.data.fd = watch.Fd;
                if (LibC.epoll_ctl(epoll, LibC.EPOLL_CTL_ADD, watch.Fd, &ev) < 0)
                    throw new IOException($"epoll_ctl: {Syscalls.Describe(Syscalls.LastErrno)}");
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or KeyNotFoundException)
        {
            ShimLog.Warn($"cannot watch {containerId} for OOM kills: {e.Message}");
        }
    }

    /// <summary>Stops watching (the container is being deleted).</summary>
    public void Remove(string containerId)
    {
        lock (gate)
        {
            foreach (var watch in watches.Values.Where(w => w.ContainerId == containerId).ToList())
                Forget(watch);
        }
    }

    private static Watch? WatchV1(string containerId, IReadOnlyDictionary<string, string> paths)
    {
        var dir = paths.FirstOrDefault(p => p.Key.Split(',').Contains("memory")).Value;
        if (dir is null)
            return null;
        int control = Fd.Open(Path.Combine(dir, "memory.oom_control"), LibC.O_RDONLY);
        int efd = LibC.eventfd(0, LibC.EFD_CLOEXEC);
        try
        {
            if (efd < 0)
                throw new IOException($"eventfd: {Syscalls.Describe(Syscalls.LastErrno)}");
            // "<event fd> <oom_control fd>": the kernel signals the eventfd on each OOM in this cgroup.
            File.WriteAllText(Path.Combine(dir, "cgroup.event_control"), $"{efd} {control}");
            return new Watch(containerId, efd, dir, V2: false);
        }
        catch
        {
            Fd.Close(ref efd);
            throw;
        }
        finally
        {
            Fd.Close(ref control);
        }
    }

    private static Watch? WatchV2(string containerId, string dir)
    {
        int fd = ShimSyscalls.inotify_init1(ShimSyscalls.IN_CLOEXEC | ShimSyscalls.IN_NONBLOCK);
        if (fd < 0)
            throw new IOException($"inotify_init1: {Syscalls.Describe(Syscalls.LastErrno)}");
        if (ShimSyscalls.inotify_add_watch(fd, Path.Combine(dir, "memory.events"), ShimSyscalls.IN_MODIFY) < 0)
        {
            int errno = Syscalls.LastErrno;
            Fd.Close(ref fd);
            throw new IOException($"watch {dir}/memory.events: {Syscalls.Describe(errno)}");
        }
        return new Watch(containerId, fd, dir, V2: true) { OomKills = OomKillsV2(dir) };
    }

    private static ulong OomKillsV2(string dir)
    {
        try
        {
            foreach (var line in File.ReadAllLines(Path.Combine(dir, "memory.events")))
                if (line.StartsWith("oom_kill ", StringComparison.Ordinal) && ulong.TryParse(line[9..], out var n))
                    return n;
        }
        catch (IOException)
        {
        }
        return 0;
    }

    private void EnsureStarted()
    {
        if (epoll >= 0)
            return;
        epoll = LibC.epoll_create1(LibC.EPOLL_CLOEXEC);
        if (epoll < 0)
            throw new IOException($"epoll_create1: {Syscalls.Describe(Syscalls.LastErrno)}");
        new Thread(Run) { IsBackground = true, Name = "oom" }.Start();
    }

    private void Run()
    {
        var events = stackalloc epoll_event[8];
        var buffer = new byte[4096];
        while (true)
        {
            int n = LibC.epoll_wait(epoll, events, 8, -1);
            for (int i = 0; i < n; i++)
            {
                int fd = events[i].data.fd;
                Fd.Read(fd, buffer); // the eventfd's counter, or inotify's records: what matters is that it fired
                Watch? watch;
                lock (gate)
                    watch = watches.GetValueOrDefault(fd);
                if (watch is not null)
                    Fired(watch);
            }
        }
    }

    private void Fired(Watch watch)
    {
        if (watch.V2)
        {
            var kills = OomKillsV2(watch.Dir);
            if (kills <= watch.OomKills)
                return; // memory.events changed for another reason (high, max)
            watch.OomKills = kills;
        }
        else if (!Directory.Exists(watch.Dir))
        {
            // v1 signals the eventfd when the cgroup is removed, too.
            lock (gate)
                Forget(watch);
            return;
        }
        onOom(watch.ContainerId);
    }

    private void Forget(Watch watch)
    {
        watches.Remove(watch.Fd);
        LibC.epoll_ctl(epoll, LibC.EPOLL_CTL_DEL, watch.Fd, null);
        int fd = watch.Fd;
        Fd.Close(ref fd);
    }
}
