namespace Runcs.Runtime.Native;

/// <summary>
/// How the library starts and waits for its own children: plan stages,
/// hooks, a foreground container's init. Whoever reaps a process gets its
/// exit status, and only once, so a program that also reaps on its own (the
/// shim is a subreaper and must collect every orphan with wait4(-1)) would
/// steal the statuses the library waits for. Such a program installs a waiter
/// that hands the statuses it reaped to whoever asks for them; the CLI keeps
/// the default, a plain wait4 on the pid.
/// </summary>
public interface IChildWaiter
{
    /// <summary>
    /// Runs spawn, which clones a child and returns its pid (or -errno), in a
    /// way that lets nobody reap the child before the waiter knows its pid.
    /// </summary>
    int Spawn(Func<int> spawn);

    /// <summary>Blocks until the child exits; returns its raw wait status, or -1 when it is not our child.</summary>
    int WaitForExit(int pid);
}

public static class ChildWait
{
    /// <summary>Set once at start-up by a program that reaps on its own (the shim); the default waits with wait4(pid).</summary>
    public static IChildWaiter Waiter { get; set; } = new DirectWaiter();

    public static int ForExit(int pid) => Waiter.WaitForExit(pid);

    private sealed class DirectWaiter : IChildWaiter
    {
        public int Spawn(Func<int> spawn) => spawn();

        public int WaitForExit(int pid) => Syscalls.WaitForExit(pid);
    }
}
