using Google.Protobuf;
using Runcs.Runtime.Native;
using Runcs.Shim.Api;
using Runcs.Shim.Ttrpc;
using Tmds.Linux;
using Empty = Google.Protobuf.WellKnownTypes.Empty;

namespace Runcs.Shim.Service;

public sealed partial class TaskService
{
    /// <summary>Signals the init (or, with all, every process of the container) through the library; an exec by its pid.</summary>
    private IMessage Kill(KillRequest request)
    {
        var container = Get(request.Id);
        var process = GetProcess(container, request.ExecId);
        if (request.ExecId.Length == 0)
        {
            Library(() => container.Container.Kill((int)request.Signal, request.All));
            return new Empty();
        }
        lock (container.Gate)
        {
            // Exits are recorded under this gate, so an exec seen running here was running a moment ago;
            // its pid can only have been reaped in that moment, the same narrow window the runc shim has.
            if (process.Exit is not null || !process.Started)
                throw TtrpcException.NotFound($"process {request.ExecId}: process already finished");
            if (LibC.kill(process.Pid, (int)request.Signal) < 0)
                throw new TtrpcException(StatusCode.Unknown, $"kill {process.Pid}: {Syscalls.Describe(Syscalls.LastErrno)}");
        }
        return new Empty();
    }

    private IMessage Pause(PauseRequest request)
    {
        var container = Get(request.Id);
        lock (container.Gate)
        {
            if (container.Init.Status != Status.Running)
                throw TtrpcException.FailedPrecondition($"container {container.Id} is not running");
            Freezing(() => CgroupFreezer.Freeze(container.Container));
        }
        Publish("/tasks/paused", new TaskPaused { ContainerId = container.Id });
        return new Empty();
    }

    private IMessage Resume(ResumeRequest request)
    {
        var container = Get(request.Id);
        lock (container.Gate)
            Freezing(() => CgroupFreezer.Thaw(container.Container));
        Publish("/tasks/resumed", new TaskResumed { ContainerId = container.Id });
        return new Empty();
    }

    private static void Freezing(Action change)
    {
        try
        {
            change();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or KeyNotFoundException)
        {
            throw new TtrpcException(StatusCode.Unknown, $"freezer: {e.Message}");
        }
    }

    private IMessage CloseIO(CloseIORequest request)
    {
        var process = GetProcess(Get(request.Id), request.ExecId);
        if (request.Stdin)
            process.Io.CloseStdin();
        return new Empty();
    }

    /// <summary>Sets the pty's window size; a process without a terminal ignores it, as with the runc shim.</summary>
    private IMessage ResizePty(ResizePtyRequest request)
    {
        var process = GetProcess(Get(request.Id), request.ExecId);
        if (process.Io.Paths.Terminal)
            process.Io.Resize(request.Width, request.Height);
        return new Empty();
    }

    /// <summary>Changing a running container's resources is the runtime's `update`, which the cgroups work (issue 4) brings.</summary>
    private IMessage Update(UpdateTaskRequest request)
    {
        Get(request.Id);
        throw new TtrpcException(StatusCode.Unimplemented, "updating resources is not supported by runcs yet");
    }

    private IMessage Checkpoint(CheckpointTaskRequest request)
    {
        Get(request.Id);
        throw new TtrpcException(StatusCode.Unimplemented, "checkpoint is not supported by runcs");
    }
}
