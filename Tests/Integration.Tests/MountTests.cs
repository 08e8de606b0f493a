using Runcs.Integration.Tests.Support;
using Runcs.Spec;

namespace Runcs.Integration.Tests;

/// <summary>The container's filesystem: mounts, /dev, masked and read-only paths, pivot_root.</summary>
public class MountTests : ContainerTest
{
    [Test]
    public void Mounts_are_made_in_config_order_with_their_options()
    {
        var output = RunContainer(c =>
        {
            c.Mounts!.Add(new Mount { Destination = "/scratch", Type = "tmpfs", Source = "tmpfs", Options = ["nosuid", "nodev", "noexec", "size=1m", "mode=700"] });
            c.Mounts.Add(new Mount { Destination = "/scratch/inner", Type = "tmpfs", Source = "tmpfs", Options = ["ro"] });
            c.Process!.Args = ["sh", "-c", "grep -E ' /scratch(/inner)? ' /proc/self/mountinfo"];
        });
        output.ExitCode.Should().Be(0, output.ToString());
        var lines = output.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        lines.Should().HaveCount(2);
        lines[0].Should().Contain(" /scratch rw,nosuid,nodev,noexec").And.Contain("size=1024k").And.Contain("mode=700");
        lines[1].Should().Contain(" /scratch/inner ro");
    }

    /// <summary>runc's tmpcopyup (podman asks for it on --tmpfs): the tmpfs starts with a copy of what the directory held.</summary>
    [Test]
    public void Tmpcopyup_starts_a_tmpfs_with_a_copy_of_the_directory_below_it()
    {
        var id = NewId();
        var bundle = Bundle(id, c =>
        {
            c.Root!.Readonly = false;
            c.Mounts!.Add(new Mount { Destination = "/opt/seed", Type = "tmpfs", Source = "tmpfs", Options = ["tmpcopyup", "mode=755"] });
            c.Mounts.Add(new Mount { Destination = "/opt/seed-ro", Type = "tmpfs", Source = "tmpfs", Options = ["tmpcopyup", "ro"] });
            c.Process!.Args = ["sh", "-c",
                "stat -c '%a %u:%g' /opt/seed/a.txt; cat /opt/seed/a.txt; echo; readlink /opt/seed/sub/link; stat -c %F /opt/seed/sub/fifo; " +
                "grep -c ' /opt/seed rw.* - tmpfs ' /proc/self/mountinfo; echo new > /opt/seed/new; " +
                "cat /opt/seed-ro/a.txt; echo; touch /opt/seed-ro/x 2>&1 | grep -c 'Read-only'"];
        });
        foreach (var dir in new[] { "seed", "seed-ro" })
        {
            var seed = Path.Combine(bundle.Rootfs, "opt", dir);
            Directory.CreateDirectory(Path.Combine(seed, "sub"));
            var file = Path.Combine(seed, "a.txt");
            File.WriteAllText(file, "from the image");
            File.SetUnixFileMode(file, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
            ProcessRunner.Run("chown", ["1000:1000", file]).ExitCode.Should().Be(0);
            File.CreateSymbolicLink(Path.Combine(seed, "sub", "link"), "../a.txt");
            ProcessRunner.Run("mkfifo", [Path.Combine(seed, "sub", "fifo")]).ExitCode.Should().Be(0);
        }

        var output = Runcs("run", "--bundle", bundle.Dir, id);
        output.ExitCode.Should().Be(0, output.ToString());
        output.Stdout.Should().Be("644 1000:1000\nfrom the image\n../a.txt\nfifo\n1\nfrom the image\n1\n");
        File.Exists(Path.Combine(bundle.Rootfs, "opt", "seed", "new")).Should().BeFalse("writes go to the tmpfs, not the image");
    }

    [Test]
    public void A_read_only_bind_mount_shows_host_files_and_refuses_writes()
    {
        var shared = Path.Combine(TestDir, "shared");
        Directory.CreateDirectory(shared);
        File.WriteAllText(Path.Combine(shared, "hello.txt"), "from the host");
        var file = Path.Combine(TestDir, "single");
        File.WriteAllText(file, "one file");
        var output = RunContainer(c =>
        {
            c.Mounts!.Add(new Mount { Destination = "/mnt/shared", Type = "bind", Source = shared, Options = ["rbind", "ro"] });
            c.Mounts.Add(new Mount { Destination = "/etc/single", Source = file, Options = ["bind"] });
            c.Process!.Args = ["sh", "-c", "cat /mnt/shared/hello.txt; echo; cat /etc/single; echo; touch /mnt/shared/x 2>&1; echo written > /etc/single; cat /etc/single"];
        });
        output.Stdout.Should().StartWith("from the host\none file\n");
        output.Stdout.Should().Contain("Read-only file system");
        File.ReadAllText(file).Should().Be("written\n", "the file bind mount is writable");
        File.Exists(Path.Combine(shared, "x")).Should().BeFalse();
    }

    [Test]
    public void Recursive_options_reach_every_mount_of_a_bound_tree()
    {
        var tree = Path.Combine(TestDir, "tree");
        Directory.CreateDirectory(Path.Combine(tree, "sub"));
        ProcessRunner.Run("mount", ["-t", "tmpfs", "tmpfs", Path.Combine(tree, "sub")]).ExitCode.Should().Be(0);
        try
        {
            var output = RunContainer(c =>
            {
                c.Mounts!.Add(new Mount { Destination = "/tree", Type = "bind", Source = tree, Options = ["rbind", "rro", "rnosuid"] });
                c.Process!.Args = ["sh", "-c", "grep -E ' /tree(/sub)? ' /proc/self/mountinfo | cut -d' ' -f5,6"];
            });
            output.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Should().Equal("/tree ro,nosuid,relatime", "/tree/sub ro,nosuid,relatime");
        }
        finally
        {
            ProcessRunner.Run("umount", [Path.Combine(tree, "sub")]);
        }
    }

    [Test]
    public void Dev_has_the_default_devices_symlinks_and_configured_devices()
    {
        var output = RunContainer(c =>
        {
            c.Linux!.Devices = [new LinuxDevice { Path = "/dev/fuse", Type = "c", Major = 10, Minor = 229, FileMode = 0x1b6 }];
            c.Process!.Args = ["sh", "-c", "for d in null zero full random urandom tty fuse; do stat -c '%n %F %t:%T %a' /dev/$d; done; for l in fd stdin stdout stderr ptmx; do readlink /dev/$l; done"];
        });
        output.ExitCode.Should().Be(0, output.ToString());
        output.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Should().Equal(
            "/dev/null character special file 1:3 666",
            "/dev/zero character special file 1:5 666",
            "/dev/full character special file 1:7 666",
            "/dev/random character special file 1:8 666",
            "/dev/urandom character special file 1:9 666",
            "/dev/tty character special file 5:0 666",
            "/dev/fuse character special file a:e5 666",
            "/proc/self/fd", "/proc/self/fd/0", "/proc/self/fd/1", "/proc/self/fd/2", "pts/ptmx");
    }

    [Test]
    public void Masked_paths_read_empty_and_read_only_paths_refuse_writes()
    {
        new FileInfo("/proc/timer_list").Length.Should().Be(0, "procfs reports no size");
        File.ReadAllText("/proc/timer_list").Should().NotBeEmpty("the host's file has content to hide");
        var output = RunContainer(TestBundle.Shell(
            "wc -c < /proc/timer_list; grep -E ' /proc/(acpi|timer_list) ' /proc/self/mountinfo | cut -d' ' -f5,6,9; " +
            "{ echo 1 > /proc/sys/kernel/domainname; } 2>&1"));
        output.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Should().Equal(
            "0",
            "/proc/acpi ro,relatime tmpfs",
            "/proc/timer_list rw,nosuid tmpfs",
            "sh: can't create /proc/sys/kernel/domainname: Read-only file system");
    }

    [Test]
    public void After_pivot_root_no_host_path_is_reachable()
    {
        var marker = "host-marker-" + Guid.NewGuid().ToString("N");
        File.WriteAllText(Path.Combine(TestDir, marker), "");
        var output = RunContainer(TestBundle.Shell($"find / -xdev -name '{marker}' 2>/dev/null; ls /; cat /proc/self/mountinfo | awk '{{print $5}}'"));
        output.ExitCode.Should().Be(0, output.ToString());
        output.Stdout.Should().NotContain(marker);
        var mountPoints = output.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).SkipWhile(l => !l.StartsWith('/')).ToList();
        mountPoints.Should().Contain("/").And.NotContain(m => m.StartsWith(TestDir));
    }

    [Test]
    public void No_pivot_uses_chroot_and_still_hides_the_host()
    {
        var marker = "host-marker-" + Guid.NewGuid().ToString("N");
        File.WriteAllText(Path.Combine(TestDir, marker), "");
        var output = RunContainer(TestBundle.Shell($"find / -xdev -name '{marker}' 2>/dev/null; echo ok"), "--no-pivot");
        output.ExitCode.Should().Be(0, output.ToString());
        output.Stdout.Should().Be("ok\n");
    }

    [TestCase("rshared", "shared:")]
    [TestCase("rslave", "master:")]
    [TestCase("rprivate", null)]
    public void Rootfs_propagation_is_that_of_the_containers_root(string propagation, string? tag)
    {
        // A shared host mount for the bundle, so that every propagation shows in mountinfo.
        var shared = Path.Combine(TestDir, "shared-mount");
        Directory.CreateDirectory(shared);
        ProcessRunner.Run("mount", ["--bind", "--make-shared", TestDir, TestDir]).ExitCode.Should().Be(0);
        try
        {
            var output = RunContainer(c =>
            {
                c.Linux!.RootfsPropagation = propagation;
                c.Process!.Args = ["sh", "-c", "awk '$5 == \"/\"' /proc/self/mountinfo"];
            });
            output.ExitCode.Should().Be(0, output.ToString());
            var root = output.Stdout.Trim();
            var optional = root.Split(" - ")[0].Split(' ').Skip(6).ToList();
            if (tag is null)
                optional.Should().BeEmpty(root);
            else
                optional.Should().Contain(f => f.StartsWith(tag), root);
        }
        finally
        {
            ProcessRunner.Run("umount", ["-l", TestDir]);
        }
    }

    [Test]
    public void A_read_only_root_refuses_writes_and_a_writable_one_takes_them()
    {
        RunContainer(TestBundle.Shell("touch /file 2>&1")).Stdout.Should().Contain("Read-only file system");
        var id = NewId();
        var bundle = Bundle(id, c => { c.Root!.Readonly = false; c.Process!.Args = ["touch", "/file"]; });
        RuncsOk("run", "--bundle", bundle.Dir, id);
        File.Exists(Path.Combine(bundle.Rootfs, "file")).Should().BeTrue();
    }

    [Test]
    public void Sysctls_and_oom_score_adj_are_applied()
    {
        var output = RunContainer(c =>
        {
            c.Linux!.Sysctl = new() { ["net.ipv4.ip_forward"] = "1", ["kernel.msgmax"] = "4096" };
            c.Process!.OomScoreAdj = 500;
            c.Process.Args = ["sh", "-c", "cat /proc/sys/net/ipv4/ip_forward /proc/sys/kernel/msgmax /proc/self/oom_score_adj"];
        });
        output.Stdout.Should().Be("1\n4096\n500\n");
    }

    [Test]
    public void The_container_is_placed_in_its_cgroup_in_every_hierarchy_and_it_is_removed_on_delete()
    {
        var id = NewId();
        var bundle = Bundle(id, c => c.Process!.Args = ["sleep", "100"]);
        RuncsOk("run", "-d", "--bundle", bundle.Dir, id);
        var pid = State(id).Pid.ToString();
        var dirs = CgroupLeaks.DirectoriesOf(id).ToList();
        dirs.Should().NotBeEmpty();
        foreach (var dir in dirs)
            File.ReadAllLines(Path.Combine(dir, "cgroup.procs")).Should().Contain(pid, dir);
        RuncsOk("delete", "--force", id);
        dirs.Should().OnlyContain(d => !Directory.Exists(d));
    }

    [Test]
    public void The_cgroup_mount_shows_the_containers_own_cgroups_read_only()
    {
        var output = RunContainer(TestBundle.Shell("ls /sys/fs/cgroup; touch /sys/fs/cgroup/pids/x 2>&1; exec cat /sys/fs/cgroup/pids/cgroup.procs"));
        output.Stdout.Should().Contain("pids").And.Contain("memory").And.Contain("Read-only file system");
        output.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Last().Trim().Should().Be("1", "the pids cgroup holds only the container's processes");
    }
}
