using System.Text.Json;
using Runcs.Runtime.Cgroups;
using Runcs.Runtime.Cgroups.Stats;
using Runcs.Runtime.Native;
using Runcs.Runtime.State;
using Tmds.Linux;

namespace Runcs.Runtime.Container;

public sealed partial class Container
{
    /// <summary>
    /// `runcs events`: one JSON line of statistics now (statsOnly), or every
    /// interval, with an {"type":"oom"} line as soon as the kernel OOM-kills in
    /// the container. Ends when the container's cgroup goes away (v1) or its
    /// last process exits (v2), as runc's does.
    /// </summary>
    public unsafe void Events(TimeSpan interval, bool statsOnly, TextWriter output)
    {
        if (interval <= TimeSpan.Zero)
            throw new RuntimeException("duration interval must be greater than 0");
        if (Status == ContainerStatus.Stopped)
            throw new RuntimeException($"container with id {Id} is not running");
        var cgroups = Cgroups;
        if (statsOnly)
        {
            Emit(output, new CgroupEvent { Type = "stats", Id = Id, Data = cgroups.Stats() });
            return;
        }

        using var oom = cgroups.NotifyOom();
        var next = Environment.TickCount64 + (long)interval.TotalMilliseconds;
        var pfd = new pollfd { fd = oom?.Fd ?? -1, events = (short)LibC.POLLIN };
        while (true)
        {
            int wait = (int)Math.Clamp(next - Environment.TickCount64, 0, int.MaxValue);
            int ready = LibC.poll(&pfd, (ulong_t)1UL, wait);
            if (ready < 0 && Syscalls.LastErrno != LibC.EINTR)
                throw new RuntimeException($"wait for events: {Syscalls.Describe(Syscalls.LastErrno)}");
            if (ready > 0 && oom is not null)
            {
                var reading = oom.Read();
                for (int i = 0; i < reading.Kills; i++)
                    Emit(output, new CgroupEvent { Type = "oom", Id = Id });
                if (reading.CgroupGone)
                    return;
            }
            if (Environment.TickCount64 >= next)
            {
                if (!cgroups.Paths.Values.Any(Directory.Exists))
                    return;
                Emit(output, new CgroupEvent { Type = "stats", Id = Id, Data = cgroups.Stats() });
                next += (long)interval.TotalMilliseconds;
            }
        }
    }

    private static void Emit(TextWriter output, CgroupEvent e)
    {
        output.Write(JsonSerializer.Serialize(e, EventsJsonContext.Compact.CgroupEvent) + "\n");
        output.Flush();
    }
}
