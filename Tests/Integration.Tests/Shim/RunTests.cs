using System.Text;
using Runcs.Integration.Tests.Support;

namespace Runcs.Integration.Tests.Shim;

/// <summary>`ctr run` through the shim: output, exit codes, signals, stdin, a terminal, events.</summary>
public class RunTests : ShimTest
{
    [Test]
    public void Ctr_run_prints_hello()
    {
        var result = Run(NewId(), "echo", "hello");
        result.ExitCode.Should().Be(0, result.ToString());
        result.Stdout.Should().Be("hello\n");
    }

    /// <summary>
    /// containerd also takes a shim by absolute path; `start` must leave a daemon in its own
    /// session that holds none of the stdio of whoever started it (containerd's, here): stdin and
    /// stdout are /dev/null, stderr the bundle's log fifo, which containerd reads.
    /// </summary>
    [Test]
    public void The_shim_runs_by_absolute_path_in_its_own_session_with_no_inherited_stdio()
    {
        var id = NewId();
        Containerd.CtrOk(["run", "-d", "--runtime", Paths.Shim, PrivateContainerd.Image, id, "sleep", "1000"]);
        try
        {
            var shim = ContainerdLeaks.Shims(Containerd.Namespace).Should().ContainSingle().Subject;
            var stat = File.ReadAllText($"/proc/{shim}/stat");
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            int.Parse(fields[3]).Should().Be(shim, "the shim leads a session of its own");
            for (int fd = 0; fd <= 1; fd++)
                new FileInfo($"/proc/{shim}/fd/{fd}").LinkTarget.Should().Be("/dev/null", $"fd {fd}");
            new FileInfo($"/proc/{shim}/fd/2").LinkTarget.Should().EndWith($"/{id}/log", "stderr is the log fifo containerd made in the bundle");
        }
        finally
        {
            Remove(id);
        }
    }

    [Test]
    public void The_exit_code_comes_back_through_ctr()
    {
        Run(NewId(), "sh", "-c", "exit 7").ExitCode.Should().Be(7);
    }

    [Test]
    public void A_process_killed_by_a_signal_exits_128_plus_the_signal()
    {
        // A container's pid 1 ignores signals it has no handler for, even SIGKILL from inside: kill it from outside.
        var id = NewId();
        var run = System.Threading.Tasks.Task.Run(() => Run(id, "sleep", "1000"));
        WaitForStatus(id, "RUNNING");
        Containerd.CtrOk("task", "kill", "--signal", "SIGKILL", id);
        run.Wait(TimeSpan.FromSeconds(30)).Should().BeTrue();
        run.Result.ExitCode.Should().Be(128 + 9, run.Result.ToString());
    }

    [Test]
    public void A_command_that_does_not_exist_fails_the_create_with_runcs_error_and_leaves_nothing()
    {
        var result = Run(NewId(), "no-such-command");
        result.ExitCode.Should().NotBe(0);
        result.Stderr.Should().Contain("exec: \"no-such-command\": executable file not found in $PATH");
    }

    [Test]
    public void Stderr_arrives_apart_from_stdout()
    {
        var result = Run(NewId(), "sh", "-c", "echo out; echo err >&2");
        result.Stdout.Should().Be("out\n");
        result.Stderr.Should().Be("err\n");
    }

    [Test]
    public void Stdin_reaches_the_process_and_its_end_closes_the_processs_stdin()
    {
        var result = RunWith("line one\nline two\n", [], NewId(), "sh", "-c", "cat; echo done");
        result.ExitCode.Should().Be(0, result.ToString());
        result.Stdout.Should().Be("line one\nline two\ndone\n");
    }

    [Test]
    public void A_mebibyte_of_output_arrives_intact()
    {
        const string line = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ\n";
        var result = Run(NewId(), "sh", "-c", $"yes {line.TrimEnd()} | head -c 1048576");
        result.ExitCode.Should().Be(0, result.Stderr);
        var expected = new StringBuilder();
        while (expected.Length < 1 << 20)
            expected.Append(line);
        result.Stdout.Length.Should().Be(1 << 20);
        result.Stdout.Should().Be(expected.ToString(0, 1 << 20));
    }

    [Test]
    public void With_a_terminal_the_process_runs_on_a_pty_of_ctrs_size_and_its_exit_code_comes_back()
    {
        // ctr --tty needs a terminal of its own: script(1) gives it one, sized here; ctr passes the size on (ResizePty).
        var id = NewId();
        var ctr = $"stty rows 40 cols 100; ctr --address {Containerd.Socket} --namespace {Containerd.Namespace} run --rm --tty --runtime {PrivateContainerd.Runtime} {PrivateContainerd.Image} {id} sh -c 'tty; sleep 0.2; stty size; exit 3'";
        var result = ProcessRunner.Run("script", ["-qec", ctr, "/dev/null"]);
        result.Stdout.Should().Contain("/dev/pts/0").And.Contain("40 100");
        result.ExitCode.Should().Be(3, result.ToString());
    }

    [Test]
    public void Events_arrive_at_containerd_in_order()
    {
        var id = NewId();
        using var events = new EventLog(Containerd);
        Run(id, "true").ExitCode.Should().Be(0);
        events.TaskTopics(id).Should().Equal("/tasks/create", "/tasks/start", "/tasks/exit", "/tasks/delete");
    }
}
