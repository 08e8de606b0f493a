using System.Runtime.InteropServices;
using System.Security.Cryptography;
using Runcs.Integration.Tests.Support;
using Runcs.Spec;

namespace Runcs.Integration.Tests;

/// <summary>
/// runc's escapes, one test per CVE class, each a real attack from inside a
/// container that must fail: the runtime binary through /proc/PID/exe, host
/// descriptors and cwd, mount destinations swapped for symlinks, masked and
/// read-only /proc, /dev/null and /dev/console tricks, inheritable
/// capabilities, and device nodes of host disks.
/// </summary>
public partial class RuncCveTests : ContainerTest
{
    private static string Sha256(string path) => Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(path)));

    /// <summary>
    /// CVE-2019-5736: while a container is created, its init is still the runtime's binary. A process in the
    /// container's pid namespace (another container joining it) and a startContainer hook (a child of the init)
    /// try to read and overwrite it through /proc/1/exe and /proc/$PPID/exe.
    /// </summary>
    [Test]
    public void CVE_2019_5736_the_runtime_binary_cannot_be_reached_through_proc_exe_during_create()
    {
        var before = Sha256(Paths.Runcs);
        var victim = NewId("victim");
        var victimBundle = Bundle(victim, c =>
        {
            c.Root!.Readonly = false;
            c.Process!.NoNewPrivileges = false;
            const string attack = "cat /proc/$PPID/exe > /dev/null 2>&1 && echo hook-read; echo x >> /proc/$PPID/exe 2>/dev/null && echo hook-wrote; echo hook-ran > /hook.log";
            c.Hooks = new Hooks { StartContainer = [new Hook { Path = "/bin/sh", Args = ["sh", "-c", attack] }] };
            c.Process.Args = ["true"];
        });
        RuncsOk("create", "--bundle", victimBundle.Dir, victim);
        var initPid = State(victim).Pid;
        new FileInfo($"/proc/{initPid}/exe").LinkTarget.Should().Be(Paths.Runcs, "the created container's init is runcs until start");

        var attacker = RunContainer(c =>
        {
            c.Linux!.Namespaces!.First(n => n.Type == "pid").Path = $"/proc/{initPid}/ns/pid";
            c.Process!.Args = ["sh", "-c", "readlink /proc/1/exe && echo link-read; cat /proc/1/exe > /dev/null && echo read; echo x >> /proc/1/exe && echo wrote; echo done"];
        });
        attacker.Stdout.Should().Be("done\n", "the init is not dumpable: its exe cannot be opened or even read as a link\n" + attacker);

        RuncsOk("start", victim);
        WaitUntil(() => File.Exists(Path.Combine(victimBundle.Rootfs, "hook.log")), "the startContainer hook");
        File.ReadAllText(Path.Combine(victimBundle.Rootfs, "hook.log")).Should().Be("hook-ran\n");
        Sha256(Paths.Runcs).Should().Be(before);
    }

    /// <summary>CVE-2024-21626 ("leaky vessels"): a cwd of /proc/self/fd/N reaching a descriptor the runtime leaked.</summary>
    [Test]
    public void CVE_2024_21626_no_host_descriptor_or_cwd_reaches_the_process()
    {
        for (int fd = 3; fd <= 8; fd++)
        {
            var output = RunContainer(c =>
            {
                c.Process!.Cwd = $"/proc/self/fd/{fd}";
                c.Process.Args = ["sh", "-c", "cd ../../../../../..; pwd -P; ls /"];
            });
            if (output.ExitCode == 0)
                output.Stdout.Should().StartWith("/\n", $"cwd /proc/self/fd/{fd} must stay inside the container").And.Contain("bin");
            else
                output.Stderr.Should().Contain($"/proc/self/fd/{fd}", "the cwd is refused, naming it:\n" + output);
        }

        var descriptors = RunContainer(TestBundle.Shell("for f in /proc/self/fd/*; do echo \"$f $(readlink $f)\"; done"));
        var targets = descriptors.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.Split(' ')).ToList();
        targets.Select(t => t[0]).Should().Equal(["/proc/self/fd/0", "/proc/self/fd/1", "/proc/self/fd/2", "/proc/self/fd/3"],
            "only stdio, and the descriptor the shell reads /proc/self/fd with");
        targets[3][1].Should().BeOneOf(["", "/proc/self/fd"], "it is closed again by the time readlink runs\n" + descriptors);
    }

    /// <summary>CVE-2019-16884, CVE-2021-30465: a mount destination in the rootfs that is a symlink to a host path.</summary>
    [Test]
    public void CVE_2021_30465_a_mount_destination_symlinked_to_the_host_stays_inside_the_rootfs()
    {
        var victim = Path.Combine(TestDir, "victim");
        Directory.CreateDirectory(victim);
        var id = NewId();
        var bundle = Bundle(id, c =>
        {
            c.Root!.Readonly = false;
            c.Mounts!.Add(new Mount { Destination = "/absolute", Type = "tmpfs", Source = "tmpfs" });
            c.Mounts.Add(new Mount { Destination = "/relative/x", Type = "tmpfs", Source = "tmpfs" });
            c.Process!.Args = ["sh", "-c", "echo in > /absolute/f && echo in > /relative/x/g && echo wrote"];
        });
        // The symlinks point at a directory that exists on the host, and (so that the mounts can succeed)
        // at the same path inside the rootfs, where they must land.
        var inRoot = Path.Combine(bundle.Rootfs, victim.TrimStart('/'));
        Directory.CreateDirectory(Path.Combine(inRoot, "x"));
        File.CreateSymbolicLink(Path.Combine(bundle.Rootfs, "absolute"), victim);
        File.CreateSymbolicLink(Path.Combine(bundle.Rootfs, "relative"), string.Concat(Enumerable.Repeat("../", 20)) + victim.TrimStart('/'));

        var output = Runcs("run", "--bundle", bundle.Dir, id);
        output.Stdout.Should().Be("wrote\n", output.ToString());
        Directory.EnumerateFileSystemEntries(victim).Should().BeEmpty("nothing was mounted or written on the host");
        File.ReadAllText("/proc/self/mountinfo").Should().NotContain(victim);
        File.ReadAllText("/proc/self/mountinfo").Should().NotContain(inRoot, "the container's mounts are gone with it");
    }

    /// <summary>CVE-2023-27561 and friends: writes through masked and read-only /proc, and undoing the masks.</summary>
    [Test]
    public void CVE_2023_27561_masked_and_read_only_proc_paths_cannot_be_written_or_unmasked()
    {
        var output = RunContainer(TestBundle.Shell(string.Join("; ",
            "echo 1 > /proc/sys/kernel/sysrq 2>/dev/null && echo sysctl-written",
            "echo h > /proc/sysrq-trigger 2>/dev/null && echo sysrq-written",
            "echo x > /proc/sys/kernel/core_pattern 2>/dev/null && echo core-pattern-written",
            "[ -s /proc/kcore ] && echo kcore-readable",
            "cat /proc/keys /proc/timer_list 2>/dev/null | wc -c",
            "umount /proc/kcore 2>/dev/null && echo unmasked",
            "umount /proc/sys 2>/dev/null && echo sys-unmounted",
            "mount -t proc proc /tmp 2>/dev/null && echo proc-mounted",
            "mount -o remount,rw /proc/sys 2>/dev/null && echo remounted",
            "echo done")));
        output.Stdout.Should().Be("0\ndone\n", output.ToString());
    }

    /// <summary>
    /// CVE-2025-31133: masked paths get /dev/null bound over them; a /dev/null that is a symlink (a /dev shared
    /// with another container) must not be followed to bind, say, core_pattern there.
    /// </summary>
    [Test]
    public void CVE_2025_31133_a_dev_null_that_is_a_symlink_is_not_bound_over_masked_paths()
    {
        var id = NewId();
        var bundle = Bundle(id, c =>
        {
            c.Mounts!.Insert(0, new Mount { Destination = "/dev", Type = "bind", Source = "shared-dev", Options = ["rbind"] });
            c.Mounts.RemoveAll(m => m.Destination == "/dev" && m.Type == "tmpfs");
            c.Process!.Args = ["sh", "-c", "echo x > /proc/kcore && echo written"];
        });
        var sharedDev = Path.Combine(bundle.Dir, "shared-dev");
        Directory.CreateDirectory(sharedDev);
        File.CreateSymbolicLink(Path.Combine(sharedDev, "null"), "/proc/sys/kernel/core_pattern");
        var corePattern = File.ReadAllText("/proc/sys/kernel/core_pattern");

        var result = Runcs("run", "--bundle", bundle.Dir, id);
        result.ExitCode.Should().NotBe(0);
        result.Stderr.Should().Contain("/dev/null is not the null device");
        result.Stdout.Should().NotContain("written");
        File.ReadAllText("/proc/sys/kernel/core_pattern").Should().Be(corePattern);
    }

    /// <summary>CVE-2025-52565: /dev/console must be the container's own pty, never a path looked up under /dev/pts.</summary>
    [Test]
    public void CVE_2025_52565_dev_console_is_the_containers_pty()
    {
        var output = RunContainer(c =>
        {
            c.Process!.Terminal = true;
            c.Process.Args = ["sh", "-c", "stat -c '%F %t:%T' /dev/console; stat -L -c '%F %t:%T' /proc/self/fd/0; tty"];
        });
        output.ExitCode.Should().Be(0, output.ToString());
        var lines = output.Stdout.Replace("\r", "").Split('\n', StringSplitOptions.RemoveEmptyEntries);
        lines[0].Should().StartWith("character special file");
        lines[0].Should().Be(lines[1], "/dev/console is the pty the process has as stdin");
        lines[2].Should().Be("/dev/pts/0");
    }

    [LibraryImport("libc", EntryPoint = "setxattr", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int SetXattr(string path, string name, byte[] value, nuint size, int flags);

    /// <summary>
    /// CVE-2022-29162: inheritable capabilities the config does not ask for must not be there, or a program
    /// whose file capabilities name them would gain them at exec, without ambient capabilities.
    /// </summary>
    [Test]
    public void CVE_2022_29162_inheritable_capabilities_do_not_survive_exec_without_ambient()
    {
        var id = NewId();
        var bundle = Bundle(id, c =>
        {
            c.Process!.User = new User { Uid = 1000, Gid = 1000 };
            c.Process.NoNewPrivileges = false;
            c.Process.Capabilities = new LinuxCapabilities
            {
                Bounding = ["CAP_NET_RAW", "CAP_KILL"], Permitted = ["CAP_NET_RAW", "CAP_KILL"], Effective = ["CAP_NET_RAW", "CAP_KILL"],
            };
            c.Process.Args = ["/opt/fcaps/grep", "^Cap[IPEA]", "/proc/self/status"];
        });
        // A copy of busybox whose file capabilities make CAP_NET_RAW inheritable and effective
        // (struct vfs_cap_data, revision 2: magic|effective, then permitted and inheritable, low and high words).
        var fcaps = Path.Combine(bundle.Rootfs, "opt", "fcaps", "grep");
        Directory.CreateDirectory(Path.GetDirectoryName(fcaps)!);
        File.Copy(Path.Combine(bundle.Rootfs, "bin", "busybox"), fcaps);
        var data = new byte[20];
        BitConverter.GetBytes(0x02000001u).CopyTo(data, 0);
        BitConverter.GetBytes(1u << 13).CopyTo(data, 8);
        SetXattr(fcaps, "security.capability", data, (nuint)data.Length, 0).Should().Be(0);

        var output = Runcs("run", "--bundle", bundle.Dir, id);
        output.ExitCode.Should().Be(0, output.ToString());
        output.Stdout.Should().Be("CapInh:\t0000000000000000\nCapPrm:\t0000000000000000\nCapEff:\t0000000000000000\nCapAmb:\t0000000000000000\n",
            "nothing inheritable was configured, so the file's inheritable CAP_NET_RAW grants nothing");
    }

    /// <summary>mknod of the host's disk: refused without CAP_MKNOD, and inside a user namespace whatever the capabilities.</summary>
    [Test]
    public void A_host_disk_cannot_be_made_as_a_device_node()
    {
        var plain = RunContainer(TestBundle.Shell("mknod /tmp/disk b 8 0 2>&1 || echo refused"));
        plain.Stdout.Should().Contain("refused");

        var userns = RunContainer(c =>
        {
            c.Linux!.Namespaces!.Add(new LinuxNamespace { Type = "user" });
            c.Linux.UidMappings = [new LinuxIdMapping { ContainerId = 0, HostId = 100000, Size = 65536 }];
            c.Linux.GidMappings = [new LinuxIdMapping { ContainerId = 0, HostId = 100000, Size = 65536 }];
            c.Root!.Readonly = false;
            c.Process!.Capabilities!.Bounding!.Add("CAP_MKNOD");
            c.Process.Capabilities.Effective!.Add("CAP_MKNOD");
            c.Process.Capabilities.Permitted!.Add("CAP_MKNOD");
            c.Mounts!.Add(new Mount { Destination = "/tmp", Type = "tmpfs", Source = "tmpfs" });
            c.Process.Args = ["sh", "-c", "grep CapEff /proc/self/status; mknod /tmp/disk b 8 0 2>/dev/null && echo made || echo refused"];
        });
        userns.ExitCode.Should().Be(0, userns.ToString());
        userns.Stdout.Should().EndWith("refused\n", "a device node made in a user namespace would be the host's\n" + userns);
    }
}
