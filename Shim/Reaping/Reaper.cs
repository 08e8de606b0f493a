using Runcs.Runtime.Native;
using Runcs.Shim.Native;
using Tmds.Linux;

namespace Runcs.Shim.Reaping;

/// <summary>
/// The shim's only reaper. The shim is a child subreaper, so every process of
/// its containers that loses its parent becomes its child and must be
/// reaped, and a container's init is its child too. One thread waits in
/// wait4(-1) and hands each exit to whoever asked for that pid; the runtime
/// library (plan stages, hooks) asks through IChildWaiter, the task service
/// through ExitOf. An exit nobody has asked for yet is kept for a while, since
/// the asking may come after the reaping (a process that dies at once).
///
/// Pid reuse: a stored exit is dropped when the library spawns a new child
/// with the same pid (Spawn holds the lock across clone, so the new child's
/// own exit cannot be delivered first); exits nobody claims (orphans) are
/// forgotten after a minute.
/// </summary>
public sealed class Reaper : IChildWaiter
{
    private static readonly TimeSpan UnclaimedLifetime = TimeSpan.FromMinutes(1);

    private readonly Lock gate = new();
    private readonly Dictionary<int, TaskCompletionSource<ChildExit>> waiting = [];
    private readonly Dictionary<int, ChildExit> unclaimed = [];
    private readonly AutoResetEvent childAdded = new(false);

    private Reaper()
    {
    }

    /// <summary>Makes this process a subreaper, starts reaping and routes the library's waits here.</summary>
    public static Reaper Install()
    {
        if (Syscalls.prctl(Prctl.PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) < 0)
            throw new InvalidOperationException($"PR_SET_CHILD_SUBREAPER: {Syscalls.Describe(Syscalls.LastErrno)}");
        var reaper = new Reaper();
        ChildWait.Waiter = reaper;
        new Thread(reaper.Run) { IsBackground = true, Name = "reaper" }.Start();
        return reaper;
    }

    public int Spawn(Func<int> spawn)
    {
        lock (gate)
        {
            int pid = spawn();
            if (pid > 0)
                unclaimed.Remove(pid); // a new process has this pid: an old exit stored under it is stale
            childAdded.Set();
            return pid;
        }
    }

    public int WaitForExit(int pid) => ExitOf(pid).GetAwaiter().GetResult().RawStatus;

    /// <summary>Completes when the child with this pid is reaped (or already was, and nobody took it).</summary>
    public Task<ChildExit> ExitOf(int pid)
    {
        lock (gate)
        {
            if (unclaimed.Remove(pid, out var exit))
                return Task.FromResult(exit);
            if (!waiting.TryGetValue(pid, out var source))
                waiting[pid] = source = new TaskCompletionSource<ChildExit>(TaskCreationOptions.RunContinuationsAsynchronously);
            return source.Task;
        }
    }

    private void Run()
    {
        while (true)
        {
            int pid = Syscalls.wait4(-1, out int status, ShimSyscalls.__WALL, IntPtr.Zero);
            if (pid > 0)
            {
                Deliver(new ChildExit(pid, status, DateTime.UtcNow));
                continue;
            }
            int errno = Syscalls.LastErrno;
            if (errno == LibC.ECHILD)
                childAdded.WaitOne(); // no children: sleep until the next spawn (orphans only come from children)
        }
    }

    private void Deliver(ChildExit exit)
    {
        lock (gate)
        {
            if (waiting.Remove(exit.Pid, out var source))
            {
                source.SetResult(exit);
                return;
            }
            foreach (var old in unclaimed.Values.Where(e => exit.At - e.At > UnclaimedLifetime).ToList())
                unclaimed.Remove(old.Pid);
            unclaimed[exit.Pid] = exit;
        }
    }
}
