using Runcs.Integration.Tests.Support;

namespace Runcs.Integration.Tests.Shim;

/// <summary>What outlives what: the shim outlives containerd; a dead shim's container is cleaned up by `shim delete`.</summary>
[NonParallelizable]
public class RecoveryTests : ShimTest
{
    [Test]
    public void A_restarted_containerd_reconnects_to_the_running_shim()
    {
        var id = NewId();
        RunDetached(id, "sleep", "1000");
        var before = Task(id)!.Value;
        before.Status.Should().Be("RUNNING");

        Containerd.Kill();
        Containerd.Launch();

        Task(id).Should().Be((before.Pid, "RUNNING"), "containerd finds the shim again through BUNDLE/address");
        Containerd.CtrOk("task", "kill", "--signal", "SIGKILL", id);
        WaitForStatus(id, "STOPPED"); // the exit event reaches the new containerd
        Containerd.CtrOk("task", "delete", id);
        Containerd.CtrOk("container", "rm", id);
    }

    [Test]
    public void A_crashed_shims_container_is_cleaned_up_by_delete()
    {
        var id = NewId();
        RunDetached(id, "sleep", "1000");
        var pid = Task(id)!.Value.Pid;
        var shim = ContainerdLeaks.Shims(Containerd.Namespace).Single(p => CommandLine(p).Contains($"-id {id} "));

        ProcessRunner.Run("kill", ["-9", shim.ToString()]);

        // containerd sees the connection drop and runs `containerd-shim-runcs-v2 delete`.
        var deadline = DateTime.UtcNow.AddSeconds(15);
        while (Directory.Exists($"/proc/{pid}") && DateTime.UtcNow < deadline)
            Thread.Sleep(50);
        Directory.Exists($"/proc/{pid}").Should().BeFalse("the container's process dies with its shim's cleanup");
        Containerd.Ctr("task", "delete", id);
        Containerd.CtrOk("container", "rm", id);
        RemoveCtrFifos(id);
        File.ReadAllText(Containerd.Log).Should().Contain("cleaning up dead shim");
    }

    private static string CommandLine(int pid) => File.ReadAllText($"/proc/{pid}/cmdline").Replace('\0', ' ');
}
