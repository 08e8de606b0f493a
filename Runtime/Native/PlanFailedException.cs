namespace Runcs.Runtime.Native;

/// <summary>The executor reported that one operation of a plan failed.</summary>
public sealed class PlanFailedException(PlanStep? step, int errno, string detail)
    : RuntimeException(Describe(step, errno, detail))
{
    public PlanStep? Step { get; } = step;

    public int Errno { get; } = errno;

    private static string Describe(PlanStep? step, int errno, string detail)
    {
        if (step is null)
            return $"container init failed: {(errno != 0 ? Syscalls.Describe(errno) : detail)}";
        if (step.Op == PlanOp.LookupExec)
            return DescribeLookup(step, errno);
        var why = errno != 0 ? Syscalls.Describe(errno) : detail;
        return $"{step.Description}: {why}";
    }

    /// <summary>runc's words for a command that cannot be run, which callers match on.</summary>
    private static string DescribeLookup(PlanStep step, int errno)
    {
        var file = step.Text(0);
        if (!file.Contains('/'))
            return $"exec: \"{file}\": executable file not found in $PATH";
        if (errno == 13 /* EACCES: a directory, or no execute bit */)
            return $"exec: \"{file}\": permission denied";
        return $"exec: \"{file}\": stat {file}: {Syscalls.Describe(errno)}";
    }
}
