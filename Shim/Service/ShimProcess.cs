using Runcs.Shim.Api;
using Runcs.Shim.Io;
using Runcs.Shim.Reaping;

namespace Runcs.Shim.Service;

/// <summary>
/// A process the shim answers for: a container's init (ExecId "") or an exec.
/// Created, then running after start, then stopped when the reaper reports
/// its exit; Exited completes then, which is what Wait waits for.
/// </summary>
public sealed class ShimProcess(string containerId, string execId, ProcessIo io)
{
    private readonly TaskCompletionSource<ChildExit> exited = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public string ContainerId { get; } = containerId;

    /// <summary>"" for the init.</summary>
    public string ExecId { get; } = execId;

    public ProcessIo Io { get; } = io;

    /// <summary>An exec's process, as containerd sent it (the init's is the bundle's config.json).</summary>
    public Spec.Process? ExecSpec { get; init; }

    public int Pid { get; set; }

    public bool Started { get; set; }

    public ChildExit? Exit { get; private set; }

    public Task<ChildExit> Exited => exited.Task;

    public Status Status => Exit is not null ? Status.Stopped : Started ? Status.Running : Status.Created;

    public void SetExited(ChildExit exit)
    {
        Exit = exit;
        exited.TrySetResult(exit);
    }
}
