using Runcs.Integration.Tests.Support;

namespace Runcs.Integration.Tests.Shim;

/// <summary>`ctr task exec` through the shim: output, exit codes, stdin, a terminal, failures, ps.</summary>
public class ShimExecTests : ShimTest
{
    [Test]
    public void Exec_runs_in_the_container_and_its_exit_code_comes_back()
    {
        var id = NewId();
        RunDetached(id, "sh", "-c", "echo $$ > /tmp/init; exec sleep 1000");
        const string sameAsInit = "for ns in mnt uts ipc net pid; do [ $(readlink /proc/self/ns/$ns) = $(readlink /proc/1/ns/$ns) ] && echo $ns; done";
        var exec = Containerd.Ctr("task", "exec", "--exec-id", "e1", id, "sh", "-c", $"cat /tmp/init; {sameAsInit}; exit 5");
        exec.ExitCode.Should().Be(5, exec.ToString());
        exec.Stdout.Should().Be("1\nmnt\nuts\nipc\nnet\npid\n", "the exec sees the container's files and is in its namespaces");
        Remove(id);
    }

    [Test]
    public void Exec_stdin_reaches_the_process()
    {
        var id = NewId();
        RunDetached(id, "sleep", "1000");
        var exec = Containerd.CtrWith("one\ntwo\n", "task", "exec", "--exec-id", "in", id, "sh", "-c", "cat; echo end");
        exec.ExitCode.Should().Be(0, exec.ToString());
        exec.Stdout.Should().Be("one\ntwo\nend\n");
        Remove(id);
    }

    [Test]
    public void Exec_with_a_terminal_runs_on_a_pty()
    {
        var id = NewId();
        RunDetached(id, "sleep", "1000");
        var ctr = $"ctr --address {Containerd.Socket} --namespace {Containerd.Namespace} task exec --tty --exec-id tty {id} sh -c 'tty; exit 4'";
        var result = ProcessRunner.Run("script", ["-qec", ctr, "/dev/null"]);
        result.Stdout.Should().MatchRegex(@"/dev/pts/\d+");
        result.ExitCode.Should().Be(4, result.ToString());
        Remove(id);
    }

    [Test]
    public void An_exec_that_cannot_start_fails_with_runcs_error_and_the_container_goes_on()
    {
        var id = NewId();
        RunDetached(id, "sleep", "1000");
        var exec = Containerd.Ctr("task", "exec", "--exec-id", "bad", id, "no-such-binary");
        exec.ExitCode.Should().NotBe(0);
        exec.Stderr.Should().Contain("executable file not found in $PATH");
        Containerd.CtrOk("task", "exec", "--exec-id", "good", id, "true");
        Task(id)!.Value.Status.Should().Be("RUNNING");
        Remove(id);
    }

    [Test]
    public void Ps_names_a_running_execs_id()
    {
        var id = NewId();
        RunDetached(id, "sleep", "1000");
        Containerd.CtrOk("task", "exec", "--detach", "--exec-id", "worker", id, "sleep", "1000");
        var deadline = DateTime.UtcNow.AddSeconds(5);
        string ps;
        while (!(ps = Containerd.CtrOk("task", "ps", id).Stdout).Contains("worker") && DateTime.UtcNow < deadline)
            Thread.Sleep(50);
        ps.Should().Contain("worker");
        Remove(id);
        RemoveCtrFifos("worker"); // a detached exec's fifos (named by exec id) are ctr's to remove, and it has gone
    }

    [Test]
    public void Exec_events_and_an_oom_kill_reach_containerd()
    {
        var id = NewId();
        using var events = new EventLog(Containerd);
        Containerd.CtrOk("run", "-d", "--runtime", PrivateContainerd.Runtime, "--memory-limit", (16 << 20).ToString(), PrivateContainerd.Image, id, "sleep", "1000");
        var hog = Containerd.Ctr("task", "exec", "--exec-id", "hog", id, "sh", "-c", "x=$(head -c 50000000 /dev/zero | tr '\\0' a); echo survived");
        hog.ExitCode.Should().Be(128 + 9, hog.ToString());
        Remove(id);
        var topics = events.TaskTopics(id);
        topics.Should().StartWith(["/tasks/create", "/tasks/start", "/tasks/exec-added", "/tasks/exec-started"]);
        topics.Should().Contain("/tasks/oom");
        topics.IndexOf("/tasks/oom").Should().BeLessThan(topics.IndexOf("/tasks/exit"));
        topics.Should().EndWith("/tasks/delete");
    }
}
