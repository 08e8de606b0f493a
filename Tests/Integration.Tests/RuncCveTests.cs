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
        // Until start, the init is the runtime's binary: the container must not reach it.
        new FileInfo($"/proc/{initPid}/exe").LinkTarget.Should().Be(Paths.Runcs);

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

    /// <summary>
    /// CVE-2021-30465, the race itself: while containers are created, another party (a container
    /// sharing the volume, in the real attack) keeps swapping the mount destination's parent between
    /// a directory and a symlink to a host directory. No create may mount anything on the host.
    /// </summary>
    [Test]
    public void CVE_2021_30465_swapping_a_mount_destination_for_a_host_symlink_during_create_never_reaches_the_host()
    {
        var victim = Path.Combine(TestDir, "victim");
        Directory.CreateDirectory(victim);
        var id = NewId();
        var bundle = Bundle(id, c =>
        {
            c.Root!.Readonly = false;
            c.Mounts!.Add(new Mount { Destination = "/mnt/swap/x", Type = "tmpfs", Source = "tmpfs" });
            c.Process!.Args = ["true"];
        });
        var mnt = Path.Combine(bundle.Rootfs, "mnt");
        Directory.CreateDirectory(Path.Combine(mnt, "real", "x"));
        File.CreateSymbolicLink(Path.Combine(mnt, "link"), victim);
        Directory.CreateDirectory(Path.Combine(victim, "x"));
        var swap = Path.Combine(mnt, "swap");

        using var stop = new CancellationTokenSource();
        var swapper = System.Threading.Tasks.Task.Run(() =>
        {
            // "swap" is the directory, then the symlink, then the directory again, as fast as renames go.
            while (!stop.IsCancellationRequested)
            {
                foreach (var from in new[] { "real", "link" })
                {
                    try
                    {
                        Directory.Move(Path.Combine(mnt, from), swap);
                        Directory.Move(swap, Path.Combine(mnt, from));
                    }
                    catch (IOException)
                    {
                        // a create holding the directory open does not stop the renames; nothing else may fail
                    }
                }
            }
        });
        try
        {
            int ran = 0;
            for (int i = 0; i < 100; i++)
            {
                // A create may fail when "swap" is missing at that moment; it must never mount on the host.
                if (Runcs("run", "--bundle", bundle.Dir, id).ExitCode == 0)
                    ran++;
                Runcs("delete", "--force", id);
                File.ReadAllText("/proc/self/mountinfo").Should().NotContain(victim, $"round {i}");
            }
            ran.Should().BeGreaterThan(0, "some creates mounted while the swapping went on");
        }
        finally
        {
            stop.Cancel();
            swapper.Wait();
        }
        Directory.EnumerateFileSystemEntries(Path.Combine(victim, "x")).Should().BeEmpty("nothing was mounted or written on the host");
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

    /// <summary>
    /// CVE-2025-52565, the other half: with /dev taken from the image (no tmpfs over it), a /dev/console
    /// that is a symbolic link to a procfs file must not lead the pty's bind mount onto that file.
    /// </summary>
    [Test]
    public void CVE_2025_52565_a_dev_console_symlink_in_the_image_is_refused_not_followed()
    {
        var id = NewId();
        var bundle = Bundle(id, c =>
        {
            c.Process!.Terminal = true;
            c.Mounts = c.Mounts!.Where(m => m.Destination != "/dev").ToList();
            c.Process.Args = ["true"];
        });
        var dev = Path.Combine(bundle.Rootfs, "dev");
        Directory.CreateDirectory(dev);
        File.CreateSymbolicLink(Path.Combine(dev, "console"), "/proc/sys/kernel/core_pattern");

        var run = Runcs("run", "--bundle", bundle.Dir, id);
        run.ExitCode.Should().NotBe(0, run.ToString());
        run.Stderr.Should().Contain("/dev/console is a symbolic link");
        Runcs("state", id).ExitCode.Should().NotBe(0, "a failed run leaves no container");
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

    /// <summary>
    /// mknod of a host disk (one the host's root can read): refused without CAP_MKNOD; with it the node can be
    /// made (runc allows mknod of any device) but the devices cgroup refuses to open it; inside a user namespace
    /// refused whatever the capabilities.
    /// </summary>
    [Test]
    public void A_host_disk_cannot_be_made_as_a_device_node()
    {
        var plain = RunContainer(c =>
        {
            // A writable /tmp: on the read-only root mknod would fail for that reason alone.
            c.Mounts!.Add(new Mount { Destination = "/tmp", Type = "tmpfs", Source = "tmpfs" });
            c.Process!.Args = ["sh", "-c", MknodHostDisk];
        });
        plain.Stdout.Should().Be("mknod: Operation not permitted\n", plain.ToString());

        var withCapMknod = RunContainer(c =>
        {
            AddCapability(c, "CAP_MKNOD");
            c.Mounts!.Add(new Mount { Destination = "/tmp", Type = "tmpfs", Source = "tmpfs" });
            c.Process!.Args = ["sh", "-c", "grep CapEff /proc/self/status; " + MknodHostDisk];
        });
        withCapMknod.Stdout.Should().EndWith("\nread: Operation not permitted\n", withCapMknod.ToString());
        (Convert.ToUInt64(withCapMknod.Stdout.Split('\t', '\n')[1], 16) & (1UL << 27)).Should().NotBe(0, "the process holds CAP_MKNOD");

        var userns = RunContainer(c =>
        {
            MapRootTo(c, 100000);
            c.Root!.Readonly = false;
            AddCapability(c, "CAP_MKNOD");
            c.Mounts!.Add(new Mount { Destination = "/tmp", Type = "tmpfs", Source = "tmpfs" });
            c.Process!.Args = ["sh", "-c", "grep -q '^CapEff:.*[1-9a-f]' /proc/self/status && echo has-caps; " + MknodHostDisk];
        });
        userns.ExitCode.Should().Be(0, userns.ToString());
        userns.Stdout.Should().Be("has-caps\nmknod: Operation not permitted\n", "a device node made in a user namespace would be the host's\n" + userns);
    }

    /// <summary>
    /// The exec form: an exec'd process has the container's capabilities; given CAP_MKNOD with --cap, it is in
    /// the container's devices cgroup; in a user namespace nothing makes a device node.
    /// </summary>
    [Test]
    public void A_host_disk_cannot_be_made_as_a_device_node_from_an_exec()
    {
        var plain = RunningContainer(c => c.Mounts!.Add(new Mount { Destination = "/tmp", Type = "tmpfs", Source = "tmpfs" }));
        RuncsOk("exec", plain, "sh", "-c", MknodHostDisk).Stdout.Should().Be("mknod: Operation not permitted\n");
        RuncsOk("exec", "--cap", "CAP_MKNOD", plain, "sh", "-c", MknodHostDisk).Stdout.Should().Be("read: Operation not permitted\n");

        var userns = RunningContainer(c =>
        {
            MapRootTo(c, 100000);
            c.Mounts!.Add(new Mount { Destination = "/tmp", Type = "tmpfs", Source = "tmpfs" });
        });
        var output = RuncsOk("exec", "--cap", "CAP_MKNOD", userns, "sh", "-c", "grep CapEff /proc/self/status; " + MknodHostDisk).Stdout;
        output.Should().EndWith("\nmknod: Operation not permitted\n", output);
        (Convert.ToUInt64(output.Split('\t', '\n')[1], 16) & (1UL << 27)).Should().NotBe(0, "the exec'd process holds CAP_MKNOD");
    }

    /// <summary>
    /// CVE-2019-5736 in its original form: the container makes the runtime execute itself inside the container
    /// (the command is a symlink to /proc/self/exe, or a script whose interpreter is), keeps the executable open
    /// from another process, and writes to it once the runtime has exited. The runtime must run from a copy
    /// the container cannot write. The runtime's own dynamic loader and libraries are put in the rootfs, so the
    /// runtime really starts in the container (on a static busybox rootfs its exec would fail for want of them).
    /// </summary>
    [TestCase("symlink")]
    [TestCase("script")]
    public void CVE_2019_5736_an_exec_that_runs_the_runtime_itself_cannot_overwrite_it(string trick)
    {
        var runtime = RuntimeCopy();
        var before = Sha256(runtime);
        var id = NewId();
        var bundle = Bundle(id, c => { c.Root!.Readonly = false; c.Process!.Args = ["sleep", "1000"]; });
        PlantRuntimeTrap(bundle.Rootfs, trick);
        RunWith(runtime, "run", "-d", "--bundle", bundle.Dir, id).ExitCode.Should().Be(0);
        RunWith(runtime, "exec", "-d", id, "sh", "-c", "exe-attacker 30 > /tmp/attack.log").ExitCode.Should().Be(0);

        var log = AttackOutcome(Path.Combine(bundle.Rootfs, "tmp", "attack.log"), () => RunWith(runtime, "exec", id, "/bin/evil", "--version"));
        log.Should().StartWith("opened ", "the runtime ran in the container, as the attack needs").And.Contain("write refused");
        Sha256(runtime).Should().Be(before);
    }

    /// <summary>The same attack through create: the container's own command is the runtime, watched from a container sharing its pid namespace.</summary>
    [Test]
    public void CVE_2019_5736_a_container_whose_command_runs_the_runtime_itself_cannot_overwrite_it()
    {
        var runtime = RuntimeCopy();
        var before = Sha256(runtime);
        var attacker = NewId("attacker");
        var attackerBundle = Bundle(attacker, c => { c.Root!.Readonly = false; c.Process!.Args = ["sleep", "1000"]; });
        RunWith(runtime, "run", "-d", "--bundle", attackerBundle.Dir, attacker).ExitCode.Should().Be(0);
        RunWith(runtime, "exec", "-d", attacker, "sh", "-c", "exe-attacker 30 > /tmp/attack.log").ExitCode.Should().Be(0);
        var attackerPid = State(attacker).Pid;

        var log = AttackOutcome(Path.Combine(attackerBundle.Rootfs, "tmp", "attack.log"), () =>
        {
            var victim = NewId("victim");
            var victimBundle = Bundle(victim, c =>
            {
                c.Linux!.Namespaces!.First(n => n.Type == "pid").Path = $"/proc/{attackerPid}/ns/pid";
                c.Process!.Args = ["/bin/evil", "--version"];
            });
            PlantRuntimeTrap(victimBundle.Rootfs, "symlink");
            RunWith(runtime, "run", "--bundle", victimBundle.Dir, victim);
        });
        log.Should().StartWith("opened ").And.Contain("write refused");
        Sha256(runtime).Should().Be(before);
    }

    /// <summary>
    /// CVE-2024-21626 through --preserve-fds: preserving more descriptors than the caller has open must hand the
    /// process the caller's descriptors and none of the runtime's own (its state directory, namespace files,
    /// sockets), which may sit at those numbers.
    /// </summary>
    [TestCase("exec")]
    [TestCase("run")]
    public void CVE_2024_21626_preserve_fds_passes_only_the_callers_descriptors(string command)
    {
        const string list = "for f in /proc/self/fd/*; do echo \"${f##*/} $(readlink $f)\"; done; cd /proc/self/fd/5 2>/dev/null && echo escaped; true";
        var marker = Path.Combine(TestDir, "passed-by-the-caller");
        File.WriteAllText(marker, "");
        string runcs;
        if (command == "exec")
        {
            var id = RunningContainer();
            runcs = $"exec --preserve-fds 20 {id} sh -c '{list}'";
        }
        else
        {
            var id = NewId();
            runcs = $"run --preserve-fds 20 --bundle {Bundle(id, TestBundle.Shell(list)).Dir} {id}";
        }
        // The caller has fd 3 open and nothing else above stdio; fds 4..22 are whatever the runtime opens itself.
        var output = ProcessRunner.Run("bash", ["-c", $"for fd in $(seq 4 64); do eval \"exec $fd>&-\"; done; exec 3<{marker}; exec {Paths.Runcs} --root {StateRoot} {runcs}"]);
        output.ExitCode.Should().Be(0, output.ToString());
        var fds = output.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.Split(' ', 2)).ToList();
        fds.Select(f => f[0]).Should().Equal(["0", "1", "2", "3", "4"], "stdio, the caller's fd 3, and the directory the shell lists\n" + output);
        fds[3][1].Should().EndWith("passed-by-the-caller");
        fds[4][1].Should().BeOneOf(["", "/proc/self/fd"], "it is closed again by the time readlink runs\n" + output);
    }

    /// <summary>
    /// Makes a node of a host disk in /tmp and reads from it; prints "mknod: ERROR" or "read: ERROR" for
    /// what was refused, nothing for what worked.
    /// </summary>
    private string MknodHostDisk =>
        $"mknod /tmp/disk b {ReadableHostDisk().Replace(':', ' ')} 2>&1 | sed 's/.*: /mknod: /'; " +
        "[ -b /tmp/disk ] && head -c 512 /tmp/disk 2>&1 >/dev/null | sed 's/.*: /read: /'; true";

    /// <summary>
    /// "MAJOR:MINOR" of a block device the host's root can read: the disk of / where the machine allows that
    /// (some sandboxes refuse it even to root), else the first other one (a loop device). A device no one
    /// can read would make the devices cgroup's refusal impossible to tell from the machine's.
    /// </summary>
    private string ReadableHostDisk()
    {
        var root = File.ReadLines("/proc/self/mountinfo").Select(l => l.Split(' ')).First(f => f[4] == "/")[2];
        var node = Path.Combine(TestDir, "host-disk");
        foreach (var device in new[] { root }.Concat(Directory.GetFileSystemEntries("/sys/dev/block").Select(Path.GetFileName).Order()!))
        {
            File.Delete(node);
            ProcessRunner.Run("mknod", [node, "b", .. device!.Split(':')]).ExitCode.Should().Be(0);
            try
            {
                using var disk = File.OpenRead(node);
                disk.ReadByte();
                return device;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
            }
            finally
            {
                File.Delete(node);
            }
        }
        Assert.Inconclusive("no block device on this machine can be read, even by root");
        return "";
    }

    private static void MapRootTo(Config c, uint hostId)
    {
        c.Linux!.Namespaces!.Add(new LinuxNamespace { Type = "user" });
        c.Linux.UidMappings = [new LinuxIdMapping { ContainerId = 0, HostId = hostId, Size = 65536 }];
        c.Linux.GidMappings = [new LinuxIdMapping { ContainerId = 0, HostId = hostId, Size = 65536 }];
    }

    private static void AddCapability(Config c, string name)
    {
        foreach (var set in new[] { c.Process!.Capabilities!.Bounding!, c.Process.Capabilities.Effective!, c.Process.Capabilities.Permitted! })
            set.Add(name);
    }

    /// <summary>A running container whose init sleeps; its id.</summary>
    private string RunningContainer(Action<Config>? edit = null)
    {
        var id = NewId();
        var bundle = Bundle(id, c => { c.Process!.Args = ["sleep", "1000"]; edit?.Invoke(c); });
        RuncsOk("run", "-d", "--bundle", bundle.Dir, id);
        return id;
    }

    /// <summary>A copy of the runtime for an attack to aim at: the binary under test stays intact even if one succeeds.</summary>
    private string RuntimeCopy()
    {
        var copy = Path.Combine(TestDir, "runcs-under-attack");
        File.Copy(Paths.Runcs, copy);
        File.SetUnixFileMode(copy, (UnixFileMode)0x1ed /* 0755 */);
        return copy;
    }

    private CommandResult RunWith(string runtime, params string[] args) => ProcessRunner.Run(runtime, ["--root", StateRoot, .. args]);

    /// <summary>/bin/evil leads to /proc/self/exe, and the runtime's loader and libraries are where it looks for them.</summary>
    private static void PlantRuntimeTrap(string rootfs, string trick)
    {
        var evil = Path.Combine(rootfs, "bin", "evil");
        if (trick == "symlink")
        {
            File.CreateSymbolicLink(evil, "/proc/self/exe");
        }
        else
        {
            File.WriteAllText(evil, "#!/proc/self/exe\n");
            File.SetUnixFileMode(evil, (UnixFileMode)0x1ed);
        }
        var ldd = ProcessRunner.Run("ldd", [Paths.Runcs]);
        foreach (var library in ldd.Stdout.Split(' ', '\n', '\t').Where(w => w.StartsWith('/')))
        {
            var inRoot = Path.Combine(rootfs, library.TrimStart('/'));
            Directory.CreateDirectory(Path.GetDirectoryName(inRoot)!);
            File.Copy(library, inRoot, overwrite: true);
        }
    }

    /// <summary>Triggers the runtime in the container until the attacker has either written or given up; its log.</summary>
    private static string AttackOutcome(string log, Action trigger)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (DateTime.UtcNow < deadline)
        {
            var text = File.Exists(log) ? File.ReadAllText(log) : "";
            if (text.Contains("written") || text.Contains("refused") || text.Contains("gave up"))
                return text;
            if (!text.StartsWith("opened", StringComparison.Ordinal))
                trigger();
            Thread.Sleep(50);
        }
        Assert.Fail("the attacker reported nothing within 30 s");
        return "";
    }
}
