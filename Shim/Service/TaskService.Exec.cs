using System.Text.Json;
using Google.Protobuf;
using Runcs.Runtime.Container;
using Runcs.Shim.Api;
using Runcs.Shim.Io;
using Runcs.Shim.Ttrpc;
using Runcs.Spec;
using Empty = Google.Protobuf.WellKnownTypes.Empty;

namespace Runcs.Shim.Service;

public sealed partial class TaskService
{
    /// <summary>
    /// Registers an exec: its process (OCI JSON in the request's Any, as
    /// containerd sends it) and its stdio. Nothing runs until Start, as with
    /// the runc shim.
    /// </summary>
    private IMessage Exec(ExecProcessRequest request)
    {
        var container = Get(request.Id);
        if (request.ExecId.Length == 0)
            throw TtrpcException.InvalidArgument("an exec needs an id");
        var spec = ParseProcess(request.Spec);
        spec.Terminal = request.Terminal;
        lock (container.Gate)
        {
            if (container.Execs.ContainsKey(request.ExecId))
                throw new TtrpcException(StatusCode.AlreadyExists, $"id {request.ExecId}: already exists");
            if (container.Init.Exit is not null)
                throw TtrpcException.FailedPrecondition($"container {container.Id} is not running");
            ProcessIo io;
            try
            {
                io = ProcessIo.Open(new StdioPaths(request.Stdin, request.Stdout, request.Stderr, request.Terminal), container.Id, ns);
            }
            catch (Exception e) when (e is IOException or ArgumentException)
            {
                throw new TtrpcException(StatusCode.Unknown, e.Message);
            }
            container.Execs[request.ExecId] = new ShimProcess(container.Id, request.ExecId, io) { ExecSpec = spec };
        }
        Publish("/tasks/exec-added", new TaskExecAdded { ContainerId = container.Id, ExecId = request.ExecId });
        return new Empty();
    }

    /// <summary>Runs the exec through the runtime library: it joins the container's namespaces and cgroups and execs.</summary>
    private IMessage StartExec(ShimContainer container, ShimProcess process)
    {
        lock (container.Gate)
        {
            if (process.Started)
                throw TtrpcException.FailedPrecondition($"exec {process.ExecId} already started");
            try
            {
                using var exec = Library(() => container.Container.Exec(new ExecOptions
                {
                    Process = process.ExecSpec!,
                    Stdio = process.Io.ChildStdio,
                    ConsoleSocketFd = process.Io.ConsoleSocketFd,
                }));
                process.Pid = exec.Pid;
            }
            catch (TtrpcException)
            {
                // It will never run: its Wait ends (255, as runc exec's failure) and the client's fifos
                // reach end of file, which the client waits for before it reports the error.
                process.SetExited(new Reaping.ChildExit(0, 255 << 8, DateTime.UtcNow));
                process.Io.Dispose();
                throw;
            }
            process.Started = true;
            WatchExit(container, process);
            try
            {
                process.Io.ProcessStarted();
            }
            catch (IOException e)
            {
                throw new TtrpcException(StatusCode.Unknown, e.Message);
            }
            Publish("/tasks/exec-started", new TaskExecStarted { ContainerId = container.Id, ExecId = process.ExecId, Pid = (uint)process.Pid });
            return new StartResponse { Pid = (uint)process.Pid };
        }
    }

    private IMessage DeleteExec(ShimContainer container, ShimProcess process)
    {
        if (process.Started && process.Exit is null)
            throw TtrpcException.FailedPrecondition($"cannot delete exec {process.ExecId}: its process is running");
        lock (container.Gate)
            container.Execs.Remove(process.ExecId);
        if (process.Exit is null)
            process.SetExited(new Reaping.ChildExit(0, 0, DateTime.UtcNow)); // a Wait on it must not outlive it
        ReleaseIo(process);
        return DeleteResponseOf(process);
    }

    private static Spec.Process ParseProcess(Google.Protobuf.WellKnownTypes.Any? any)
    {
        if (any is null || any.Value.IsEmpty)
            throw TtrpcException.InvalidArgument("an exec needs a process spec");
        try
        {
            return JsonSerializer.Deserialize(any.Value.Span, SpecJsonContext.Default.Process)
                ?? throw TtrpcException.InvalidArgument("the exec's process spec is empty");
        }
        catch (JsonException e)
        {
            throw TtrpcException.InvalidArgument($"the exec's process spec: {e.Message}");
        }
    }
}
