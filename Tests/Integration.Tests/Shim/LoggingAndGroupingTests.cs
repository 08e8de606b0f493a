using Runcs.Integration.Tests.Support;

namespace Runcs.Integration.Tests.Shim;

/// <summary>Log URIs instead of fifos, and one shim for the containers of a pod.</summary>
public class LoggingAndGroupingTests : ShimTest
{
    [Test]
    public void A_file_log_uri_gets_stdout_and_stderr()
    {
        var id = NewId();
        var log = Path.Combine(TestRootfs.RunDirectory, id + ".log");
        var result = RunWith(null, ["--log-uri", "file://" + log], id, "sh", "-c", "echo out; echo err >&2");
        result.ExitCode.Should().Be(0, result.ToString());
        File.ReadAllLines(log).Should().BeEquivalentTo(["out", "err"]);
    }

    [Test]
    public void A_binary_log_uri_starts_the_logger_with_the_streams_on_3_and_4()
    {
        var id = NewId();
        var dir = Path.Combine(TestRootfs.RunDirectory, id + "-logger");
        Directory.CreateDirectory(dir);
        var logger = Path.Combine(dir, "logger.sh");
        // containerd's contract: stdout on 3, stderr on 4, close 5 when ready; the URI's query are arguments.
        File.WriteAllText(logger, "#!/bin/sh\nexec 5>&-\necho \"$CONTAINER_NAMESPACE $CONTAINER_ID $*\" > \"$(dirname \"$0\")/env\"\ncat <&3 > \"$(dirname \"$0\")/out\" &\ncat <&4 > \"$(dirname \"$0\")/err\"\nwait\n");
        File.SetUnixFileMode(logger, (UnixFileMode)0x1ed);
        var result = RunWith(null, ["--log-uri", $"binary://{logger}?tag=x"], id, "sh", "-c", "echo out; echo err >&2");
        result.ExitCode.Should().Be(0, result.ToString());
        var deadline = DateTime.UtcNow.AddSeconds(5);
        while (!(File.Exists(Path.Combine(dir, "err")) && File.ReadAllText(Path.Combine(dir, "err")) == "err\n") && DateTime.UtcNow < deadline)
            Thread.Sleep(20);
        File.ReadAllText(Path.Combine(dir, "out")).Should().Be("out\n");
        File.ReadAllText(Path.Combine(dir, "err")).Should().Be("err\n");
        File.ReadAllText(Path.Combine(dir, "env")).Should().Be($"{Containerd.Namespace} {id} tag x\n");
    }

    [Test]
    public void Containers_of_one_pod_share_a_shim_that_exits_with_the_last_of_them()
    {
        var sandbox = NewId("pod");
        var (first, second) = (NewId(), NewId());
        foreach (var id in new[] { first, second })
            Containerd.CtrOk("run", "-d", "--runtime", PrivateContainerd.Runtime, "--annotation", $"io.kubernetes.cri.sandbox-id={sandbox}",
                PrivateContainerd.Image, id, "sleep", "1000");
        ContainerdLeaks.Shims(Containerd.Namespace).Should().HaveCount(1, "the second container joins the first one's shim");
        File.ReadAllText(Path.Combine(Containerd.BundleOf(second), "address"))
            .Should().Be(File.ReadAllText(Path.Combine(Containerd.BundleOf(first), "address")));

        Remove(first);
        Thread.Sleep(300);
        ContainerdLeaks.Shims(Containerd.Namespace).Should().HaveCount(1, "the shim still serves the second container");
        Task(second)!.Value.Status.Should().Be("RUNNING");
        Remove(second);
    }
}
