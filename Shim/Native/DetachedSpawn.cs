using Runcs.Runtime.Native;
using Runcs.Shim.Io;

namespace Runcs.Shim.Native;

/// <summary>Starts a program the shim does not wait for (the daemon, a logging binary) through the plan executor, like every child of the runtime.</summary>
internal static class DetachedSpawn
{
    /// <summary>
    /// Starts a program in a session of its own with /dev/null as stdin, stdout and stderr,
    /// `passed` as descriptors 3, 4, ... and nothing else open; execute adds its exec to the
    /// plan. Each passed descriptor must already be above the numbers it goes to, so that no
    /// dup2 overwrites one still to come.
    /// </summary>
    public static void Run(IReadOnlyList<int> passed, Action<PlanBuilder> execute, string what)
    {
        int devNull = Fd.Open("/dev/null", Tmds.Linux.LibC.O_RDWR);
        try
        {
            var plan = new PlanBuilder();
            plan.SetSid();
            for (int fd = 0; fd <= 2; fd++)
                plan.Dup2(devNull, fd);
            for (int i = 0; i < passed.Count; i++)
                plan.Dup2(passed[i], 3 + i);
            plan.CloexecFrom(3 + passed.Count);
            execute(plan);
            Run(plan, what);
        }
        finally
        {
            Fd.Close(ref devNull);
        }
    }

    /// <summary>Runs the plan until its execve succeeds; a failure before that (no such binary) is thrown.</summary>
    private static void Run(PlanBuilder plan, string what)
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
