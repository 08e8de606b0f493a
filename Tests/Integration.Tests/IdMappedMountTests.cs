using System.Text.Json;
using Runcs.Integration.Tests.Support;
using Runcs.Spec;

namespace Runcs.Integration.Tests;

/// <summary>
/// Id-mapped bind mounts (mounts[].uidMappings and gidMappings, the "idmap" and "ridmap" options): file owners
/// on disk are translated through the mount's mapping, in both directions, as the container sees them.
/// </summary>
public class IdMappedMountTests : ContainerTest
{
    private static LinuxIdMapping[] Map(uint containerId, uint hostId, uint size) =>
        [new LinuxIdMapping { ContainerId = containerId, HostId = hostId, Size = size }];

    /// <summary>A host directory holding files owned by the given ids.</summary>
    private string HostDirectory(string name, params (string File, int Uid)[] files)
    {
        var dir = Path.Combine(TestDir, name);
        Directory.CreateDirectory(dir);
        foreach (var (file, uid) in files)
        {
            File.WriteAllText(Path.Combine(dir, file), file + "\n");
            Chown(Path.Combine(dir, file), uid);
        }
        return dir;
    }

    private static void Chown(string path, int uid) =>
        ProcessRunner.Run("chown", [$"{uid}:{uid}", path]).ExitCode.Should().Be(0);

    /// <summary>runcs' log line quotes the message, escaping its quotes.</summary>
    private static string Unquoted(string stderr) => stderr.Replace("\\\"", "\"");

    private static string OwnerOnHost(string path) => ProcessRunner.Run("stat", ["-c", "%u:%g", path]).Stdout.Trim();

    [Test]
    public void Container_root_writes_as_the_mapped_host_id_and_host_owners_show_through_the_mapping()
    {
        // On disk 1000..1099 is 0..99 at the destination: the mapping reads "source file system id -> id in the mount".
        var data = HostDirectory("data", ("owned-by-1000", 1000), ("owned-by-1005", 1005), ("owned-by-2000", 2000));
        Chown(data, 1000);
        var output = RunContainer(c =>
        {
            c.Mounts!.Add(new Mount
            {
                Destination = "/data", Type = "bind", Source = data, Options = ["rbind"],
                UidMappings = [.. Map(1000, 0, 100)], GidMappings = [.. Map(1000, 0, 100)],
            });
            foreach (var set in new[] { c.Process!.Capabilities!.Bounding!, c.Process.Capabilities.Effective!, c.Process.Capabilities.Permitted! })
                set.Add("CAP_CHOWN");
            c.Process.Args = ["sh", "-c", string.Join("; ",
                "stat -c '%n %u:%g' /data/owned-by-1000 /data/owned-by-1005 /data/owned-by-2000",
                "touch /data/made-by-root", "touch /data/made-by-five && chown 5:5 /data/made-by-five",
                "grep -c ' /data .*idmapped' /proc/self/mountinfo")];
        });
        output.ExitCode.Should().Be(0, output.ToString());
        output.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Should().Equal(
            "/data/owned-by-1000 0:0", "/data/owned-by-1005 5:5", "/data/owned-by-2000 65534:65534", "1");
        OwnerOnHost(Path.Combine(data, "made-by-root")).Should().Be("1000:1000", "container root is on-disk 1000 through the mount");
        OwnerOnHost(Path.Combine(data, "made-by-five")).Should().Be("1005:1005");
    }

    /// <summary>
    /// The usual use in a user namespace: container root is host uid 100000, and files on disk owned by 0 and 1000
    /// (an unshifted volume) are 0 and 1000 inside, writable by the container's root. A plain bind of the same
    /// directory shows them as nobody and refuses the write.
    /// </summary>
    [TestCase("mappings")]
    [TestCase("idmap option")]
    public void In_a_user_namespace_an_unshifted_volume_is_usable_by_the_mapped_root(string how)
    {
        var volume = HostDirectory("volume", ("root-file", 0), ("user-file", 1000));
        var id = NewId();
        var bundle = Bundle(id, c =>
        {
            c.Linux!.Namespaces!.Add(new LinuxNamespace { Type = "user" });
            c.Linux.UidMappings = [.. Map(0, 100000, 65536)];
            c.Linux.GidMappings = [.. Map(0, 100000, 65536)];
            c.Mounts!.Add(how == "mappings"
                ? new Mount { Destination = "/volume", Type = "bind", Source = volume, Options = ["rbind"], UidMappings = [.. Map(0, 100000, 65536)], GidMappings = [.. Map(0, 100000, 65536)] }
                : new Mount { Destination = "/volume", Type = "bind", Source = volume, Options = ["rbind", "idmap"] });
            c.Mounts.Add(new Mount { Destination = "/plain", Type = "bind", Source = volume, Options = ["rbind"] });
            c.Process!.Args = ["sh", "-c", string.Join("; ",
                "stat -c '%n %u' /volume/root-file /volume/user-file /plain/root-file",
                "touch /volume/new && echo written", "touch /plain/other 2>/dev/null || echo refused")];
        });
        // The rootfs belongs to the host's root, so the mapped root cannot make the mount points itself.
        Directory.CreateDirectory(Path.Combine(bundle.Rootfs, "volume"));
        Directory.CreateDirectory(Path.Combine(bundle.Rootfs, "plain"));
        var output = Runcs("run", "--bundle", bundle.Dir, id);
        output.ExitCode.Should().Be(0, output.ToString());
        output.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Should().Equal(
            "/volume/root-file 0", "/volume/user-file 1000", "/plain/root-file 65534", "written", "refused");
        OwnerOnHost(Path.Combine(volume, "new")).Should().Be("0:0", "container root is on-disk 0 through the mount");
        File.Exists(Path.Combine(volume, "other")).Should().BeFalse();
    }

    /// <summary>"idmap" alone in a container that joins another's user namespace takes that namespace's mapping.</summary>
    [Test]
    public void Idmap_without_mappings_takes_a_joined_user_namespace()
    {
        var volume = HostDirectory("volume", ("root-file", 0));
        var owner = NewId("owner");
        var ownerBundle = Bundle(owner, c =>
        {
            c.Linux!.Namespaces!.Add(new LinuxNamespace { Type = "user" });
            c.Linux.UidMappings = [.. Map(0, 300000, 65536)];
            c.Linux.GidMappings = [.. Map(0, 300000, 65536)];
            c.Process!.Args = ["sleep", "1000"];
        });
        RuncsOk("run", "-d", "--bundle", ownerBundle.Dir, owner);
        var ownerPid = State(owner).Pid;

        var id = NewId();
        var bundle = Bundle(id, c =>
        {
            c.Linux!.Namespaces!.Add(new LinuxNamespace { Type = "user", Path = $"/proc/{ownerPid}/ns/user" });
            c.Mounts!.Add(new Mount { Destination = "/volume", Type = "bind", Source = volume, Options = ["rbind", "idmap"] });
            c.Process!.Args = ["sh", "-c", "stat -c %u /volume/root-file; touch /volume/new && echo written"];
        });
        Directory.CreateDirectory(Path.Combine(bundle.Rootfs, "volume"));
        var output = Runcs("run", "--bundle", bundle.Dir, id);
        output.ExitCode.Should().Be(0, output.ToString());
        output.Stdout.Should().Be("0\nwritten\n");
        OwnerOnHost(Path.Combine(volume, "new")).Should().Be("0:0");
    }

    [Test]
    public void Idmap_maps_the_top_of_an_rbind_tree_and_ridmap_every_mount_of_it()
    {
        var tree = HostDirectory("tree");
        var sub = Path.Combine(tree, "sub");
        Directory.CreateDirectory(sub);
        ProcessRunner.Run("mount", ["-t", "tmpfs", "tmpfs", sub]).ExitCode.Should().Be(0);
        try
        {
            foreach (var (option, expected) in new[] { ("idmap", "1 0"), ("ridmap", "1 1") })
            {
                var output = RunContainer(c =>
                {
                    c.Linux!.Namespaces!.Add(new LinuxNamespace { Type = "user" });
                    c.Linux.UidMappings = [.. Map(0, 100000, 65536)];
                    c.Linux.GidMappings = [.. Map(0, 100000, 65536)];
                    c.Mounts!.Add(new Mount { Destination = "/tmp/tree", Type = "bind", Source = tree, Options = ["rbind", option] });
                    c.Mounts.Insert(0, new Mount { Destination = "/tmp", Type = "tmpfs", Source = "tmpfs" });
                    c.Process!.Args = ["sh", "-c", "echo $(grep -c ' /tmp/tree .*idmapped' /proc/self/mountinfo) $(grep -c ' /tmp/tree/sub .*idmapped' /proc/self/mountinfo)"];
                });
                output.Stdout.Should().Be(expected + "\n", $"{option}: {output}");
            }
        }
        finally
        {
            ProcessRunner.Run("umount", [sub]);
        }
    }

    /// <summary>ramfs cannot be id-mapped: the kernel's EINVAL becomes an error naming the mount, and nothing is left.</summary>
    [Test]
    public void A_file_system_without_id_mapping_is_refused_naming_the_mount_and_leaves_nothing()
    {
        var ramfs = HostDirectory("ramfs");
        ProcessRunner.Run("mount", ["-t", "ramfs", "ramfs", ramfs]).ExitCode.Should().Be(0);
        try
        {
            // A mapping no other process on the host has, to find a helper that outlived the create.
            var id = NewId();
            var bundle = Bundle(id, c => c.Mounts!.Add(new Mount
            {
                Destination = "/data", Type = "bind", Source = ramfs, Options = ["rbind"],
                UidMappings = [.. Map(0, 424242, 7)], GidMappings = [.. Map(0, 424242, 7)],
            }));
            var result = Runcs("create", "--bundle", bundle.Dir, id);
            result.ExitCode.Should().Be(1, result.ToString());
            Unquoted(result.Stderr).Trim().Split('\n').Should().ContainSingle().Which.Should().Contain(
                $"mounts[7].uidMappings: the file system of \"{ramfs}\" does not support id-mapped mounts on this kernel");
            ProcessesWithUidMap("424242").Should().BeEmpty("the helper that held the mapping is gone");
        }
        finally
        {
            ProcessRunner.Run("umount", [ramfs]);
        }
    }

    [Test]
    public void A_missing_source_names_the_mount()
    {
        var id = NewId();
        var bundle = Bundle(id, c => c.Mounts!.Add(new Mount
        {
            Destination = "/data", Type = "bind", Source = "/nonexistent-" + id, Options = ["bind"],
            UidMappings = [.. Map(0, 100000, 10)], GidMappings = [.. Map(0, 100000, 10)],
        }));
        var result = Runcs("create", "--bundle", bundle.Dir, id);
        result.ExitCode.Should().Be(1);
        Unquoted(result.Stderr).Should().Contain($"mounts[7]: id-mapped mount of \"/nonexistent-{id}\": no such file or directory");
    }

    [Test]
    public void Features_report_id_mapped_mounts_and_their_options()
    {
        var features = JsonSerializer.Deserialize(RuncsOk("features").Stdout, SpecJsonContext.Default.Features)!;
        features.Linux!.MountExtensions!.Idmap!.Enabled.Should().BeTrue("this kernel has MOUNT_ATTR_IDMAP");
        features.MountOptions.Should().Contain(["idmap", "ridmap"]);
    }

    /// <summary>Host pids whose user namespace maps uids to hostId.</summary>
    private static IEnumerable<int> ProcessesWithUidMap(string hostId)
    {
        foreach (var dir in Directory.GetDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out var pid))
                continue;
            string map;
            try
            {
                map = File.ReadAllText(Path.Combine(dir, "uid_map"));
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                continue;
            }
            if (map.Split(' ', StringSplitOptions.RemoveEmptyEntries).ElementAtOrDefault(1) == hostId)
                yield return pid;
        }
    }
}
