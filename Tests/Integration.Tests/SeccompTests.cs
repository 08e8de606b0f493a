using System.Text.Json;
using Runcs.Integration.Tests.Support;
using Runcs.Runtime.Seccomp;
using Runcs.Spec;

namespace Runcs.Integration.Tests;

/// <summary>Seccomp filters compiled by runcs, seen from inside real containers (and next to runc's).</summary>
public class SeccompTests : ContainerTest
{
    private static LinuxSeccomp DockerDefault() =>
        JsonSerializer.Deserialize(File.ReadAllText(Path.Combine(Paths.RepoRoot, "Tests", "Fixtures", "seccomp", "docker-default-oci-amd64.json")),
            SpecJsonContext.Default.LinuxSeccomp)!;

    private static LinuxSeccomp Allowing(params LinuxSyscall[] rules) => new() { DefaultAction = "SCMP_ACT_ALLOW", Syscalls = [.. rules] };

    private static LinuxSyscall Rule(string action, params string[] names) => new() { Action = action, Names = [.. names] };

    /// <summary>"name=nr,args" for the probe, numbered for this machine's ABI.</summary>
    private static string Call(string name, params long[] args)
    {
        SeccompArch.Native!.Table.TryGet(name, out var nr).Should().BeTrue(name);
        return string.Join(',', [$"{name}={nr}", .. args.Select(a => a.ToString())]);
    }

    [Test]
    public void The_process_runs_in_seccomp_filter_mode_after_no_new_privs()
    {
        var output = RunContainer(c =>
        {
            c.Linux!.Seccomp = Allowing(Rule("SCMP_ACT_ERRNO", "mkdir", "mkdirat"));
            c.Process!.Args = ["grep", "-E", "^(NoNewPrivs|Seccomp):", "/proc/self/status"];
        });
        output.ExitCode.Should().Be(0, output.ToString());
        output.Stdout.Should().Be("NoNewPrivs:\t1\nSeccomp:\t2\n");
    }

    [Test]
    public void An_exec_gets_the_containers_filter()
    {
        var id = NewId();
        var bundle = Bundle(id, c =>
        {
            c.Linux!.Seccomp = Allowing(Rule("SCMP_ACT_ERRNO", "mkdir", "mkdirat"));
            c.Root!.Readonly = false;
            c.Process!.Args = ["sleep", "1000"];
        });
        RuncsOk("run", "-d", "--bundle", bundle.Dir, id);
        RuncsOk("exec", id, "grep", "^Seccomp:", "/proc/self/status").Stdout.Should().Be("Seccomp:\t2\n");
        var denied = Runcs("exec", id, "mkdir", "/tmp/d");
        denied.ExitCode.Should().Be(1);
        denied.Stderr.Should().Contain("Operation not permitted");
    }

    /// <summary>
    /// runc loads the filter right before its one execve(), so a profile only has to allow what
    /// the program does. runcs' last calls (the trampoline's execveat and fcntl) must not need the
    /// profile either: the trampoline loads the filter itself, after them.
    /// </summary>
    [Test]
    public void A_profile_that_kills_execveat_and_fcntl_runs_and_execs_as_under_runc()
    {
        var id = NewId();
        var bundle = Bundle(id, c =>
        {
            c.Process!.NoNewPrivileges = true;
            c.Linux!.Seccomp = Allowing(Rule("SCMP_ACT_KILL_PROCESS", "execveat", "fcntl"));
            c.Process.Args = ["sleep", "1000"];
        });
        RuncsOk("run", "-d", "--bundle", bundle.Dir, id);
        var exec = Runcs("exec", id, "grep", "^Seccomp:", "/proc/self/status");
        exec.ExitCode.Should().Be(0, exec.ToString());
        exec.Stdout.Should().Be("Seccomp:\t2\n");
        RuncsOk("exec", id, "ls", "/proc/self/fd").Stdout.Should().Be("0\n1\n2\n3\n", "the filter's memfd is closed before the program runs");

        var runcId = NewId("runc");
        var runcBundle = Bundle(runcId, c =>
        {
            c.Process!.NoNewPrivileges = true;
            c.Linux!.Seccomp = Allowing(Rule("SCMP_ACT_KILL_PROCESS", "execveat", "fcntl"));
            c.Process.Args = ["grep", "^Seccomp:", "/proc/self/status"];
        });
        var underRunc = ProcessRunner.Run("runc", ["--root", Path.Combine(TestDir, "runc-state"), "run", "--bundle", runcBundle.Dir, runcId]);
        underRunc.ExitCode.Should().Be(0, "runc runs it too: " + underRunc);
    }

    [Test]
    public void A_denied_system_call_fails_with_EPERM_or_the_configured_errno()
    {
        var eperm = RunContainer(c =>
        {
            c.Linux!.Seccomp = Allowing(Rule("SCMP_ACT_ERRNO", "mkdir", "mkdirat"));
            c.Root!.Readonly = false;
            c.Process!.Args = ["sh", "-c", "mkdir /tmp/d; rmdir /tmp; echo still running"];
        });
        eperm.Stderr.Should().Contain("mkdir: can't create directory '/tmp/d': Operation not permitted");
        eperm.Stdout.Should().Be("still running\n");

        var custom = RunContainer(c =>
        {
            var rule = Rule("SCMP_ACT_ERRNO", "mkdir", "mkdirat");
            rule.ErrnoRet = 122; // EDQUOT
            c.Linux!.Seccomp = Allowing(rule);
            c.Root!.Readonly = false;
            c.Process!.Args = ["sh", "-c", "mkdir /tmp/d"];
        });
        custom.Stderr.Should().Contain("Disk quota exceeded");

        var byDefault = RunContainer(c =>
        {
            c.Linux!.Seccomp = DockerDefault();
            c.Linux.Seccomp.DefaultErrnoRet = 95; // EOPNOTSUPP for everything the profile does not allow
            c.Process!.Args = ["probe", Call("mount", 0, 0, 0, 0, 0), Call("getppid")];
        });
        byDefault.Stdout.Should().Be("mount -95\ngetppid 0\n", byDefault.ToString());
    }

    [TestCase("SCMP_ACT_KILL")]
    [TestCase("SCMP_ACT_KILL_PROCESS")]
    [TestCase("SCMP_ACT_TRAP")]
    public void Kill_and_trap_end_the_process_with_SIGSYS(string action)
    {
        var output = RunContainer(c =>
        {
            // A call the shell itself never makes: the probe dies, the shell reports it.
            c.Linux!.Seccomp = Allowing(Rule(action, "getitimer"));
            c.Process!.Args = ["sh", "-c", $"probe {Call("getppid")} {Call("getitimer", 0, 0)} {Call("getppid")}; echo status $?"];
        });
        output.Stdout.Should().Be("getppid 1\nstatus 159\n", "the shell (pid 1) reports 128 + SIGSYS (31): the probe died at getitimer");
    }

    [Test]
    public void Argument_conditions_hold_on_the_whole_64_bit_value()
    {
        // Docker's profile allows personality only for a few values; 0xffffffff queries the persona.
        var docker = RunContainer(c =>
        {
            c.Linux!.Seccomp = DockerDefault();
            c.Process!.Args = ["probe", Call("personality", 0xffffffff), Call("personality", 1), Call("personality", 0x1_ffffffff), Call("personality", 0)];
        });
        docker.Stdout.Should().Be("personality 0\npersonality -1\npersonality -1\npersonality 0\n",
            "only personality(0xffffffff) and the listed domains are allowed, and the high half counts:\n" + docker);

        var above32Bits = RunContainer(c =>
        {
            c.Linux!.Seccomp = Allowing(new LinuxSyscall
            {
                Names = ["personality"], Action = "SCMP_ACT_ERRNO",
                Args = [new LinuxSeccompArg { Index = 0, Op = "SCMP_CMP_GE", Value = 0x1_00000000 }],
            });
            c.Process!.Args = ["probe", Call("personality", 0xffffffff), Call("personality", 0x1_00000000), Call("personality", -1)];
        });
        above32Bits.Stdout.Should().Be("personality 0\npersonality -1\npersonality -1\n", above32Bits.ToString());
    }

    [Test]
    public void Dockers_default_profile_runs_a_busybox_shell()
    {
        var output = RunContainer(c =>
        {
            c.Linux!.Seccomp = DockerDefault();
            c.Root!.Readonly = false;
            c.Process!.Args = ["sh", "-c", "mkdir /tmp/d && echo hi > /tmp/d/f && cat /tmp/d/f && ls / | wc -l && ps -o pid,comm | tail -1 && (sleep 0.1 &) && wait && echo done"];
        });
        output.ExitCode.Should().Be(0, output.ToString());
        output.Stdout.Should().StartWith("hi\n").And.EndWith("done\n");
    }

    /// <summary>
    /// The same system calls under runcs' filter and under runc's (libseccomp's) for Docker's
    /// default profile: each call must be allowed or refused alike, with the same errno.
    /// </summary>
    [Test]
    public void Dockers_default_profile_allows_and_denies_the_same_calls_as_under_runc()
    {
        string[] calls =
        [
            Call("read", -1), Call("mkdir", 0), Call("getppid"), Call("uname", 0), Call("mount", 0, 0, 0, 0, 0), Call("umount2", 0, 0),
            Call("unshare", 0x20000), Call("setns", -1, 0), Call("clone3", 0, 0), Call("personality", 0xffffffff), Call("personality", 1),
            Call("personality", 0x1_ffffffff), Call("socket", 40, 1, 0), Call("socket", 16, 3, 0), Call("keyctl", 0), Call("add_key", 0),
            Call("request_key", 0), Call("bpf", 0, 0, 0), Call("perf_event_open", 0, 0, 0, 0, 0), Call("userfaultfd", 0),
            Call("kexec_load", 0, 0, 0, 0), Call("init_module", 0, 0, 0), Call("delete_module", 0, 0), Call("swapon", 0, 0),
            Call("syslog", 0, 0, 0), Call("ptrace", 16, 999999), Call("chroot", 0), Call("io_uring_setup", 0, 0), Call("pidfd_open", 999999, 0),
            Call("openat2", -100, 0, 0, 0), Call("close_range", 1000, 1000, 0), Call("faccessat2", -100, 0, 0, 0), Call("process_madvise", -1, 0, 0, 0, 0),
            Call("landlock_create_ruleset", 0, 0, 0), Call("memfd_secret", 0), Call("futex_waitv", 0, 0, 0, 0, 0), Call("set_mempolicy_home_node", 0, 0, 0, 0),
            Call("cachestat", -1, 0, 0, 0), Call("fchmodat2", -100, 0, 0, 0), Call("futex_wake", 0, 0, 0, 0), Call("map_shadow_stack", 0, 0, 0),
            Call("get_mempolicy", 0, 0, 0, 0, 0), Call("name_to_handle_at", -1, 0, 0, 0, 0), Call("open_by_handle_at", -1, 0, 0),
            Call("clock_settime", 0, 0), Call("iopl", 0), Call("fanotify_init", 0, 0), Call("open_tree", -1, 0, 0), Call("fsopen", 0, 0),
            Call("pivot_root", 0, 0), Call("sethostname", 0, 0), Call("kcmp", 0, 0, 0, 0, 0), Call("process_vm_readv", 0, 0, 0, 0, 0, 0),
            Call("seccomp", 99, 0, 0), Call("vhangup"), Call("acct", 0), Call("quotactl", 0, 0, 0, 0), Call("lookup_dcookie", 0, 0, 0),
            Call("setxattr", 0, 0, 0, 0, 0), Call("mknod", 0, 0, 0), Call("afs_syscall"), Call("tuxcall"), Call("vserver"),
            $"newer={SeccompArch.Native!.Table.All.Max(s => s.Number) + 20}",
        ];
        Action<Config> edit = c =>
        {
            c.Linux!.Seccomp = DockerDefault();
            c.Process!.Args = ["probe", .. calls];
        };
        var underRuncs = RunContainer(edit);
        underRuncs.ExitCode.Should().Be(0, underRuncs.ToString());

        var id = NewId("runc");
        var bundle = Bundle(id, edit);
        var underRunc = ProcessRunner.Run("runc", ["--root", Path.Combine(TestDir, "runc-state"), "run", "--bundle", bundle.Dir, id]);
        underRunc.ExitCode.Should().Be(0, underRunc.ToString());

        var ours = underRuncs.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var theirs = underRunc.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        ours.Should().HaveCount(calls.Length);
        var differences = ours.Zip(theirs).Where(p => p.First != p.Second).Select(p => $"runcs: {p.First}, runc: {p.Second}");
        differences.Should().BeEmpty();
    }

    [Test]
    public void Notify_hands_a_working_listener_and_the_process_state_to_the_agent()
    {
        var id = NewId();
        var socket = Path.Combine(TestDir, "agent.sock");
        using var agent = new SeccompAgent(socket, answerErrno: 123 /* ENOMEDIUM */);
        var bundle = Bundle(id, c =>
        {
            c.Linux!.Seccomp = Allowing(Rule("SCMP_ACT_NOTIFY", "mkdir", "mkdirat"));
            c.Linux.Seccomp.ListenerPath = socket;
            c.Linux.Seccomp.ListenerMetadata = "from-the-test";
            c.Root!.Readonly = false;
            c.Process!.Args = ["sh", "-c", "mkdir /tmp/d; echo mkdir said $?"];
        });
        var output = Runcs("run", "--bundle", bundle.Dir, id);
        output.Stderr.Should().Contain("No medium found", "the agent answered mkdir:\n" + output);
        output.Stdout.Should().Be("mkdir said 1\n");

        agent.State.Should().NotBeNull();
        agent.State!.Fds.Should().Equal("seccompFd");
        agent.State.Metadata.Should().Be("from-the-test");
        agent.State.State.Id.Should().Be(id);
        agent.State.State.Bundle.Should().Be(bundle.Dir);
        agent.State.Pid.Should().BeGreaterThan(0);
        SeccompArch.Native!.Table.TryGet("mkdir", out var mkdir);
        agent.Answered.Should().Contain((int)mkdir);
    }

    [Test]
    public void A_listener_path_nobody_listens_on_fails_create_and_leaves_nothing()
    {
        var id = NewId();
        var bundle = Bundle(id, c =>
        {
            c.Linux!.Seccomp = Allowing(Rule("SCMP_ACT_NOTIFY", "mkdir"));
            c.Linux.Seccomp.ListenerPath = Path.Combine(TestDir, "nobody.sock");
        });
        var result = Runcs("create", "--bundle", bundle.Dir, id);
        result.ExitCode.Should().NotBe(0);
        result.Stderr.Should().Contain("seccomp listener socket (linux.seccomp.listenerPath)").And.Contain("nobody.sock");
    }

    [Test]
    public void Bad_profiles_fail_with_the_field_named_and_unknown_names_are_a_debug_message()
    {
        var id = NewId();
        var bundle = Bundle(id, c => c.Linux!.Seccomp = Allowing(Rule("SCMP_ACT_SOMETIMES", "mkdir")));
        var result = Runcs("create", "--bundle", bundle.Dir, id);
        result.ExitCode.Should().NotBe(0);
        result.Stderr.Should().Contain("linux.seccomp.syscalls[0].action").And.Contain("SCMP_ACT_SOMETIMES");

        void Edit(Config c)
        {
            c.Linux!.Seccomp = Allowing(Rule("SCMP_ACT_ERRNO", "mkdir", "no_such_syscall"));
            c.Linux.Seccomp.Architectures = ["SCMP_ARCH_PPC64LE"];
            c.Process!.Args = ["true"];
        }
        var warned = RunContainer(Edit);
        warned.ExitCode.Should().Be(0, warned.ToString());
        warned.Stderr.Should().Contain("level=warning").And.Contain("SCMP_ARCH_PPC64LE cannot run on this");
        // Names this host does not know are runc's debug message, not a warning: create's stderr is
        // the container's (podman logs, docker logs), and Docker's default profile names several.
        warned.Stderr.Should().NotContain("no_such_syscall");

        var debugId = NewId();
        var debug = Runcs("--debug", "run", "--bundle", Bundle(debugId, Edit).Dir, debugId);
        debug.ExitCode.Should().Be(0, debug.ToString());
        debug.Stderr.Should().MatchRegex("level=debug msg=\"linux.seccomp: ignoring system calls unknown on [^\"]*: no_such_syscall");
    }
}
