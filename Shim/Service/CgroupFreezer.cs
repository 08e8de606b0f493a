using Runcs.Runtime.Cgroups;
using Runcs.Runtime.Container;

namespace Runcs.Shim.Service;

/// <summary>
/// Pause and resume: the v1 freezer (freezer.state) or v2's cgroup.freeze,
/// waiting until the kernel reports the cgroup frozen, since freezing is
/// asynchronous and a paused task must not run another instruction.
/// (The library's pause/resume is the cgroups work's; this is the part the
/// shim needs until it lands.)
/// </summary>
internal static class CgroupFreezer
{
    public static void Freeze(Container container) => Set(container, frozen: true);

    public static void Thaw(Container container) => Set(container, frozen: false);

    private static void Set(Container container, bool frozen)
    {
        var paths = container.Record.CgroupPaths;
        if (container.Record.CgroupMode == nameof(CgroupMode.V2))
        {
            var dir = paths["unified"];
            File.WriteAllText(Path.Combine(dir, "cgroup.freeze"), frozen ? "1" : "0");
            WaitUntil(() => File.ReadAllText(Path.Combine(dir, "cgroup.events")).Contains(frozen ? "frozen 1" : "frozen 0"));
            return;
        }
        if (!paths.TryGetValue("freezer", out var freezer))
            throw new IOException("the container has no freezer cgroup");
        var state = Path.Combine(freezer, "freezer.state");
        var wanted = frozen ? "FROZEN" : "THAWED";
        WaitUntil(() =>
        {
            // v1 may stay FREEZING while a task is busy; writing again retries, as runc does.
            File.WriteAllText(state, wanted);
            return File.ReadAllText(state).Trim() == wanted;
        });
    }

    private static void WaitUntil(Func<bool> done)
    {
        for (int i = 0; i < 1000; i++)
        {
            if (done())
                return;
            Thread.Sleep(1);
        }
        throw new IOException("the cgroup did not reach the requested freezer state in time");
    }
}
