using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Runcs.Runtime;
using Runcs.Runtime.Cgroups;
using Runcs.Shim.Api;
using Runcs.Shim.Stats;
using Runcs.Shim.Ttrpc;
using Empty = Google.Protobuf.WellKnownTypes.Empty;

namespace Runcs.Shim.Service;

public sealed partial class TaskService
{
    private IMessage State(StateRequest request)
    {
        var container = Get(request.Id);
        var process = GetProcess(container, request.ExecId);
        var status = process.Status;
        if (status == Status.Running && request.ExecId.Length == 0
            && container.Container.Cgroups.IsFrozen())
            status = Status.Paused;
        var paths = process.Io.Paths;
        var response = new StateResponse
        {
            Id = request.ExecId.Length > 0 ? request.ExecId : container.Id,
            Bundle = container.Bundle,
            Pid = (uint)process.Pid,
            Status = status,
            Stdin = paths.Stdin,
            Stdout = paths.Stdout,
            Stderr = paths.Stderr,
            Terminal = paths.Terminal,
            ExecId = request.ExecId,
        };
        if (process.Exit is { } exit)
        {
            response.ExitStatus = exit.ExitCode;
            response.ExitedAt = Timestamp.FromDateTime(exit.At);
        }
        return response;
    }

    /// <summary>Every process in the container's cgroup; exec'd ones carry their exec id (ctr task ps shows it).</summary>
    private IMessage Pids(PidsRequest request)
    {
        var container = Get(request.Id);
        Dictionary<int, string> execs;
        lock (container.Gate)
            execs = container.Execs.Values.Where(p => p.Exit is null && p.Pid > 0).ToDictionary(p => p.Pid, p => p.ExecId);
        var response = new PidsResponse();
        IReadOnlyList<int> pids;
        try
        {
            pids = container.Container.Cgroups.Pids();
        }
        catch (Exception e) when (e is IOException or RuntimeException)
        {
            throw new TtrpcException(StatusCode.Unknown, $"list the processes of {container.Id}: {e.Message}");
        }
        foreach (var pid in pids)
        {
            var info = new ProcessInfo { Pid = (uint)pid };
            if (execs.TryGetValue(pid, out var execId))
                info.Info = new Any { TypeUrl = "containerd.runc.v1.ProcessDetails", Value = new ProcessDetails { ExecId = execId }.ToByteString() };
            response.Processes.Add(info);
        }
        return response;
    }

    /// <summary>Blocks (without holding a thread) until the process exits; other calls go on meanwhile.</summary>
    private async Task<IMessage> Wait(WaitRequest request, CancellationToken cancel)
    {
        var process = GetProcess(Get(request.Id), request.ExecId);
        var exit = await process.Exited.WaitAsync(cancel);
        return new WaitResponse { ExitStatus = exit.ExitCode, ExitedAt = Timestamp.FromDateTime(exit.At) };
    }

    private IMessage Stats(StatsRequest request)
    {
        var record = Get(request.Id).Container.Record;
        return new StatsResponse { Stats = CgroupMetrics.Read(record.CgroupMode, record.CgroupPaths) };
    }

    private IMessage Connect(ConnectRequest request)
    {
        var container = Get(request.Id);
        return new ConnectResponse { ShimPid = (uint)Environment.ProcessId, TaskPid = (uint)container.Init.Pid, Version = Runtime.RuntimeInfo.Version };
    }

    /// <summary>containerd asks after its last delete; a shim that still serves a container (a pod's) stays.</summary>
    private IMessage Shutdown(ShutdownRequest request)
    {
        int count = Count;
        Logging.ShimLog.Debug($"shutdown requested; {count} container(s) still served");
        if (count == 0)
            shutdown();
        return new Empty();
    }
}
