using Runcs.Integration.Tests.Support;
using Runcs.Spec;
using KnownCapabilities = Runcs.Spec.Capabilities;

namespace Runcs.Integration.Tests;

/// <summary>A container in its own user namespace: root inside is an unprivileged uid outside.</summary>
public class UserNamespaceTests : ContainerTest
{
    private static void MapRootTo(Config c, uint hostId)
    {
        c.Linux!.Namespaces!.Add(new LinuxNamespace { Type = "user" });
        c.Linux.UidMappings = [new LinuxIdMapping { ContainerId = 0, HostId = hostId, Size = 65536 }];
        c.Linux.GidMappings = [new LinuxIdMapping { ContainerId = 0, HostId = hostId, Size = 65536 }];
    }

    [Test]
    public void Container_root_cannot_touch_host_owned_files()
    {
        var hostDir = Path.Combine(TestDir, "host-owned");
        Directory.CreateDirectory(hostDir);
        File.WriteAllText(Path.Combine(hostDir, "secret"), "host\n");
        File.SetUnixFileMode(Path.Combine(hostDir, "secret"), (UnixFileMode)0x1a4 /* 0644 */);

        var id = NewId();
        var bundle = Bundle(id, c =>
        {
            MapRootTo(c, 200000);
            c.Mounts!.Add(new Mount { Destination = "/host", Type = "bind", Source = hostDir, Options = ["rbind"] });
            c.Process!.Capabilities!.Bounding = [.. KnownCapabilities.Known.Keys];
            c.Process.Capabilities.Effective = [.. KnownCapabilities.Known.Keys];
            c.Process.Capabilities.Permitted = [.. KnownCapabilities.Known.Keys];
            c.Process.Args = ["sh", "-c", string.Join("; ",
                "id -u", "stat -c %u /host/secret",
                "echo x >> /host/secret 2>/dev/null && echo appended",
                "chown 0 /host/secret 2>/dev/null && echo chowned",
                "rm /host/secret 2>/dev/null && echo removed",
                "touch /host/new 2>/dev/null && echo created", "echo done")];
        });
        // The rootfs belongs to the host's root, so the mapped root cannot make the mount point itself.
        Directory.CreateDirectory(Path.Combine(bundle.Rootfs, "host"));
        var output = Runcs("run", "--bundle", bundle.Dir, id);
        output.ExitCode.Should().Be(0, output.ToString());
        output.Stdout.Should().Be("0\n65534\ndone\n", "root inside owns nothing outside, even with every capability:\n" + output);
        File.ReadAllText(Path.Combine(hostDir, "secret")).Should().Be("host\n");
    }

    /// <summary>runcs run through setpriv, with CAP_SETGID gone from the bounding set (so from the runtime's effective set).</summary>
    private CommandResult RuncsWithoutCapSetgid(params string[] args) =>
        ProcessRunner.Run("setpriv", ["--bounding-set=-setgid", Paths.Runcs, "--root", StateRoot, .. args]);

    [Test]
    public void A_runtime_with_cap_setgid_leaves_setgroups_allowed_so_the_process_gets_its_groups()
    {
        var output = RunContainer(c =>
        {
            MapRootTo(c, 200000);
            c.Process!.User = new User { Uid = 0, Gid = 0, AdditionalGids = [5, 6] };
            c.Process.Args = ["sh", "-c", "cat /proc/self/setgroups; id -G"];
        });
        output.ExitCode.Should().Be(0, output.ToString());
        output.Stdout.Should().Be("allow\n0 5 6\n", "runc denies setgroups only where the kernel demands it");
    }

    /// <summary>
    /// Without CAP_SETGID the kernel takes a gid_map only of the writer's own gid, and only after "deny" is
    /// written to setgroups: the container runs, exec into it too, and neither calls setgroups(2).
    /// </summary>
    [Test]
    public void Without_cap_setgid_setgroups_is_denied_before_the_runtimes_own_gid_is_mapped()
    {
        var id = NewId();
        var bundle = Bundle(id, c =>
        {
            MapRootTo(c, 200000);
            c.Linux!.GidMappings = [new LinuxIdMapping { ContainerId = 0, HostId = 0, Size = 1 }];
            // gid 5 (tty) is not mapped: devpts without it, as `runc spec --rootless` writes it.
            c.Mounts!.First(m => m.Type == "devpts").Options!.Remove("gid=5");
            c.Process!.Args = ["sleep", "1000"];
        });
        var run = RuncsWithoutCapSetgid("run", "-d", "--bundle", bundle.Dir, id);
        run.ExitCode.Should().Be(0, run.ToString());
        RuncsOk("exec", id, "sh", "-c", "cat /proc/self/setgroups; tr -s ' ' < /proc/self/gid_map; id -u; id -g").Stdout
            .Should().Be("deny\n 0 0 1\n0\n0\n");
        var groups = Runcs("exec", "--additional-gids", "5", id, "true");
        groups.ExitCode.Should().Be(255);
        groups.Stderr.Should().Contain("process.user.additionalGids: cannot set additional groups: setgroups is denied");
    }

    [Test]
    public void Without_cap_setgid_a_gid_range_is_refused_naming_the_field_before_anything_is_made()
    {
        var id = NewId();
        var bundle = Bundle(id, c => MapRootTo(c, 200000));
        var result = RuncsWithoutCapSetgid("create", "--bundle", bundle.Dir, id);
        result.ExitCode.Should().Be(1);
        result.Stderr.Should().Contain("linux.gidMappings: the runtime lacks CAP_SETGID, so it can map only its own gid (0) as a single id");
    }

    [Test]
    public void A_malformed_mapping_is_refused_before_anything_is_made()
    {
        var id = NewId();
        var bundle = Bundle(id, c =>
        {
            MapRootTo(c, 100000);
            c.Linux!.UidMappings![0].Size = 0;
        });
        var result = Runcs("create", "--bundle", bundle.Dir, id);
        result.ExitCode.Should().Be(1);
        result.Stderr.Should().Contain("linux.uidMappings[0].size");
    }
}
