using System.Text.Json;
using Runcs.Integration.Tests.Support;
using Runcs.Spec;

namespace Runcs.Integration.Tests;

/// <summary>
/// Bad input gets one clear line on stderr naming the file or field, a
/// non-zero exit, and leaves nothing behind (the base class checks for state
/// directories, cgroups, mounts and processes after each test).
/// </summary>
public class BadInputTests : ContainerTest
{
    private CommandResult CreateFails(TestBundle bundle, string id, string expected)
    {
        var result = Runcs("create", "--bundle", bundle.Dir, id);
        result.ExitCode.Should().NotBe(0, result.ToString());
        var lines = result.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        lines.Should().ContainSingle(result.ToString());
        lines[0].Should().Contain("level=error").And.Contain(expected);
        Runcs("state", id).Stderr.Should().Contain("container does not exist");

        // With --log, the same line goes to the log as JSON (what containerd reads) and bare to stderr.
        var log = Path.Combine(TestDir, $"create-{Guid.NewGuid():N}.log");
        var logged = Runcs("--log", log, "--log-format", "json", "create", "--bundle", bundle.Dir, id);
        logged.ExitCode.Should().Be(result.ExitCode);
        logged.Stderr.Should().Contain(JsonUnescaped(expected), "the bare message");
        var last = JsonDocument.Parse(File.ReadLines(log).Last()).RootElement;
        last.GetProperty("level").GetString().Should().Be("error");
        last.GetProperty("msg").GetString().Should().Contain(JsonUnescaped(expected));
        Runcs("state", id).Stderr.Should().Contain("container does not exist");
        return result;
    }

    /// <summary>The message as it reads unquoted (in JSON, or bare): the text-format line escapes a quote as \".</summary>
    private static string JsonUnescaped(string expected) => expected.Replace("\\\"", "\"");

    [Test]
    public void A_missing_bundle_directory()
    {
        var id = NewId();
        var result = Runcs("create", "--bundle", Path.Combine(TestDir, "nope"), id);
        result.ExitCode.Should().Be(1);
        result.Stderr.Should().Contain($"bundle {Path.Combine(TestDir, "nope")}: no such directory");
    }

    [Test]
    public void A_bundle_without_a_readable_config()
    {
        var id = NewId();
        var bundle = Bundle(id);
        File.Delete(bundle.ConfigPath);
        CreateFails(bundle, id, $"{bundle.ConfigPath}: no such file or directory");
        Directory.CreateDirectory(bundle.ConfigPath);
        CreateFails(bundle, id, $"{bundle.ConfigPath}: is a directory");
    }

    [Test]
    public void Invalid_json()
    {
        var id = NewId();
        var bundle = Bundle(id);
        File.WriteAllText(bundle.ConfigPath, "{\n  \"ociVersion\": \"1.0.0\",\n  oops\n}");
        CreateFails(bundle, id, $"{bundle.ConfigPath}: invalid JSON at line 3");
    }

    [Test]
    public void A_wrong_type_at_any_depth_names_the_json_path()
    {
        var id = NewId();
        var bundle = Bundle(id);
        var text = File.ReadAllText(bundle.ConfigPath);
        File.WriteAllText(bundle.ConfigPath, text.Replace("\"type\": \"pid\"", "\"type\": 5"));
        CreateFails(bundle, id, "linux.namespaces[0].type: expected string");
        File.WriteAllText(bundle.ConfigPath, text.Replace("\"hard\": 1024", "\"hard\": \"lots\""));
        CreateFails(bundle, id, "process.rlimits[0].hard: expected unsigned 64-bit integer");
    }

    [Test]
    public void An_unknown_namespace_type()
    {
        var id = NewId();
        var bundle = Bundle(id, c => c.Linux!.Namespaces![2].Type = "pidd");
        CreateFails(bundle, id, "linux.namespaces[2].type: unknown namespace type \\\"pidd\\\"");
    }

    [Test]
    public void A_nonexistent_rootfs()
    {
        var id = NewId();
        var bundle = Bundle(id, c => c.Root!.Path = "no-such-rootfs");
        CreateFails(bundle, id, $"invalid rootfs: stat {bundle.Dir}/no-such-rootfs: no such file or directory");
    }

    [Test]
    public void An_unsupported_oci_version()
    {
        var id = NewId();
        var bundle = Bundle(id, c => c.OciVersion = "2.0.0");
        CreateFails(bundle, id, "ociVersion");
    }

    [Test]
    public void A_mount_that_cannot_be_made_undoes_the_whole_create()
    {
        var id = NewId();
        var bundle = Bundle(id, c => c.Mounts!.Add(new Mount { Destination = "/data", Type = "bind", Source = "/no/such/source", Options = ["bind"] }));
        CreateFails(bundle, id, "mounts[7]: mount \\\"/no/such/source\\\" on \\\"/data\\\": no such file or directory");
    }

    [Test]
    public void A_duplicate_id_is_refused_and_the_first_container_is_untouched()
    {
        var id = NewId();
        var bundle = Bundle(id, c => c.Process!.Args = ["sleep", "100"]);
        RuncsOk("create", "--bundle", bundle.Dir, id);
        var again = Runcs("create", "--bundle", bundle.Dir, id);
        again.ExitCode.Should().Be(1);
        again.Stderr.Should().Contain("container with given ID already exists");
        State(id).Status.Should().Be("created");
    }

    /// <summary>Operations on one id are serialised by a lock: of eight creates at once, one wins.</summary>
    [Test]
    public void Eight_creates_of_one_id_at_once_make_one_container_and_seven_clear_refusals()
    {
        var id = NewId();
        var bundle = Bundle(id, c => c.Process!.Args = ["sleep", "100"]);
        var results = Enumerable.Range(0, 8)
            .Select(_ => System.Threading.Tasks.Task.Run(() => Runcs("create", "--bundle", bundle.Dir, id)))
            .ToArray().Select(t => t.Result).ToList();
        results.Count(r => r.ExitCode == 0).Should().Be(1, string.Join("\n", results));
        results.Where(r => r.ExitCode != 0).Should().OnlyContain(r => r.Stderr.Contains("container with given ID already exists"));
        State(id).Status.Should().Be("created");

        // And deletes at once: one removes it, the others find nothing to do (--force), none fails.
        var deletes = Enumerable.Range(0, 6)
            .Select(_ => System.Threading.Tasks.Task.Run(() => Runcs("delete", "--force", id)))
            .ToArray().Select(t => t.Result).ToList();
        deletes.Should().OnlyContain(r => r.ExitCode == 0);
        Runcs("state", id).Stderr.Should().Contain("container does not exist");
    }

    [Test]
    public void Unknown_ids_get_runcs_does_not_exist()
    {
        foreach (var command in new[] { "state", "start", "kill", "delete" })
        {
            var result = Runcs(command, "no-such-container");
            result.ExitCode.Should().Be(1);
            result.Stderr.Should().Contain("container does not exist");
        }
        RuncsOk("delete", "--force", "no-such-container");
    }

    [Test]
    public void An_invalid_id_is_refused()
    {
        var id = NewId();
        var bundle = Bundle(id);
        foreach (var bad in new[] { "a/b", "..", "with space" })
        {
            var result = Runcs("create", "--bundle", bundle.Dir, bad);
            result.ExitCode.Should().Be(1);
            result.Stderr.Should().Contain("invalid container id format");
        }
    }

    [Test]
    public void Illegal_state_transitions_are_refused_with_runcs_words()
    {
        var id = NewId();
        var bundle = Bundle(id, c => c.Process!.Args = ["sleep", "100"]);
        RuncsOk("run", "-d", "--bundle", bundle.Dir, id);
        Runcs("start", id).Stderr.Should().Contain("cannot start an already running container");
        RuncsOk("kill", id, "KILL");
        WaitForStatus(id, "stopped");
        Runcs("start", id).Stderr.Should().Contain("cannot start a container that has stopped");
        var kill = Runcs("kill", id, "KILL");
        kill.ExitCode.Should().Be(1);
        kill.Stderr.Should().Contain("container not running");
    }

    [Test]
    public void A_terminal_without_a_console_socket_is_refused()
    {
        var id = NewId();
        var bundle = Bundle(id, c => c.Process!.Terminal = true);
        CreateFails(bundle, id, "cannot allocate tty if runcs will detach without setting console socket");
    }

    [Test]
    public void An_rlimit_above_the_hard_limit_the_runtime_holds_fails_naming_it()
    {
        var id = NewId();
        var bundle = Bundle(id, c => c.Process!.Rlimits = [new PosixRlimit { Type = "RLIMIT_NOFILE", Soft = 1 << 30, Hard = 1 << 30 }]);
        CreateFails(bundle, id, "process.rlimits[0]: RLIMIT_NOFILE hard limit");
    }
}
