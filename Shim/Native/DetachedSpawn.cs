using Runcs.Runtime.Native;

namespace Runcs.Shim.Native;

/// <summary>Starts a program the shim does not wait for (the daemon, a logging binary) through the plan executor, like every child of the runtime.</summary>
internal static class DetachedSpawn
{
    /// <summary>Runs the plan until its execve succeeds; a failure before that (no such binary) is thrown.</summary>
    public static void Run(PlanBuilder plan, string what)
    {
        using var session = ExecutorSession.Start(plan.Build());
        try
        {
            session.Run(_ => null); // returns false at exec: the sync socket is close-on-exec
        }
        catch (PlanFailedException e)
        {
            session.WaitForExit();
            throw new IOException($"start {what}: {e.Message}");
        }
    }
}
