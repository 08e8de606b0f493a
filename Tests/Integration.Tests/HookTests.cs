using System.Text.Json;
using Runcs.Integration.Tests.Support;
using Runcs.Spec;

namespace Runcs.Integration.Tests;

/// <summary>The six hooks: when and where each runs, what it reads on stdin, and what its failure does.</summary>
public class HookTests : ContainerTest
{
    private string log = "";

    [SetUp]
    public void CreateLog() => log = Path.Combine(TestDir, "hooks.log");

    /// <summary>A host script that logs its name, its state document and its mount namespace.</summary>
    private Hook HostHook(string name, string extra = "")
    {
        var script = Path.Combine(TestDir, name + ".sh");
        File.WriteAllText(script, $"#!/bin/sh\nstate=$(cat)\necho \"{name} $(readlink /proc/self/ns/mnt) $state\" >> {log}\n{extra}");
        File.SetUnixFileMode(script, (UnixFileMode)0x1ed);
        return new Hook { Path = script, Args = [script] };
    }

    private List<(string Name, string MountNs, State State)> Logged() =>
        File.ReadAllLines(log).Select(l =>
        {
            var parts = l.Split(' ', 3);
            return (parts[0], parts[1], JsonSerializer.Deserialize(parts[2], SpecJsonContext.Default.State)!);
        }).ToList();

    [Test]
    public void Hooks_run_in_order_at_the_moments_the_spec_names_with_the_state_on_stdin()
    {
        var id = NewId();
        var bundle = Bundle(id, c =>
        {
            c.Process!.Args = ["sleep", "100"];
            c.Hooks = new Hooks
            {
                Prestart = [HostHook("prestart")],
                CreateRuntime = [HostHook("createRuntime")],
                CreateContainer = [HostHook("createContainer")],
                // startContainer runs inside the container: a path of its rootfs, which logs where the container can write.
                StartContainer = [new Hook { Path = "/bin/sh", Args = ["sh", "-c", "echo startContainer $(readlink /proc/self/ns/mnt) $(cat) >> /tmp/hooks.log"] }],
                Poststart = [HostHook("poststart")],
                Poststop = [HostHook("poststop")],
            };
            c.Root!.Readonly = false;
        });
        var hostMountNs = new FileInfo("/proc/self/ns/mnt").LinkTarget;

        RuncsOk("create", "--bundle", bundle.Dir, id);
        Logged().Select(h => h.Name).Should().Equal("prestart", "createRuntime", "createContainer");
        var pid = State(id).Pid;
        var containerMountNs = new FileInfo($"/proc/{pid}/ns/mnt").LinkTarget;

        RuncsOk("start", id);
        RuncsOk("kill", id, "KILL");
        WaitForStatus(id, "stopped");
        RuncsOk("delete", id);

        var hooks = Logged();
        hooks.Select(h => h.Name).Should().Equal("prestart", "createRuntime", "createContainer", "poststart", "poststop");
        hooks.Should().OnlyContain(h => h.State.Id == id && h.State.Bundle == bundle.Dir);
        hooks.Select(h => h.State.Status).Should().Equal("creating", "creating", "creating", "running", "stopped");
        hooks.Take(4).Should().OnlyContain(h => h.State.Pid == pid);
        hooks.Single(h => h.Name == "createContainer").MountNs.Should().Be(containerMountNs, "createContainer runs in the container's namespaces");
        hooks.Where(h => h.Name != "createContainer").Should().OnlyContain(h => h.MountNs == hostMountNs, "the other host hooks run in the runtime's namespaces");

        var inside = File.ReadAllText(Path.Combine(bundle.Rootfs, "tmp", "hooks.log")).Split(' ', 3);
        inside[0].Should().Be("startContainer");
        inside[1].Should().Be(containerMountNs);
        JsonSerializer.Deserialize(inside[2], SpecJsonContext.Default.State)!.Status.Should().Be("created");
    }

    [Test]
    public void A_failing_prestart_hook_fails_create_naming_the_hook_and_leaves_nothing_but_runs_poststop()
    {
        var id = NewId();
        var bundle = Bundle(id, c => c.Hooks = new Hooks
        {
            Prestart = [HostHook("prestart", "echo broken >&2; exit 7")],
            Poststop = [HostHook("poststop")],
        });
        var result = Runcs("create", "--bundle", bundle.Dir, id);
        result.ExitCode.Should().Be(1);
        result.Stderr.Should().Contain("error running prestart hook #0: exit status 7").And.Contain("broken");
        result.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries).Should().HaveCount(1);
        Logged().Select(h => h.Name).Should().Equal("prestart", "poststop");
        Runcs("state", id).ExitCode.Should().Be(1);
    }

    [Test]
    public void A_createContainer_hook_that_times_out_is_killed_and_fails_create()
    {
        var id = NewId();
        var bundle = Bundle(id, c =>
        {
            var hook = HostHook("createContainer", "exec sleep 30");
            hook.Timeout = 1;
            c.Hooks = new Hooks { CreateContainer = [hook] };
        });
        var result = Runcs("create", "--bundle", bundle.Dir, id);
        result.ExitCode.Should().Be(1);
        result.Stderr.Should().Contain("error running createContainer hook #0: hook ran past specified timeout of 1s");
    }

    [Test]
    public void A_failing_poststart_hook_is_only_a_warning()
    {
        var id = NewId();
        var bundle = Bundle(id, c =>
        {
            c.Process!.Args = ["sleep", "100"];
            c.Hooks = new Hooks { Poststart = [HostHook("poststart", "exit 1")] };
        });
        RuncsOk("create", "--bundle", bundle.Dir, id);
        var start = RuncsOk("start", id);
        start.Stderr.Should().Contain("level=warning").And.Contain("error running poststart hook #0: exit status 1");
        State(id).Status.Should().Be("running");
    }

    [Test]
    public void A_hook_with_env_gets_exactly_that_environment()
    {
        var id = NewId();
        var bundle = Bundle(id, c =>
        {
            var hook = HostHook("prestart", $"env | sort > {log}.env");
            hook.Env = ["ONLY=this"];
            c.Hooks = new Hooks { Prestart = [hook] };
        });
        RuncsOk("create", "--bundle", bundle.Dir, id);
        File.ReadAllLines(log + ".env").Where(l => !l.StartsWith("PWD=") && !l.StartsWith("SHLVL=") && !l.StartsWith("_=")).Should().Equal("ONLY=this");
    }
}
