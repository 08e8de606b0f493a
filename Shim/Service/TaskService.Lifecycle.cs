using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Runcs.Runtime;
using Runcs.Runtime.Container;
using Runcs.Runtime.Native;
using Runcs.Runtime.State;
using Runcs.Shim.Api;
using Runcs.Shim.Io;
using Runcs.Shim.Logging;
using Runcs.Shim.Reaping;
using Runcs.Shim.Rootfs;
using Runcs.Shim.Ttrpc;

namespace Runcs.Shim.Service;

public sealed partial class TaskService
{
    private readonly HashSet<string> creating = [];

    /// <summary>
    /// Mounts the rootfs containerd prepared, opens the stdio, and creates the
    /// container through the runtime library; its init waits for Start.
    /// </summary>
    private IMessage Create(CreateTaskRequest request)
    {
        if (request.Checkpoint.Length > 0)
            throw new TtrpcException(StatusCode.Unimplemented, "restoring from a checkpoint is not supported by runcs");
        lock (gate)
        {
            if (containers.ContainsKey(request.Id) || !creating.Add(request.Id))
                throw new TtrpcException(StatusCode.AlreadyExists, $"container {request.Id}: already exists");
        }
        bool mounted = false;
        ProcessIo? io = null;
        try
        {
            if (request.Rootfs.Count > 0)
            {
                RootfsMounts.Mount(request.Rootfs, request.Bundle);
                mounted = true;
            }
            io = ProcessIo.Open(new StdioPaths(request.Stdin, request.Stdout, request.Stderr, request.Terminal), request.Id, ns);
            var created = Library(() => Container.Create(runtime, new CreateOptions
            {
                Id = request.Id,
                Bundle = request.Bundle,
                Stdio = io.ChildStdio,
                ConsoleSocketFd = io.ConsoleSocketFd,
            }));
            var init = new ShimProcess(request.Id, "", io) { Pid = created.Container.Record.Pid };
            var container = new ShimContainer(created.Container, request.Bundle, init, mounted) { InitSession = created.Session };
            try
            {
                io.ProcessStarted();
            }
            catch (IOException e)
            {
                created.Dispose();
                DeleteQuietly(created.Container);
                throw new TtrpcException(StatusCode.Unknown, e.Message);
            }
            lock (gate)
                containers[request.Id] = container;
            WatchExit(container, init);
            oom.Add(container.Id, created.Container.Cgroups);
            var taskCreate = new TaskCreate
            {
                ContainerId = request.Id,
                Bundle = request.Bundle,
                Io = new TaskIO { Stdin = request.Stdin, Stdout = request.Stdout, Stderr = request.Stderr, Terminal = request.Terminal },
                Checkpoint = request.Checkpoint,
                Pid = (uint)init.Pid,
            };
            taskCreate.Rootfs.Add(request.Rootfs);
            Publish("/tasks/create", taskCreate);
            return new CreateTaskResponse { Pid = (uint)init.Pid };
        }
        catch (Exception e)
        {
            io?.Dispose();
            if (mounted)
                RootfsMounts.Unmount(request.Bundle);
            if (e is IOException or ArgumentException)
                throw new TtrpcException(StatusCode.Unknown, e.Message);
            throw;
        }
        finally
        {
            lock (gate)
                creating.Remove(request.Id);
        }
    }

    private IMessage Start(StartRequest request)
    {
        var container = Get(request.Id);
        if (request.ExecId.Length > 0)
            return StartExec(container, GetProcess(container, request.ExecId));
        var init = container.Init;
        lock (container.Gate)
        {
            if (init.Started)
                throw TtrpcException.FailedPrecondition($"container {container.Id}: already started");
            try
            {
                Library(() =>
                {
                    using (runtime.Store.Lock(container.Id))
                        container.Container.Start();
                });
                init.Started = true;
                // The init now runs startContainer hooks and execs: a failure arrives on its channel, success closes it.
                container.InitSession?.Run(_ => null);
            }
            catch (PlanFailedException e)
            {
                throw new TtrpcException(StatusCode.Unknown, "unable to start container process: " + e.Message);
            }
            finally
            {
                container.InitSession?.Dispose();
                container.InitSession = null;
            }
            Publish("/tasks/start", new TaskStart { ContainerId = container.Id, Pid = (uint)init.Pid });
            return new StartResponse { Pid = (uint)init.Pid };
        }
    }

    /// <summary>
    /// Deletes an exited exec, or the container once its init has exited (or
    /// never started): the library removes cgroups and state, the shim its
    /// rootfs mounts and stdio.
    /// </summary>
    private IMessage Delete(DeleteRequest request)
    {
        var container = Get(request.Id);
        if (request.ExecId.Length > 0)
            return DeleteExec(container, GetProcess(container, request.ExecId));
        var init = container.Init;
        if (init.Started && init.Exit is null)
            throw TtrpcException.FailedPrecondition($"cannot delete container {container.Id}: its process is running");
        oom.Remove(container.Id);
        lock (container.Gate)
        {
            try
            {
                Library(() =>
                {
                    using (runtime.Store.Lock(container.Id))
                        container.Container.Delete(force: true);
                });
            }
            catch (TtrpcException e) when (e.Code == StatusCode.NotFound)
            {
                // Already gone from the state root: nothing left for the library to remove.
            }
            container.InitSession?.Dispose();
            container.InitSession = null;
        }
        // A created init dies in Delete; its exit is reaped shortly after.
        init.Exited.Wait(TimeSpan.FromSeconds(10));
        ReleaseIo(init);
        List<ShimProcess> execs;
        lock (container.Gate)
            execs = [.. container.Execs.Values];
        foreach (var exec in execs)
            ReleaseIo(exec);
        if (container.MountedRootfs)
            RootfsMounts.Unmount(container.Bundle);
        lock (gate)
            containers.Remove(container.Id);
        var exit = init.Exit;
        Publish("/tasks/delete", new TaskDelete
        {
            ContainerId = container.Id,
            Pid = (uint)init.Pid,
            ExitStatus = exit?.ExitCode ?? 0,
            ExitedAt = Timestamp.FromDateTime(exit?.At ?? DateTime.UtcNow),
        });
        return DeleteResponseOf(init);
    }

    private static DeleteResponse DeleteResponseOf(ShimProcess process) => new()
    {
        Pid = (uint)process.Pid,
        ExitStatus = process.Exit?.ExitCode ?? 0,
        ExitedAt = Timestamp.FromDateTime(process.Exit?.At ?? DateTime.UtcNow),
    };

    /// <summary>Gives the copiers a moment to pass on the last output (as the runc shim does), then closes everything.</summary>
    private static void ReleaseIo(ShimProcess process)
    {
        process.Io.WaitForOutput(TimeSpan.FromSeconds(2));
        process.Io.Dispose();
    }

    private void DeleteQuietly(Container container)
    {
        try
        {
            using (runtime.Store.Lock(container.Id))
                container.Delete(force: true);
        }
        catch (RuntimeException e)
        {
            ShimLog.Warn($"delete {container.Id} after a failed create: {e.Message}");
        }
    }

    /// <summary>When the reaper reports the process's exit: record it and publish TaskExit (after any start still in progress).</summary>
    private void WatchExit(ShimContainer container, ShimProcess process) =>
        reaper.ExitOf(process.Pid).ContinueWith(t => OnExit(container, process, t.Result), TaskScheduler.Default);

    private void OnExit(ShimContainer container, ShimProcess process, ChildExit exit)
    {
        lock (container.Gate)
        {
            process.SetExited(exit);
            if (process == container.Init && !HasOwnPidNamespace(container))
                KillRemaining(container);
            Publish("/tasks/exit", new TaskExit
            {
                ContainerId = container.Id,
                Id = process.ExecId.Length > 0 ? process.ExecId : container.Id,
                Pid = (uint)exit.Pid,
                ExitStatus = exit.ExitCode,
                ExitedAt = Timestamp.FromDateTime(exit.At),
            });
        }
    }

    private static bool HasOwnPidNamespace(ShimContainer container) =>
        container.Container.Config.Linux?.Namespaces?.Any(n => n.Type == "pid" && string.IsNullOrEmpty(n.Path)) == true;

    /// <summary>Without its own pid namespace a container's other processes outlive its init; the runc shim kills them then.</summary>
    private static void KillRemaining(ShimContainer container)
    {
        // The library's kill --all does nothing once the init is gone: signal the cgroup's processes directly.
        try
        {
            foreach (var pid in container.Container.Cgroups.Pids())
                Tmds.Linux.LibC.kill(pid, Tmds.Linux.LibC.SIGKILL);
        }
        catch (Exception e) when (e is IOException or RuntimeException)
        {
            ShimLog.Warn($"kill the remaining processes of {container.Id}: {e.Message}");
        }
    }
}
