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
