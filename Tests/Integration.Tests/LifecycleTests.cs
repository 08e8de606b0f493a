using System.Diagnostics;
using System.Text.Json;
using Runcs.Integration.Tests.Support;

namespace Runcs.Integration.Tests;

/// <summary>create → start → running → stopped → delete, as the runtime spec and runc define them.</summary>
public class LifecycleTests : ContainerTest
{
    [Test]
    public void A_container_walks_through_created_running_stopped_and_is_gone_after_delete()
    {
        var id = NewId();
        var bundle = Bundle(id, c => c.Process!.Args = ["sleep", "100"]);

        RuncsOk("create", "--bundle", bundle.Dir, id);
        var created = State(id);
        created.Status.Should().Be("created");
        created.Pid.Should().BePositive();
        created.Bundle.Should().Be(bundle.Dir);
        created.Rootfs.Should().Be(bundle.Rootfs);
        DateTime.Parse(created.Created).Should().BeCloseTo(DateTime.Now, TimeSpan.FromMinutes(1));

        RuncsOk("start", id);
        State(id).Status.Should().Be("running");

        RuncsOk("kill", id, "KILL");
        WaitForStatus(id, "stopped").Pid.Should().Be(0);

        RuncsOk("delete", id);
        var gone = Runcs("state", id);
        gone.ExitCode.Should().Be(1);
        gone.Stderr.Should().Contain("container does not exist");
    }

    [Test]
    public void Start_returns_while_the_process_keeps_running()
    {
        var id = NewId();
        var bundle = Bundle(id, c => c.Process!.Args = ["sleep", "100"]);
        RuncsOk("create", "--bundle", bundle.Dir, id);
        RuncsOk("start", id);
        State(id).Status.Should().Be("running");
    }

    [Test]
    public void State_has_runcs_fields_in_runcs_order_at_each_step_like_runc()
    {
        var id = NewId();
        var bundle = Bundle(id, c =>
        {
            c.Process!.Args = ["sleep", "100"];
            c.Annotations = new() { ["org.example.b"] = "2", ["org.example.a"] = "1" };
        });
        var ours = new List<string>();
        var theirs = new List<string>();
        var runcRoot = Path.Combine(TestDir, "runc-state");
        var runcId = id + "-runc";
        try
        {
            foreach (var step in new[] { "create", "start", "kill" })
            {
                string[] args = step switch
                {
                    "create" => ["create", "--bundle", bundle.Dir],
                    "start" => ["start"],
                    _ => ["kill"],
                };
                RuncsOk([.. args, id, .. step == "kill" ? new[] { "KILL" } : []]);
                Runc(runcRoot, [.. args, runcId, .. step == "kill" ? new[] { "KILL" } : []]).ExitCode.Should().Be(0);
                if (step == "kill")
                {
                    WaitForStatus(id, "stopped");
                    WaitUntil(() => Runc(runcRoot, "state", runcId).Stdout.Contains("stopped"));
                }
                ours.Add(Shape(RuncsOk("state", id).Stdout));
                theirs.Add(Shape(Runc(runcRoot, "state", runcId).Stdout));
            }
        }
        finally
        {
            Runc(runcRoot, "delete", "--force", runcId);
        }
        ours.Should().Equal(theirs);
    }

    [Test]
    public void Run_in_the_foreground_exits_with_the_process_status()
    {
        RunContainer(TestBundle.Shell("exit 3")).ExitCode.Should().Be(3);
        RunContainer(TestBundle.Shell("exit 0")).ExitCode.Should().Be(0);
    }

    [Test]
    public void Run_in_the_foreground_exits_with_128_plus_the_signal_that_killed_the_process()
    {
        var id = NewId();
        var bundle = Bundle(id, c => c.Process!.Args = ["sleep", "100"]);
        var run = Process.Start(new ProcessStartInfo(Paths.Runcs, ["--root", StateRoot, "run", "--bundle", bundle.Dir, id])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        })!;
        WaitUntil(() => Runcs("state", id).Stdout.Contains("\"running\""));
        RuncsOk("kill", id, "SIGKILL");
        run.WaitForExit(10_000).Should().BeTrue();
        run.ExitCode.Should().Be(137);
        Runcs("state", id).ExitCode.Should().Be(1, "run deletes the container once it exits");
    }

    [Test]
    public void Run_keep_leaves_the_stopped_container_for_delete()
    {
        var id = NewId();
        var bundle = Bundle(id);
        RuncsOk("run", "--keep", "--bundle", bundle.Dir, id);
        State(id).Status.Should().Be("stopped");
        RuncsOk("delete", id);
    }

    [Test]
    public void Run_detach_returns_zero_and_leaves_the_container_running()
    {
        var id = NewId();
        var bundle = Bundle(id, c => c.Process!.Args = ["sleep", "100"]);
        RuncsOk("run", "-d", "--bundle", bundle.Dir, id);
        State(id).Status.Should().Be("running");
    }

    [Test]
    public void A_process_that_dies_outside_runcs_is_seen_as_stopped()
    {
        var id = NewId();
        var bundle = Bundle(id, c => c.Process!.Args = ["sleep", "100"]);
        RuncsOk("run", "-d", "--bundle", bundle.Dir, id);
        Process.GetProcessById(State(id).Pid).Kill();
        WaitForStatus(id, "stopped");
        RuncsOk("delete", id);
    }

    [Test]
    public void A_container_gets_a_session_keyring_of_its_own_unless_no_new_keyring()
    {
        var id = NewId();
        var bundle = Bundle(id, c => c.Process!.Args = ["sleep", "100"]);
        RuncsOk("create", "--bundle", bundle.Dir, id);
        File.ReadAllLines("/proc/keys").Should().Contain(l => l.Contains(" keyring ") && l.EndsWith($" {id}: empty"));

        var shared = NewId();
        var sharedBundle = Bundle(shared, c => c.Process!.Args = ["sleep", "100"]);
        RuncsOk("create", "--no-new-keyring", "--bundle", sharedBundle.Dir, shared);
        File.ReadAllLines("/proc/keys").Should().NotContain(l => l.Contains($" {shared}:"));
    }

    [Test]
    public void The_pid_file_holds_the_init_pid_without_a_newline()
    {
        var id = NewId();
        var bundle = Bundle(id, c => c.Process!.Args = ["sleep", "100"]);
        var pidFile = Path.Combine(TestDir, "pid");
        RuncsOk("create", "--bundle", bundle.Dir, "--pid-file", pidFile, id);
        File.ReadAllText(pidFile).Should().Be(State(id).Pid.ToString());
    }

    [Test]
    public void Delete_refuses_a_running_container_without_force_and_kills_it_with_force()
    {
        var id = NewId();
        var bundle = Bundle(id, c => c.Process!.Args = ["sleep", "100"]);
        RuncsOk("run", "-d", "--bundle", bundle.Dir, id);

        var refused = Runcs("delete", id);
        refused.ExitCode.Should().Be(1);
        refused.Stderr.Should().Contain($"cannot delete container {id} that is not stopped: running");
        State(id).Status.Should().Be("running");

        RuncsOk("delete", "--force", id);
        Runcs("state", id).ExitCode.Should().Be(1);
    }

    [Test]
    public void Delete_of_a_created_container_needs_no_force()
    {
        var id = NewId();
        var bundle = Bundle(id, c => c.Process!.Args = ["sleep", "100"]);
        RuncsOk("create", "--bundle", bundle.Dir, id);
        RuncsOk("delete", id);
    }

    [Test]
    public void Kill_takes_signal_names_with_or_without_SIG_in_any_case_and_numbers()
    {
        var id = NewId();
        // A shell that reports the signals it gets (as pid 1 it only gets those it handles).
        var bundle = Bundle(id, c =>
        {
            c.Root!.Readonly = false;
            c.Process!.Args = ["sh", "-c", "trap 'echo got USR1 >> /tmp/log' USR1; trap 'echo got HUP >> /tmp/log' HUP; while true; do sleep 0.05; done"];
        });
        RuncsOk("run", "-d", "--bundle", bundle.Dir, id);
        var log = Path.Combine(bundle.Rootfs, "tmp", "log");
        var expected = new List<string>();
        // One at a time: two of the same signal sent at once may arrive as one.
        foreach (var (signal, name) in new[] { ("USR1", "USR1"), ("SIGHUP", "HUP"), ("sigusr1", "USR1"), ("1", "HUP") })
        {
            RuncsOk("kill", id, signal);
            expected.Add("got " + name);
            WaitUntil(() => File.Exists(log) && File.ReadAllLines(log).Length == expected.Count);
        }
        File.ReadAllLines(log).Should().Equal(expected);

        var unknown = Runcs("kill", id, "FOO");
        unknown.ExitCode.Should().Be(1);
        unknown.Stderr.Should().Contain("unknown signal \\\"FOO\\\"");
    }

    [Test]
    public void Kill_all_reaches_every_process_of_the_container()
    {
        var id = NewId();
        // The init ignores TERM (set after its children started, which keep the default).
        var bundle = Bundle(id, c =>
        {
            c.Root!.Readonly = false;
            c.Process!.Args = ["sh", "-c", "sleep 100 & sleep 100 & trap '' TERM; wait; echo done > /tmp/done; sleep 100"];
            c.Linux!.Namespaces!.RemoveAll(n => n.Type == "pid");
        });
        RuncsOk("run", "-d", "--bundle", bundle.Dir, id);
        WaitUntil(() => CountProcesses(id) == 3);
        RuncsOk("kill", "--all", id, "TERM");
        WaitUntil(() => File.Exists(Path.Combine(bundle.Rootfs, "tmp", "done")));
    }

    private int CountProcesses(string id) =>
        CgroupLeaks.DirectoriesOf(id).Where(d => d.Contains("/pids/")).Select(d => File.ReadAllLines(Path.Combine(d, "cgroup.procs")).Length).FirstOrDefault();

    private static CommandResult Runc(string root, params string[] args) => ProcessRunner.Run("runc", ["--root", root, .. args]);

    /// <summary>The field names, and the values a caller branches on, of a state document.</summary>
    private static string Shape(string stateJson)
    {
        using var doc = JsonDocument.Parse(stateJson);
        return string.Join(",", doc.RootElement.EnumerateObject().Select(p =>
            p.Name is "status" ? $"{p.Name}={p.Value}" :
            p.Name is "pid" ? $"pid{(p.Value.GetInt32() > 0 ? ">0" : "=0")}" :
            p.Name is "annotations" ? $"annotations={p.Value}" : p.Name));
    }
}
