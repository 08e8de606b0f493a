using Runcs.Integration.Tests.Support;

namespace Runcs.Integration.Tests.Shim;

/// <summary>
/// Base of the tests that run containers through containerd and the shim:
/// fresh ids, ctr shorthands, and a teardown that removes whatever a failed
/// test left and then fails the test if anything was left at all: a task,
/// a shim process, a mount, a cgroup, runtime state or a fifo.
/// </summary>
public abstract class ShimTest
{
    protected static PrivateContainerd Containerd => ContainerdFixture.Containerd;

    protected static string NewId(string prefix = "s") => $"{prefix}-{Guid.NewGuid():N}"[..(prefix.Length + 13)];

    /// <summary>ctr run --rm with our runtime: the process's output and ctr's exit code (the process's).</summary>
    protected static CommandResult Run(string id, params string[] command) => RunWith(null, [], id, command);

    protected static CommandResult RunWith(string? stdin, string[] flags, string id, params string[] command) =>
        Containerd.CtrWith(stdin, ["run", "--rm", "--runtime", PrivateContainerd.Runtime, .. flags, PrivateContainerd.Image, id, .. command]);

    /// <summary>ctr run -d: a task left running.</summary>
    protected static void RunDetached(string id, params string[] command) =>
        Containerd.CtrOk(["run", "-d", "--runtime", PrivateContainerd.Runtime, PrivateContainerd.Image, id, .. command]);

    /// <summary>The task's row in `ctr task ls`: (pid, status).</summary>
    protected static (int Pid, string Status)? Task(string id)
    {
        foreach (var line in Containerd.CtrOk("task", "ls").Stdout.Split('\n').Skip(1))
        {
            var cells = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (cells.Length == 3 && cells[0] == id)
                return (int.Parse(cells[1]), cells[2]);
        }
        return null;
    }

    protected static void WaitForStatus(string id, string status)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (Task(id)?.Status != status)
        {
            if (DateTime.UtcNow > deadline)
                Assert.Fail($"task {id} did not become {status}: {Task(id)}");
            Thread.Sleep(20);
        }
    }

    /// <summary>Kills, deletes and removes a task and its container.</summary>
    protected static void Remove(string id)
    {
        if (Task(id) is { Status: not "STOPPED" })
        {
            Containerd.Ctr("task", "kill", "--signal", "SIGKILL", id);
            WaitForStatus(id, "STOPPED");
        }
        Containerd.Ctr("task", "delete", id);
        Containerd.Ctr("container", "rm", id);
    }

    /// <summary>
    /// ctr's fifos for a task or exec are the client's to remove when it deletes it; where the client
    /// is gone (ctr task exec --detach) or has nothing to delete (the task went with its crashed
    /// shim), they stay, as with runc's shim.
    /// </summary>
    protected static void RemoveCtrFifos(string taskOrExecId)
    {
        foreach (var dir in ContainerdLeaks.Fifos().Where(d => Directory.Exists(d) && Directory.GetFiles(d, taskOrExecId + "-*").Length > 0))
            Directory.Delete(dir, recursive: true);
    }

    [TearDown]
    public void RemoveLeftoversAndCheckForLeaks()
    {
        var leftovers = Containerd.CtrOk("container", "ls", "-q").Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        foreach (var id in leftovers)
            Remove(id);
        // A shim exits right after containerd's Shutdown call, which may come a moment after ctr returns.
        var deadline = DateTime.UtcNow.AddSeconds(5);
        List<string> leaks;
        while ((leaks = ContainerdLeaks.Everything(Containerd).ToList()).Count > 0 && DateTime.UtcNow < deadline)
            Thread.Sleep(50);
        foreach (var pid in ContainerdLeaks.Shims(Containerd.Namespace))
            ProcessRunner.Run("kill", ["-9", pid.ToString()]); // so that the next test starts clean
        leftovers.Should().BeEmpty("a test removes the containers it made");
        leaks.Should().BeEmpty("nothing may be left behind");
    }
}
