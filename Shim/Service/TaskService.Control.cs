using System.Text.Json;
using Google.Protobuf;
using Runcs.Runtime.Native;
using Runcs.Shim.Api;
using Runcs.Shim.Ttrpc;
using Runcs.Spec;
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
            Library(container.Container.Pause);
        Publish("/tasks/paused", new TaskPaused { ContainerId = container.Id });
        return new Empty();
    }

    private IMessage Resume(ResumeRequest request)
    {
        var container = Get(request.Id);
        lock (container.Gate)
            Library(container.Container.Resume);
        Publish("/tasks/resumed", new TaskResumed { ContainerId = container.Id });
        return new Empty();
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

    /// <summary>
    /// Changes the container's limits through the library's update: containerd
    /// sends the OCI LinuxResources as JSON in the Any, as for runc's `update -r`.
    /// </summary>
    private IMessage Update(UpdateTaskRequest request)
    {
        var container = Get(request.Id);
        if (request.Resources is null || request.Resources.Value.IsEmpty)
            throw TtrpcException.InvalidArgument("update needs the resources to change");
        LinuxResources resources;
        try
        {
            resources = JsonSerializer.Deserialize(request.Resources.Value.Span, SpecJsonContext.Default.LinuxResources)
                ?? throw TtrpcException.InvalidArgument("update: the resources are empty");
        }
        catch (JsonException e)
        {
            throw TtrpcException.InvalidArgument($"update: the resources: {e.Message}");
        }
        lock (container.Gate)
        {
            Library(() =>
            {
                using (runtime.Store.Lock(container.Id))
                    container.Container.Update(resources);
            });
        }
        return new Empty();
    }

    private IMessage Checkpoint(CheckpointTaskRequest request)
    {
        Get(request.Id);
        throw new TtrpcException(StatusCode.Unimplemented, "checkpoint is not supported by runcs");
    }
}
