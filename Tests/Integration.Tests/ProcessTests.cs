using System.Net.Sockets;
using System.Runtime.InteropServices;
using Runcs.Integration.Tests.Support;
using Runcs.Runtime.Console;
using Runcs.Spec;

namespace Runcs.Integration.Tests;

/// <summary>The container's process: args, env, cwd, user, umask, descriptors, the console.</summary>
public class ProcessTests : ContainerTest
{
    [Test]
    public void Args_env_and_cwd_are_the_configs()
    {
        var output = RunContainer(c =>
        {
            c.Process!.Args = ["sh", "-c", "echo \"$0 $1\"; echo $GREETING; pwd", "first", "second"];
            c.Process.Env = ["PATH=/bin", "GREETING=hello world"];
            c.Process.Cwd = "/tmp";
        });
        output.Stdout.Should().Be("first second\nhello world\n/tmp\n");
    }

    [Test]
    public void HOME_comes_from_the_containers_passwd_when_env_lacks_it()
    {
        var output = RunContainer(c =>
        {
            c.Process!.User = new User { Uid = 1000, Gid = 1000 };
            c.Process.Args = ["sh", "-c", "echo $HOME"];
        });
        output.Stdout.Should().Be("/home/runcs\n");
    }

    [Test]
    public void User_group_additional_groups_and_umask_are_applied()
    {
        var output = RunContainer(c =>
        {
            c.Process!.User = new User { Uid = 1000, Gid = 1000, AdditionalGids = [1001], Umask = 0x3f /* 077 */ };
            c.Root!.Readonly = false;
            c.Process.Args = ["sh", "-c", "id; cd /tmp && touch f && stat -c %a f"];
        });
        output.ExitCode.Should().Be(0, output.ToString());
        output.Stdout.Should().Be("uid=1000(runcs) gid=1000(runcs) groups=1001(extra)\n600\n");
    }

    [Test]
    public void Capabilities_are_the_configured_sets_for_a_non_root_user()
    {
        var output = RunContainer(c =>
        {
            c.Process!.User = new User { Uid = 1000, Gid = 1000 };
            c.Process.Capabilities = new LinuxCapabilities
            {
                Bounding = ["CAP_KILL", "CAP_CHOWN", "CAP_NET_RAW"],
                Permitted = ["CAP_KILL", "CAP_CHOWN"],
                Effective = ["CAP_KILL"],
                Inheritable = ["CAP_CHOWN"],
                Ambient = ["CAP_CHOWN"],
            };
            c.Process.Args = ["grep", "^Cap", "/proc/self/status"];
        });
        var caps = output.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .ToDictionary(l => l.Split(':')[0], l => Convert.ToUInt64(l.Split('\t')[1], 16));
        const ulong chown = 1UL << 0, kill = 1UL << 5, netRaw = 1UL << 13;
        caps["CapBnd"].Should().Be(chown | kill | netRaw);
        caps["CapInh"].Should().Be(chown);
        // execve by a non-root user of a file without capabilities: only the ambient
        // set carries over into permitted and effective (inheritable alone does not: CVE-2022-29162).
        caps["CapAmb"].Should().Be(chown);
        caps["CapPrm"].Should().Be(chown);
        caps["CapEff"].Should().Be(chown);
    }

    [Test]
    public void No_new_privileges_is_set_when_asked()
    {
        RunContainer(TestBundle.Shell("grep NoNewPrivs /proc/self/status")).Stdout.Should().Contain("NoNewPrivs:\t1");
        RunContainer(c => { c.Process!.NoNewPrivileges = false; c.Process.Args = ["grep", "NoNewPrivs", "/proc/self/status"]; })
            .Stdout.Should().Contain("NoNewPrivs:\t0");
    }

    [Test]
    public void Only_stdio_reaches_the_process_and_preserve_fds_adds_descriptors_from_3()
    {
        RunContainer(TestBundle.Shell("ls /proc/self/fd | tr '\\n' ' '")).Stdout.Should().Be("0 1 2 3 ", "fd 3 is ls's own directory");

        var id = NewId();
        var bundle = Bundle(id, TestBundle.Shell("cat <&3; cat <&4; ls /proc/self/fd | tr '\\n' ' '"));
        var one = Path.Combine(TestDir, "one");
        var two = Path.Combine(TestDir, "two");
        File.WriteAllText(one, "fd three\n");
        File.WriteAllText(two, "fd four\n");
        var output = ProcessRunner.Run("sh", ["-c", $"exec {Paths.Runcs} --root {StateRoot} run --preserve-fds 2 --bundle {bundle.Dir} {id} 3<{one} 4<{two}"]);
        output.Stdout.Should().Be("fd three\nfd four\n0 1 2 3 4 5 ");
    }

    [Test]
    public void LISTEN_FDS_descriptors_are_passed_on()
    {
        var id = NewId();
        var bundle = Bundle(id, TestBundle.Shell("cat <&3"));
        var file = Path.Combine(TestDir, "socket-activated");
        File.WriteAllText(file, "listening\n");
        var output = ProcessRunner.Run("sh", ["-c", $"LISTEN_FDS=1 exec {Paths.Runcs} --root {StateRoot} run --bundle {bundle.Dir} {id} 3<{file}"]);
        output.Stdout.Should().Be("listening\n");
    }

    [Test]
    public void A_command_missing_from_the_container_fails_create_with_runcs_message()
    {
        var id = NewId();
        var bundle = Bundle(id, c => c.Process!.Args = ["nosuch"]);
        var result = Runcs("create", "--bundle", bundle.Dir, id);
        result.ExitCode.Should().Be(1);
        result.Stderr.Should().Contain("exec: \\\"nosuch\\\": executable file not found in $PATH");
    }

    [Test]
    public unsafe void The_console_socket_receives_a_working_pty()
    {
        var id = NewId();
        var bundle = Bundle(id, c =>
        {
            c.Process!.Terminal = true;
            c.Process.ConsoleSize = new Box { Height = 40, Width = 120 };
            c.Process.Args = ["sh", "-c", "tty; stty size; read line; echo got $line"];
        });
        var socketPath = Path.Combine(TestDir, "console.sock");
        using var listener = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        listener.Bind(new UnixDomainSocketEndPoint(socketPath));
        listener.Listen(1);
        var accepted = listener.AcceptAsync();
        RuncsOk("create", "--bundle", bundle.Dir, "--console-socket", socketPath, id);
        using var connection = accepted.Result;
        int master = ConsoleSocket.ReceiveFd((int)connection.Handle);
        master.Should().BeGreaterThan(0);
        using var pty = new FileStream(new Microsoft.Win32.SafeHandles.SafeFileHandle(master, true), FileAccess.ReadWrite, 1);
        RuncsOk("start", id);
        var input = "hello\n"u8.ToArray();
        pty.Write(input);
        pty.Flush();
        var text = ReadUntil(pty, "got hello");
        text.Should().Contain("/dev/pts/0").And.Contain("40 120").And.Contain("got hello");
    }

    [Test]
    public void Run_in_the_foreground_with_a_terminal_proxies_the_pty()
    {
        var id = NewId();
        var bundle = Bundle(id, c =>
        {
            c.Process!.Terminal = true;
            c.Process.Args = ["sh", "-c", "tty; read line; echo got $line; exit 5"];
        });
        // script(1) gives runcs a terminal of its own, as a user at a shell has.
        var run = ProcessRunner.Run("script", ["-qec", $"{Paths.Runcs} --root {StateRoot} run --bundle {bundle.Dir} {id}", "/dev/null"], stdin: "typed\n");
        run.ExitCode.Should().Be(5, run.ToString());
        run.Stdout.Should().Contain("/dev/pts/0").And.Contain("got typed");
    }

    private static string ReadUntil(FileStream stream, string expected)
    {
        var text = "";
        var buffer = new byte[4096];
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (!text.Contains(expected) && DateTime.UtcNow < deadline)
        {
            var read = stream.ReadAsync(buffer).AsTask();
            if (!read.Wait(TimeSpan.FromSeconds(10)) || read.Result <= 0)
                break;
            text += System.Text.Encoding.UTF8.GetString(buffer, 0, read.Result);
        }
        return text;
    }
}
