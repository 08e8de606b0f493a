using Google.Protobuf;
using Runcs.Runtime;
using Runcs.Runtime.Container;
using Runcs.Runtime.State;
using Runcs.Shim.Events;
using Runcs.Shim.Reaping;
using Runcs.Shim.Ttrpc;

namespace Runcs.Shim.Service;

/// <summary>
/// containerd's task API v2 ("containerd.task.v2.Task") over the runtime
/// library, in-process: every method of shim.proto. One shim may serve
/// several containers (a pod). The methods live in partial files by kind:
/// lifecycle (create, start, delete, exits), exec, control (kill, pause,
/// resume, io, update) and queries (state, pids, wait, stats, connect,
/// shutdown).
/// </summary>
public sealed partial class TaskService
{
    public const string ServiceName = "containerd.task.v2.Task";

    private readonly Lock gate = new();
    private readonly Dictionary<string, ShimContainer> containers = [];
    private readonly RuntimeContext runtime;
    private readonly Reaper reaper;
    private readonly IEventSink events;
    private readonly string ns;
    private readonly Action shutdown;
    private readonly OomWatcher oom;

    /// <param name="shutdown">Called when containerd asks the shim to exit and nothing is left to serve.</param>
    public TaskService(RuntimeContext runtime, Reaper reaper, IEventSink events, string ns, Action shutdown)
    {
        this.runtime = runtime;
        this.reaper = reaper;
        this.events = events;
        this.ns = ns;
        this.shutdown = shutdown;
        oom = new OomWatcher(id => Publish("/tasks/oom", new Api.TaskOOM { ContainerId = id }));
    }

    /// <summary>How many containers this shim still serves.</summary>
    public int Count
    {
        get
        {
            lock (gate)
                return containers.Count;
        }
    }

    private ShimContainer Get(string id)
    {
        lock (gate)
            return containers.GetValueOrDefault(id) ?? throw TtrpcException.NotFound($"container {id}: not found");
    }

    private ShimProcess GetProcess(ShimContainer container, string execId) =>
        container.Find(execId) ?? throw TtrpcException.NotFound($"process {execId} of container {container.Id}: not found");

    /// <summary>Runs a library call and gives its failure the status code containerd expects (runc's words decide, as in the runc shim).</summary>
    private static T Library<T>(Func<T> call)
    {
        try
        {
            return call();
        }
        catch (ContainerNotFoundException e)
        {
            throw TtrpcException.NotFound(e.Message);
        }
        catch (RuntimeException e) when (e.Message.Contains("already exists", StringComparison.Ordinal))
        {
            throw new TtrpcException(StatusCode.AlreadyExists, e.Message);
        }
        catch (RuntimeException e) when (e.Message.Contains("not running", StringComparison.Ordinal))
        {
            throw TtrpcException.NotFound($"process already finished: {e.Message}");
        }
        catch (RuntimeException e)
        {
            throw new TtrpcException(StatusCode.Unknown, e.Message);
        }
    }

    private static void Library(Action call) => Library(() =>
    {
        call();
        return 0;
    });

    private void Publish(string topic, IMessage message) => events.Publish(topic, message);

    /// <summary>Every method, by the name containerd calls it.</summary>
    public MethodTable Methods()
    {
        var table = new MethodTable();
        table.Add(ServiceName, "Create", Api.CreateTaskRequest.Parser, Create);
        table.Add(ServiceName, "Start", Api.StartRequest.Parser, Start);
        table.Add(ServiceName, "Delete", Api.DeleteRequest.Parser, Delete);
        table.Add(ServiceName, "Exec", Api.ExecProcessRequest.Parser, Exec);
        table.Add(ServiceName, "State", Api.StateRequest.Parser, State);
        table.Add(ServiceName, "Pids", Api.PidsRequest.Parser, Pids);
        table.Add(ServiceName, "Pause", Api.PauseRequest.Parser, Pause);
        table.Add(ServiceName, "Resume", Api.ResumeRequest.Parser, Resume);
        table.Add(ServiceName, "Kill", Api.KillRequest.Parser, Kill);
        table.Add(ServiceName, "CloseIO", Api.CloseIORequest.Parser, CloseIO);
        table.Add(ServiceName, "ResizePty", Api.ResizePtyRequest.Parser, ResizePty);
        table.Add(ServiceName, "Wait", Api.WaitRequest.Parser, Wait);
        table.Add(ServiceName, "Stats", Api.StatsRequest.Parser, Stats);
        table.Add(ServiceName, "Update", Api.UpdateTaskRequest.Parser, Update);
        table.Add(ServiceName, "Checkpoint", Api.CheckpointTaskRequest.Parser, Checkpoint);
        table.Add(ServiceName, "Connect", Api.ConnectRequest.Parser, Connect);
        table.Add(ServiceName, "Shutdown", Api.ShutdownRequest.Parser, Shutdown);
        return table;
    }
}
