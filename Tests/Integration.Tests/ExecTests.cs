using System.Diagnostics;
using System.Net.Sockets;
using System.Text.Json;
using Runcs.Integration.Tests.Support;
using Runcs.Runtime.Console;
using Runcs.Spec;

namespace Runcs.Integration.Tests;

/// <summary>runcs exec and ps: entering a running container the way containerd, podman and docker do.</summary>
public class ExecTests : ContainerTest
{
    /// <summary>A running container whose init sleeps, with a writable root.</summary>
    private (string Id, TestBundle Bundle) Running(Action<Config>? edit = null)
    {
        var id = NewId("x");
        var bundle = Bundle(id, c =>
        {
            c.Process!.Args = ["sleep", "1000"];
            c.Root!.Readonly = false;
            edit?.Invoke(c);
        });
        RuncsOk("run", "-d", "--bundle", bundle.Dir, id);
        return (id, bundle);
    }

    [Test]
    public void Exec_sees_the_containers_hostname_mounts_pid_namespace_and_cgroup()
    {
        var (id, _) = Running();
        var output = RuncsOk("exec", id, "sh", "-c", "hostname; echo $$; ps -o pid,comm | grep -c sleep; awk '$5 == \"/\"' /proc/self/mountinfo | wc -l; cat /proc/self/cgroup | grep pids").Stdout;
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        lines[0].Should().Be("runcs");
        int.Parse(lines[1]).Should().BeGreaterThan(1, "the exec'd process is not the init");
        lines[2].Should().Be("1", "ps inside shows the container's init");
        lines[3].Should().Be("1", "one root mount: the container's");
        lines[4].Should().EndWith($"/{CgroupLeaks.TestParent}/{id}");
        var initPid = State(id).Pid;
        foreach (var ns in new[] { "mnt", "pid", "net", "ipc", "uts" })
            RuncsOk("exec", id, "readlink", $"/proc/self/ns/{ns}").Stdout.Trim().Should().Be(new FileInfo($"/proc/{initPid}/ns/{ns}").LinkTarget, ns);
    }

    [Test]
    public void Flags_set_env_cwd_user_groups_and_capabilities()
    {
        var (id, _) = Running();
        var output = RuncsOk("exec", "-e", "GREETING=hi", "--env", "OTHER=x", "--cwd", "/tmp", "-u", "1000:1001", "-g", "5", "--additional-gids", "6",
            id, "sh", "-c", "echo $GREETING $OTHER; pwd; id").Stdout;
        output.Should().Be("hi x\n/tmp\nuid=1000(runcs) gid=1001(extra) groups=5,6\n");

        RuncsOk("exec", "-u", "runcs", id, "id", "-un").Stdout.Should().Be("runcs\n", "a user name is looked up in the container's /etc/passwd");
        var caps = RuncsOk("exec", "--cap", "CAP_SYS_ADMIN", id, "grep", "CapBnd", "/proc/self/status").Stdout;
        (Convert.ToUInt64(caps.Split('\t')[1].Trim(), 16) & (1UL << 21)).Should().NotBe(0, "--cap adds CAP_SYS_ADMIN to the bounding set");
        RuncsOk("exec", id, "grep", "CapBnd", "/proc/self/status").Stdout.Should().Contain("0000000020000420", "by default exec gets the container's capabilities");
        RuncsOk("exec", "--no-new-privs", id, "grep", "NoNewPrivs", "/proc/self/status").Stdout.Should().Contain("1");
    }

    [Test]
    public void A_process_json_is_taken_as_is()
    {
        var (id, _) = Running();
        var file = Path.Combine(TestDir, "process.json");
        File.WriteAllText(file, """{"args":["sh","-c","echo $X; pwd; id -u"],"env":["X=from-json"],"cwd":"/etc","user":{"uid":65534,"gid":65534}}""");
        RuncsOk("exec", "--process", file, id).Stdout.Should().Be("from-json\n/etc\n65534\n");
    }

    [Test]
    public void Exit_codes_and_signals_propagate()
    {
        var (id, _) = Running();
        Runcs("exec", id, "sh", "-c", "exit 7").ExitCode.Should().Be(7);
        Runcs("exec", id, "sh", "-c", "kill -9 $$").ExitCode.Should().Be(137);
    }

    [Test]
    public void Signals_sent_to_a_foreground_exec_reach_the_process()
    {
        var (id, bundle) = Running();
        var exec = System.Diagnostics.Process.Start(new ProcessStartInfo(Paths.Runcs, ["--root", StateRoot, "exec", id, "sh", "-c", "trap 'echo got TERM > /tmp/term; exit 3' TERM; while true; do sleep 0.05; done"])
        {
            RedirectStandardOutput = true,
        })!;
        WaitUntil(() => RuncsOk("ps", "--format", "json", id).Stdout.Split(',').Length >= 3, "the exec'd shell running");
        ProcessRunner.Run("kill", ["-TERM", exec.Id.ToString()]).ExitCode.Should().Be(0);
        exec.WaitForExit(10_000).Should().BeTrue();
        exec.ExitCode.Should().Be(3, "runcs forwarded TERM to the process, which exited 3");
        File.ReadAllText(Path.Combine(bundle.Rootfs, "tmp", "term")).Should().Be("got TERM\n");
    }

    [Test]
    public void Detached_exec_returns_once_the_process_runs_and_writes_the_pid_file()
    {
        var (id, _) = Running();
        var pidFile = Path.Combine(TestDir, "exec.pid");
        RuncsOk("exec", "--detach", "--pid-file", pidFile, id, "sleep", "1000");
        var pid = int.Parse(File.ReadAllText(pidFile));
        File.ReadAllText($"/proc/{pid}/cmdline").Should().Be("sleep\01000\0");
        JsonSerializer.Deserialize<int[]>(RuncsOk("ps", "-f", "json", id).Stdout).Should().Contain([State(id).Pid, pid]);
    }

    [Test]
    public void A_foreground_tty_exec_proxies_the_pty_with_the_callers_window_size_and_exit_code()
    {
        var (id, _) = Running();
        // script(1) gives runcs a terminal of its own, as a user at a shell has; stty sets its size.
        var exec = ProcessRunner.Run("script", ["-qec",
            $"stty rows 45 cols 123; {Paths.Runcs} --root {StateRoot} exec -t {id} sh -c 'tty; stty size; read line; echo got $line; exit 4'",
            "/dev/null"], stdin: "typed\n");
        exec.ExitCode.Should().Be(4, exec.ToString());
        exec.Stdout.Should().MatchRegex("/dev/pts/[0-9]+").And.Contain("45 123").And.Contain("got typed");
    }

    [Test]
    public void Exec_cgroup_puts_the_process_in_a_sub_cgroup_the_container_has()
    {
        var (id, _) = Running();
        var sub = Path.Combine(CgroupFiles.Dir(id, "pids"), "sub");
        Directory.CreateDirectory(sub); // removed with the container's cgroup at delete
        var inSub = RuncsOk("exec", "--cgroup", "pids:sub", id, "cat", "/proc/self/cgroup").Stdout;
        inSub.Split('\n').Should().Contain(l => l.Contains(":pids:") && l.EndsWith("/sub"));
        Runcs("exec", "--cgroup", "pids:nope", id, "true").Stderr.Should().Contain("--cgroup pids:nope: ").And.Contain("does not exist");
    }

    [Test]
    public void A_pid_file_that_cannot_be_written_fails_the_exec_and_kills_its_process()
    {
        var (id, _) = Running();
        var result = Runcs("exec", "--detach", "--pid-file", Path.Combine(TestDir, "no-such-dir", "exec.pid"), id, "sleep", "1000");
        result.ExitCode.Should().NotBe(0);
        result.Stderr.Should().Contain("write pid file ").And.Contain("no such file or directory");
        JsonSerializer.Deserialize<int[]>(RuncsOk("ps", "-f", "json", id).Stdout).Should().Equal([State(id).Pid], "only the init is left");
    }

    [Test]
    public void Ps_lists_the_containers_processes_as_a_table_json_and_with_ps_options()
    {
        var (id, _) = Running();
        var pid = State(id).Pid;
        var table = RuncsOk("ps", id).Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        table[0].Should().StartWith("UID").And.Contain("PID");
        table.Should().HaveCount(2);
        table[1].Should().Contain(pid.ToString()).And.EndWith("sleep 1000");
        RuncsOk("ps", "--format", "json", id).Stdout.Should().Be($"[{pid}]\n");
        RuncsOk("ps", id, "-o", "pid,comm").Stdout.Should().Be($"  PID COMMAND\n{pid,5} sleep\n");
    }

    [Test]
    public unsafe void A_tty_exec_through_a_console_socket_works()
    {
        var (id, _) = Running();
        var socketPath = Path.Combine(TestDir, "exec-console.sock");
        using var listener = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        listener.Bind(new UnixDomainSocketEndPoint(socketPath));
        listener.Listen(1);
        var accepted = listener.AcceptAsync();
        RuncsOk("exec", "-d", "-t", "--console-socket", socketPath, id, "sh", "-c", "tty; read line; echo got $line");
        using var connection = accepted.Result;
        int master = ConsoleSocket.ReceiveFd((int)connection.Handle);
        master.Should().BeGreaterThan(0);
        using var pty = new FileStream(new Microsoft.Win32.SafeHandles.SafeFileHandle(master, true), FileAccess.ReadWrite, 1);
        pty.Write("hello\n"u8);
        pty.Flush();
        var text = "";
        var buffer = new byte[4096];
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (!text.Contains("got hello") && DateTime.UtcNow < deadline)
        {
            var read = pty.ReadAsync(buffer).AsTask();
            if (!read.Wait(TimeSpan.FromSeconds(10)) || read.Result <= 0)
                break;
            text += System.Text.Encoding.UTF8.GetString(buffer, 0, read.Result);
        }
        text.Should().Contain("/dev/pts/").And.Contain("got hello");
    }

    [Test]
    public void Exec_into_created_stopped_paused_and_unknown_containers_fails_with_runcs_words()
    {
        var id = NewId("x");
        var bundle = Bundle(id, c => c.Process!.Args = ["sleep", "1000"]);
        RuncsOk("create", "--bundle", bundle.Dir, id);
        ExecFails("cannot exec in a created container", id, "true");
        RuncsOk("start", id);
        RuncsOk("pause", id);
        ExecFails("cannot exec in a paused container (use --ignore-paused to override)", id, "true");
        RuncsOk("resume", id);
        RuncsOk("exec", id, "true");
        RuncsOk("kill", id, "KILL");
        WaitForStatus(id, "stopped");
        ExecFails("cannot exec in a stopped container", id, "true");
        ExecFails("container does not exist", "no-such-container", "true");
    }

    [Test]
    public void Bad_input_is_one_line_exit_255_and_nothing_left_running()
    {
        var (id, _) = Running();
        ExecFails("exec: \\\"nosuch\\\": executable file not found in $PATH", id, "nosuch");
        ExecFails("unable to find user ghost", "-u", "ghost", id, "true");
        var bad = Path.Combine(TestDir, "bad.json");
        File.WriteAllText(bad, "{\"args\": [\"true\"], \"cwd\": 5}");
        ExecFails($"{bad}: cwd: expected string", "--process", bad, id);
        File.WriteAllText(bad, "{\"args\": [], \"cwd\": \"/\"}");
        ExecFails($"{bad}: args", "--process", bad, id);
        JsonSerializer.Deserialize<int[]>(RuncsOk("ps", "-f", "json", id).Stdout).Should().Equal([State(id).Pid], "no exec'd process is left");
    }

    [Test]
    public void A_hundred_concurrent_execs_all_succeed_and_leave_no_zombie_or_descriptor()
    {
        var (id, _) = Running();
        var initPid = State(id).Pid;
        var fdsBefore = Directory.GetFiles($"/proc/{initPid}/fd").Length;
        var results = new CommandResult[100];
        // Each exec'd process lists its own descriptors: stdio, and the one ls reads the list through.
        Parallel.For(0, 100, new ParallelOptions { MaxDegreeOfParallelism = 8 }, i => results[i] = Runcs("exec", id, "sh", "-c", $"echo {i}; exec ls /proc/self/fd"));
        results.Select((r, i) => (r.ExitCode, r.Stdout)).Should().Equal(Enumerable.Range(0, 100).Select(i => (0, $"{i}\n0\n1\n2\n3\n")));
        JsonSerializer.Deserialize<int[]>(RuncsOk("ps", "-f", "json", id).Stdout).Should().Equal([initPid], "no zombie or stray process in the container");
        Directory.GetFiles($"/proc/{initPid}/fd").Length.Should().Be(fdsBefore);
    }

    /// <summary>
    /// CVE-2019-5736: a process in the container opens /proc/PID/exe of the
    /// runtime while it is entering the container, and later writes the runtime
    /// binary through it. Every runcs process the container can see is
    /// non-dumpable until execve, so its exe link stays closed to the container.
    /// </summary>
    [Test]
    public void Cve_2019_5736_the_runtime_binary_cannot_be_reached_through_proc_exe_during_exec()
    {
        var (id, bundle) = Running();
        var before = File.ReadAllBytes(Paths.Runcs);
        // The attacker lists every process's exe link as fast as busybox can, over and over.
        // (The sealed trampoline, /memfd:runcs-trampoline, may be seen: no one can write it.)
        RuncsOk("exec", "-d", id, "sh", "-c", $"while true; do ls -l /proc/[0-9]*/exe 2>/dev/null | grep -F -- '-> {Paths.Runcs}' >> /tmp/reached; done");
        for (int i = 0; i < 200; i++)
            RuncsOk("exec", id, "true");
        File.ReadAllText(Path.Combine(bundle.Rootfs, "tmp", "reached")).Should().BeEmpty("no runcs process may show its exe to the container");
        File.ReadAllBytes(Paths.Runcs).Should().Equal(before);
    }

    /// <summary>
    /// CVE-2024-21626: a host directory descriptor leaked into the container
    /// plus a cwd of /proc/self/fd/N puts the process outside its root. No
    /// descriptor but stdio reaches an exec'd process, so every such cwd fails.
    /// </summary>
    [Test]
    public void Cve_2024_21626_no_host_descriptor_or_cwd_leaks_into_an_exec()
    {
        var (id, _) = Running();
        RuncsOk("exec", id, "sh", "-c", "ls /proc/self/fd | tr '\\n' ' '").Stdout.Should().Be("0 1 2 3 ", "fd 3 is ls's own directory");
        for (int fd = 3; fd < 16; fd++)
        {
            var escape = Runcs("exec", "--cwd", $"/proc/self/fd/{fd}", id, "sh", "-c", "cat ../../../../etc/hostname; pwd");
            escape.ExitCode.Should().Be(255, $"cwd /proc/self/fd/{fd} must not exist: {escape}");
            escape.Stderr.Should().Contain("chdir to cwd");
        }
    }

    private void ExecFails(string message, params string[] args)
    {
        var result = Runcs(["exec", .. args]);
        result.ExitCode.Should().Be(255, result.ToString());
        result.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries).Should().ContainSingle().Which.Should().Contain("exec failed: ").And.Contain(message);
    }
}
