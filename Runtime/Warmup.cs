using Runcs.Runtime.State;
using Runcs.Spec;

namespace Runcs.Runtime;

/// <summary>
/// The first use of System.Text.Json's metadata for a type graph costs up to a
/// couple of milliseconds (every type is set up, each one's attributes read
/// through reflection): config.json's graph for create and run, the state and
/// process documents for the others. It is a fixed cost on each command's
/// critical path; starting it on another core while the command line is
/// parsed takes it off that path. The caches it fills are the shared,
/// thread-safe ones the main thread would fill itself.
/// </summary>
public static class Warmup
{
    public static void StartFor(string? command)
    {
        Action? work = command switch
        {
            "create" or "run" => () =>
            {
                _ = SpecJsonContext.Default.Config;
                _ = RuntimeJsonContext.Default.ContainerRecord;
            },
            "exec" => () =>
            {
                _ = RuntimeJsonContext.Default.ContainerRecord;
                _ = SpecJsonContext.Default.Process;
            },
            "start" or "state" or "kill" or "delete" or "ps" => () => _ = RuntimeJsonContext.Default.ContainerRecord,
            _ => null,
        };
        if (work is not null)
            new Thread(() => work()) { IsBackground = true, Name = "json warm-up" }.Start();
    }
}
