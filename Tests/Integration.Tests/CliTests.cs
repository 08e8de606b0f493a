using System.Text.Json;
using Runcs.Integration.Tests.Support;
using Runcs.Spec;

namespace Runcs.Integration.Tests;

/// <summary>runc's command line: global flags, help, version, logging, spec and features.</summary>
public class CliTests : ContainerTest
{
    [Test]
    public void Version_prints_runcs_and_the_spec_version()
    {
        var result = RuncsOk("--version");
        result.Stdout.Should().MatchRegex(@"^runcs version \d+\.\d+\.\d+\nspec: 1\.3\.0\n$");
    }

    [Test]
    public void Help_lists_the_commands_runcs_has()
    {
        var help = RuncsOk("--help").Stdout;
        foreach (var command in new[] { "create", "start", "run", "state", "kill", "delete", "list", "spec", "features" })
            help.Should().Contain($"   {command} ");
    }

    [Test]
    public void An_unknown_command_exits_3_like_runc()
    {
        var result = Runcs("frobnicate");
        result.ExitCode.Should().Be(3);
        result.Stderr.Should().Contain("No help topic for 'frobnicate'");
    }

    [Test]
    public void Wrong_argument_counts_are_usage_errors()
    {
        var result = Runcs("state");
        result.ExitCode.Should().Be(1);
        result.Stderr.Should().Contain("runcs: \\\"state\\\" requires exactly 1 argument(s)");
    }

    [Test]
    public void Global_flags_take_one_or_two_dashes_and_booleans_take_values()
    {
        var id = NewId();
        var bundle = Bundle(id, c => c.Process!.Args = ["sleep", "100"]);
        ProcessRunner.Run(Paths.Runcs, ["-root", StateRoot, "create", "-bundle", bundle.Dir, id]).ExitCode.Should().Be(0);
        ProcessRunner.Run(Paths.Runcs, ["--root=" + StateRoot, "--debug=false", "state", id]).Stdout.Should().Contain("\"created\"");
        ProcessRunner.Run(Paths.Runcs, ["--root", StateRoot, "delete", "--force=true", id]).ExitCode.Should().Be(0);
        Runcs("state", id).ExitCode.Should().Be(1);
    }

    [Test]
    public void Errors_go_to_the_log_file_as_json_lines_and_bare_to_stderr()
    {
        var log = Path.Combine(TestDir, "log.json");
        var result = ProcessRunner.Run(Paths.Runcs, ["--root", StateRoot, "--log", log, "--log-format", "json", "state", "nope"]);
        result.ExitCode.Should().Be(1);
        result.Stderr.Should().Be("container does not exist\n");
        using var line = JsonDocument.Parse(File.ReadAllLines(log).Last());
        line.RootElement.EnumerateObject().Select(p => p.Name).Should().Equal("level", "msg", "time");
        line.RootElement.GetProperty("level").GetString().Should().Be("error");
        line.RootElement.GetProperty("msg").GetString().Should().Be("container does not exist");
        DateTime.Parse(line.RootElement.GetProperty("time").GetString()!).Should().BeCloseTo(DateTime.Now, TimeSpan.FromMinutes(1));
    }

    [Test]
    public void Without_a_log_file_errors_are_logrus_text_lines_on_stderr()
    {
        Runcs("state", "nope").Stderr.Should().MatchRegex("^time=\"[0-9T:-]+Z\" level=error msg=\"container does not exist\"\n$");
    }

    [Test]
    public void The_systemd_cgroup_driver_is_refused_clearly()
    {
        var id = NewId();
        var bundle = Bundle(id);
        var result = ProcessRunner.Run(Paths.Runcs, ["--root", StateRoot, "--systemd-cgroup", "create", "--bundle", bundle.Dir, id]);
        result.ExitCode.Should().Be(1);
        result.Stderr.Should().Contain("systemd cgroup driver is not supported");
    }

    [Test]
    public void Spec_writes_runcs_example_and_refuses_to_overwrite()
    {
        var dir = Path.Combine(TestDir, "spec");
        Directory.CreateDirectory(dir);
        RuncsOk("spec", "--bundle", dir);
        var text = File.ReadAllText(Path.Combine(dir, "config.json"));
        text.Should().StartWith("{\n\t\"ociVersion\": \"1.3.0\"").And.EndWith("}");
        var config = SpecReader.ReadConfig(Path.Combine(dir, "config.json"));
        ConfigValidator.Validate(config).Should().BeEmpty();
        config.Process!.Args.Should().Equal("sh");

        var again = Runcs("spec", "--bundle", dir);
        again.ExitCode.Should().Be(1);
        again.Stderr.Should().Contain("File config.json exists. Remove it first");

        var rootless = Path.Combine(TestDir, "rootless");
        Directory.CreateDirectory(rootless);
        RuncsOk("spec", "--rootless", "--bundle", rootless);
        SpecReader.ReadConfig(Path.Combine(rootless, "config.json")).Linux!.Namespaces!.Select(n => n.Type).Should().Contain("user").And.NotContain("network");
    }

    [Test]
    public void Features_describes_what_runcs_implements()
    {
        var json = RuncsOk("features").Stdout;
        json.Should().StartWith("{\n    \"ociVersionMin\": \"1.0.0\"");
        var features = JsonSerializer.Deserialize(json, SpecJsonContext.Default.Features)!;
        features.OciVersionMax.Should().Be("1.3.0");
        features.Hooks.Should().Equal("prestart", "createRuntime", "createContainer", "startContainer", "poststart", "poststop");
        features.Linux!.Namespaces.Should().BeEquivalentTo("cgroup", "ipc", "mount", "network", "pid", "time", "user", "uts");
        features.MountOptions.Should().Contain(["ro", "rbind", "nosuid", "rslave", "tmpcopyup"]);
        features.Linux.Cgroup!.Systemd.Should().BeFalse();
        // The spec's "compiled in", not whether this host runs AppArmor or SELinux (this one runs neither).
        features.Linux.Apparmor!.Enabled.Should().BeTrue();
        features.Linux.Selinux!.Enabled.Should().BeTrue();
    }

    [Test]
    public void List_shows_containers_as_a_table_as_json_and_quietly()
    {
        RuncsOk("list", "--format", "json").Stdout.Should().Be("null\n");
        RuncsOk("list").Stdout.Should().Be("ID          PID         STATUS      BUNDLE      CREATED     OWNER\n");
        var id = NewId();
        var bundle = Bundle(id, c => c.Process!.Args = ["sleep", "100"]);
        RuncsOk("create", "--bundle", bundle.Dir, id);
        RuncsOk("list", "-q").Stdout.Should().Be(id + "\n");
        var table = RuncsOk("list").Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        table[1].Should().MatchRegex($"^{id} +[0-9]+ +created +{bundle.Dir} +[0-9T:.-]+Z +root$");
        var json = JsonDocument.Parse(RuncsOk("list", "-f", "json").Stdout);
        json.RootElement[0].GetProperty("id").GetString().Should().Be(id);
        json.RootElement[0].GetProperty("status").GetString().Should().Be("created");
    }
}
