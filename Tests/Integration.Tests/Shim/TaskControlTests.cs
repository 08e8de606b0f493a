using Runcs.Runtime.Cgroups;

namespace Runcs.Integration.Tests.Shim;

/// <summary>A detached task controlled with `ctr task`: ps, pause, resume, metrics, kill, delete.</summary>
public class TaskControlTests : ShimTest
{
    [Test]
    public void Pause_freezes_the_container_and_resume_thaws_it()
    {
        var id = NewId();
        using var events = new EventLog(Containerd);
        RunDetached(id, "sleep", "1000");
        WaitForStatus(id, "RUNNING");
        Containerd.CtrOk("task", "pause", id);
        Task(id)!.Value.Status.Should().Be("PAUSED");
        FreezerState(id).Should().BeOneOf("FROZEN", "1");
        Containerd.CtrOk("task", "resume", id);
        Task(id)!.Value.Status.Should().Be("RUNNING");
        FreezerState(id).Should().BeOneOf("THAWED", "0");
        Remove(id);
        events.TaskTopics(id).Should().Equal("/tasks/create", "/tasks/start", "/tasks/paused", "/tasks/resumed", "/tasks/exit", "/tasks/delete");
    }

    [Test]
    public void Ps_lists_the_containers_processes()
    {
        var id = NewId();
        RunDetached(id, "sh", "-c", "sleep 1000 & sleep 1000; true"); // "; true": sh does not exec the last command
        var pid = Task(id)!.Value.Pid;
        var deadline = DateTime.UtcNow.AddSeconds(5);
        List<int> pids;
        do
            pids = Containerd.CtrOk("task", "ps", id).Stdout.Split('\n').Skip(1)
                .Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries).FirstOrDefault())
                .Where(p => p is not null).Select(p => int.Parse(p!)).ToList();
        while (pids.Count < 3 && DateTime.UtcNow < deadline);
        pids.Should().Contain(pid).And.HaveCount(3, "sh and its two sleeps");
        Remove(id);
    }

    [Test]
    public void Metrics_come_from_the_containers_cgroup()
    {
        var id = NewId();
        RunDetached(id, "sleep", "1000");
        var metrics = Containerd.CtrOk("task", "metrics", id).Stdout;
        var layout = CgroupLayout.Detect();
        if (layout.Mode == CgroupMode.V2)
            metrics.Should().Contain("pids.current").And.Contain("memory.usage_in_bytes");
        else
            metrics.Should().MatchRegex(@"pids\.current\s+1\b").And.Contain("memory.usage_in_bytes").And.Contain("cpuacct.usage");
        Remove(id);
    }

    [Test]
    public void Kill_sends_the_signal_and_the_exit_status_comes_back()
    {
        var id = NewId();
        RunDetached(id, "sh", "-c", "trap 'exit 42' TERM; while true; do sleep 0.1; done");
        WaitForStatus(id, "RUNNING");
        Thread.Sleep(200); // the trap is set
        Containerd.CtrOk("task", "kill", "--signal", "SIGTERM", id);
        WaitForStatus(id, "STOPPED");
        var deleted = Containerd.CtrOk("task", "delete", id);
        Containerd.CtrOk("container", "rm", id);
        (deleted.Stdout + deleted.Stderr).Should().NotContain("error");
    }

    [Test]
    public void Kill_of_a_stopped_task_says_not_found()
    {
        var id = NewId();
        RunDetached(id, "true");
        WaitForStatus(id, "STOPPED");
        var kill = Containerd.Ctr("task", "kill", id);
        kill.ExitCode.Should().NotBe(0);
        kill.Stderr.Should().Contain("not found");
        Remove(id);
    }

    /// <summary>The freezer's view of the container's cgroup (ctr puts it at /NAMESPACE/ID).</summary>
    private static string FreezerState(string id)
    {
        var layout = CgroupLayout.Detect();
        if (layout.Mode == CgroupMode.V2)
        {
            var v2 = layout.Unified!.MountPoint;
            return File.ReadAllText(Path.Combine(v2, Containerd.Namespace, id, "cgroup.freeze")).Trim();
        }
        var freezer = layout.Hierarchies.First(h => h.Has("freezer")).MountPoint;
        return File.ReadAllText(Path.Combine(freezer, Containerd.Namespace, id, "freezer.state")).Trim();
    }
}
