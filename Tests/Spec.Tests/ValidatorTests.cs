namespace Runcs.Spec.Tests;

public class ValidatorTests
{
    /// <summary>A small config that passes; each test breaks one thing in it.</summary>
    private const string ValidConfig = """
        {
            "ociVersion": "1.3.0",
            "root": {"path": "rootfs"},
            "process": {"args": ["sh"], "cwd": "/", "user": {"uid": 0, "gid": 0}},
            "hostname": "box",
            "mounts": [{"destination": "/proc", "type": "proc", "source": "proc"}],
            "linux": {
                "namespaces": [{"type": "pid"}, {"type": "network"}, {"type": "uts"}, {"type": "mount"}, {"type": "ipc"}],
                "maskedPaths": ["/proc/kcore"]
            }
        }
        """;

    [Test]
    public void Accepts_the_base_config() => ErrorsAfter(_ => { }).Should().BeEmpty();

    [TestCase("1.0.0")]
    [TestCase("1.0.2-dev")]
    [TestCase("1.0.0-rc5")]
    [TestCase("1.1.0")]
    [TestCase("1.2.1")]
    [TestCase("1.3.0")]
    [TestCase("1.3.0+dev")]
    [TestCase("1.3.7")]
    public void Accepts_spec_versions_1_0_to_1_3(string version) =>
        ErrorsAfter(c => c.OciVersion = version).Should().BeEmpty();

    [TestCase("2.0.0")]
    [TestCase("1.4.0")]
    [TestCase("1.4.0-dev")]
    [TestCase("0.9.0")]
    public void Refuses_spec_versions_outside_1_0_to_1_3(string version) =>
        ErrorsAfter(c => c.OciVersion = version).Should().Equal($"ociVersion: version \"{version}\" is not supported (supported: 1.0.0 to 1.3.x)");

    [TestCase("0.9")]
    [TestCase("1")]
    [TestCase("v1.0.0")]
    [TestCase("1.02.0")]
    [TestCase("1.0.0-")]
    [TestCase("1.0.0+")]
    public void Refuses_a_version_that_is_not_semver(string version) =>
        ErrorsAfter(c => c.OciVersion = version).Should().Equal($"ociVersion: \"{version}\" is not a semantic version");

    [Test]
    public void Requires_a_version() =>
        ErrorsAfter(c => c.OciVersion = "").Should().Equal("ociVersion: must be set");

    [Test]
    public void Requires_a_root_with_a_path()
    {
        ErrorsAfter(c => c.Root = null).Should().Equal("root: must be set");
        ErrorsAfter(c => c.Root!.Path = "").Should().Equal("root.path: must not be empty");
    }

    [Test]
    public void Requires_a_process_with_args_and_an_absolute_cwd()
    {
        ErrorsAfter(c => c.Process = null).Should().Equal("process: must be set");
        ErrorsAfter(c => c.Process!.Args = null).Should().Equal("process.args: must not be empty");
        ErrorsAfter(c => c.Process!.Args = []).Should().Equal("process.args: must not be empty");
        ErrorsAfter(c => c.Process!.Cwd = "").Should().Equal("process.cwd: must not be empty");
        ErrorsAfter(c => c.Process!.Cwd = "tmp").Should().Equal("process.cwd: must be an absolute path, got \"tmp\"");
    }

    [Test]
    public void Checks_the_console_size_fits_a_terminal()
    {
        ErrorsAfter(c => c.Process!.ConsoleSize = new Box { Height = 50, Width = 70000 })
            .Should().Equal("process.consoleSize.width: must be at most 65535");
        ErrorsAfter(c => (c.Process!.Terminal, c.Process.ConsoleSize) = (true, new Box { Height = 50, Width = 200 }))
            .Should().BeEmpty();
    }

    [Test]
    public void Refuses_ids_that_setresuid_reads_as_no_change()
    {
        ErrorsAfter(c => c.Process!.User.Uid = uint.MaxValue).Should().Equal("process.user.uid: 4294967295 is not a valid user id");
        ErrorsAfter(c => c.Process!.User.Gid = uint.MaxValue).Should().Equal("process.user.gid: 4294967295 is not a valid group id");
        ErrorsAfter(c => c.Process!.User.AdditionalGids = [10, uint.MaxValue])
            .Should().Equal("process.user.additionalGids[1]: 4294967295 is not a valid group id");
        ErrorsAfter(c => c.Process!.User.Umask = 512).Should().Equal("process.user.umask: must be at most 511 (0777), got 512");
    }

    [Test]
    public void Refuses_unknown_capabilities_in_every_set()
    {
        ErrorsAfter(c => c.Process!.Capabilities = new LinuxCapabilities
        {
            Bounding = ["CAP_KILL", "CAP_FOO"],
            Ambient = ["cap_kill"],
        }).Should().Equal(
            "process.capabilities.bounding[1]: unknown capability \"CAP_FOO\"",
            "process.capabilities.ambient[0]: unknown capability \"cap_kill\"");
    }

    [Test]
    public void Knows_every_capability_up_to_checkpoint_restore()
    {
        Capabilities.Known.Should().HaveCount(41);
        Capabilities.Known.Values.Should().BeEquivalentTo(Enumerable.Range(0, 41));
        Capabilities.Known["CAP_SYS_ADMIN"].Should().Be(21);
        Capabilities.Known["CAP_CHECKPOINT_RESTORE"].Should().Be(40);
        Rlimits.Known["RLIMIT_NOFILE"].Should().Be(7);
        Rlimits.Known.Values.Should().BeEquivalentTo(Enumerable.Range(0, 16));
    }

    [Test]
    public void Checks_rlimits()
    {
        ErrorsAfter(c => c.Process!.Rlimits =
        [
            new PosixRlimit { Type = "RLIMIT_NOFILE", Soft = 1024, Hard = 1024 },
            new PosixRlimit { Type = "RLIMIT_FILES", Soft = 1, Hard = 1 },
            new PosixRlimit { Type = "RLIMIT_NOFILE", Soft = 10, Hard = 10 },
            new PosixRlimit { Type = "RLIMIT_CORE", Soft = 2048, Hard = 1024 },
        ]).Should().Equal(
            "process.rlimits[1].type: unknown resource limit \"RLIMIT_FILES\"",
            "process.rlimits[2].type: \"RLIMIT_NOFILE\" is given more than once",
            "process.rlimits[3].soft: 2048 is above the hard limit 1024");
    }

    [Test]
    public void Checks_oom_score_adj_range()
    {
        ErrorsAfter(c => c.Process!.OomScoreAdj = 1001).Should().Equal("process.oomScoreAdj: must be between -1000 and 1000");
        ErrorsAfter(c => c.Process!.OomScoreAdj = -1000).Should().BeEmpty();
    }

    [Test]
    public void Checks_scheduler_settings_as_sched_setattr_would()
    {
        ErrorsAfter(c => c.Process!.Scheduler = new Scheduler { Policy = "SCHED_OTHER", Nice = 20 })
            .Should().Equal("process.scheduler.nice: must be between -20 and 19 for SCHED_OTHER");
        ErrorsAfter(c => c.Process!.Scheduler = new Scheduler { Policy = "SCHED_BATCH", Priority = 5 })
            .Should().Equal("process.scheduler.priority: is only valid with SCHED_FIFO or SCHED_RR");
        ErrorsAfter(c => c.Process!.Scheduler = new Scheduler { Policy = "SCHED_RR", Priority = 5, Runtime = 100 })
            .Should().Equal("process.scheduler: runtime, deadline and period are only valid with SCHED_DEADLINE");
        ErrorsAfter(c => c.Process!.Scheduler = new Scheduler { Policy = "SCHED_FAIR", Flags = ["SCHED_FLAG_FAST"] })
            .Should().Equal(
                "process.scheduler.policy: unknown scheduling policy \"SCHED_FAIR\"",
                "process.scheduler.flags[0]: unknown scheduler flag \"SCHED_FLAG_FAST\"");
        ErrorsAfter(c => c.Process!.Scheduler = new Scheduler()).Should().Equal("process.scheduler.policy: must be set");
    }

    [Test]
    public void Checks_io_priority_and_exec_cpu_affinity()
    {
        ErrorsAfter(c => c.Process!.IoPriority = new IoPriority { Class = "IOPRIO_CLASS_NONE", Priority = 8 }).Should().Equal(
            "process.ioPriority.class: unknown I/O priority class \"IOPRIO_CLASS_NONE\"",
            "process.ioPriority.priority: must be between 0 and 7");
        ErrorsAfter(c => c.Process!.ExecCpuAffinity = new CpuAffinity { Initial = "3-1", Final = "0,2-5" }).Should().Equal(
            "process.execCPUAffinity.initial: invalid CPU list \"3-1\" (expected a list like \"0-3,7\")");
    }

    [Test]
    public void Refuses_unknown_and_repeated_namespace_types()
    {
        ErrorsAfter(c => c.Linux!.Namespaces![2].Type = "pidd").Should().Equal(
            "linux.namespaces[2].type: unknown namespace type \"pidd\"",
            "hostname: unable to set hostname without a private UTS namespace");
        ErrorsAfter(c => c.Linux!.Namespaces!.Add(new LinuxNamespace { Type = "pid" }))
            .Should().Equal("linux.namespaces[5].type: namespace type \"pid\" is given more than once");
        ErrorsAfter(c => c.Linux!.Namespaces![1].Path = "proc/1/ns/net")
            .Should().Equal("linux.namespaces[1].path: must be an absolute path, got \"proc/1/ns/net\"");
    }

    [Test]
    public void Accepts_every_namespace_type()
    {
        ErrorsAfter(c =>
        {
            c.Linux!.Namespaces = KnownNames.NamespaceTypes.Select(t => new LinuxNamespace { Type = t }).ToList();
            c.Linux.UidMappings = [new LinuxIdMapping { HostId = 100000, Size = 65536 }];
            c.Linux.GidMappings = [new LinuxIdMapping { HostId = 100000, Size = 65536 }];
        }).Should().BeEmpty();
    }

    [Test]
    public void Id_mappings_need_a_user_namespace_and_a_size()
    {
        ErrorsAfter(c => c.Linux!.UidMappings = [new LinuxIdMapping { HostId = 1000, Size = 1 }])
            .Should().Equal("linux.uidMappings: user namespace mappings need a \"user\" namespace in linux.namespaces");
        ErrorsAfter(c =>
        {
            c.Linux!.Namespaces!.Add(new LinuxNamespace { Type = "user" });
            c.Linux.UidMappings = [new LinuxIdMapping { HostId = 1000, Size = 0 }];
            c.Linux.GidMappings = [new LinuxIdMapping { HostId = 1000, Size = 1 }];
        }).Should().Equal("linux.uidMappings[0].size: must be greater than zero");
        ErrorsAfter(c =>
        {
            c.Linux!.Namespaces!.Add(new LinuxNamespace { Type = "user" });
            c.Linux.UidMappings = [new LinuxIdMapping { ContainerId = 1, HostId = 1000, Size = uint.MaxValue }];
            c.Linux.GidMappings = [new LinuxIdMapping { HostId = 1000, Size = 1 }];
        }).Should().Equal("linux.uidMappings[0]: the mapped range goes past the largest id");
    }

    [Test]
    public void A_new_user_namespace_needs_mappings_but_a_joined_one_does_not()
    {
        ErrorsAfter(c => c.Linux!.Namespaces!.Add(new LinuxNamespace { Type = "user" })).Should().Equal(
            "linux.uidMappings: must be set for a new user namespace",
            "linux.gidMappings: must be set for a new user namespace");
        ErrorsAfter(c => c.Linux!.Namespaces!.Add(new LinuxNamespace { Type = "user", Path = "/proc/1/ns/user" }))
            .Should().BeEmpty();
    }

    [Test]
    public void Hostname_and_domainname_need_a_uts_namespace()
    {
        ErrorsAfter(c =>
        {
            c.Linux!.Namespaces!.RemoveAll(n => n.Type == "uts");
            c.Domainname = "example.org";
        }).Should().Equal(
            "hostname: unable to set hostname without a private UTS namespace",
            "domainname: unable to set domainname without a private UTS namespace");
    }

    [Test]
    public void Time_offsets_need_a_new_time_namespace_and_known_clocks()
    {
        var offsets = new Dictionary<string, LinuxTimeOffset> { ["monotonic"] = new() { Secs = 10 } };
        ErrorsAfter(c => c.Linux!.TimeOffsets = offsets)
            .Should().Equal("linux.timeOffsets: time offsets need a \"time\" namespace in linux.namespaces");
        ErrorsAfter(c =>
        {
            c.Linux!.Namespaces!.Add(new LinuxNamespace { Type = "time", Path = "/proc/1/ns/time" });
            c.Linux.TimeOffsets = offsets;
        }).Should().Equal("linux.timeOffsets: cannot be set when joining an existing time namespace");
        ErrorsAfter(c =>
        {
            c.Linux!.Namespaces!.Add(new LinuxNamespace { Type = "time" });
            c.Linux.TimeOffsets = new() { ["boottime"] = new(), ["realtime"] = new() };
        }).Should().Equal("linux.timeOffsets.realtime: unknown clock \"realtime\" (expected \"monotonic\" or \"boottime\")");
    }

    [Test]
    public void Accepts_a_relative_mount_destination_as_runc_does() =>
        ErrorsAfter(c => c.Mounts![0].Destination = "proc").Should().BeEmpty();

    [Test]
    public void Checks_mounts()
    {
        ErrorsAfter(c => c.Mounts![0].Destination = "").Should().Equal("mounts[0].destination: must not be empty");
        ErrorsAfter(c => c.Mounts!.Add(new Mount
        {
            Destination = "/data", Type = "bind", Source = "/srv", Options = ["rbind"],
            UidMappings = [new LinuxIdMapping { HostId = 100000, Size = 0 }],
        })).Should().Equal(
            "mounts[1].gidMappings: must be set when uidMappings is (idmapped mounts need both)",
            "mounts[1].uidMappings[0].size: must be greater than zero");
    }

    [Test]
    public void Checks_id_mapped_mounts_as_runc_does()
    {
        LinuxIdMapping[] shift = [new LinuxIdMapping { HostId = 100000, Size = 65536 }];
        ErrorsAfter(c => c.Mounts!.Add(new Mount { Destination = "/data", Type = "bind", Source = "/srv", Options = ["rbind"], UidMappings = [.. shift], GidMappings = [.. shift] }))
            .Should().BeEmpty("mappings on a bind mount need no user namespace in the container");
        ErrorsAfter(c => c.Mounts!.Add(new Mount { Destination = "/t", Type = "tmpfs", Source = "tmpfs", UidMappings = [.. shift], GidMappings = [.. shift] }))
            .Should().Equal("mounts[1].uidMappings: id-mapped mounts are only supported for bind mounts");
        ErrorsAfter(c => c.Mounts!.Add(new Mount { Destination = "/t", Type = "tmpfs", Source = "tmpfs", Options = ["idmap"] }))
            .Should().Equal("mounts[1].options: id-mapped mounts are only supported for bind mounts");
        ErrorsAfter(c => c.Mounts!.Add(new Mount { Destination = "/data", Source = "/srv", Options = ["rbind", "ridmap"] }))
            .Should().Equal("mounts[1].options: \"idmap\" without uidMappings and gidMappings takes the container's user namespace mappings, and there is no user namespace");
        ErrorsAfter(c =>
        {
            c.Linux!.Namespaces!.Add(new LinuxNamespace { Type = "user" });
            c.Linux.UidMappings = [.. shift];
            c.Linux.GidMappings = [.. shift];
            c.Mounts!.Add(new Mount { Destination = "/data", Source = "/srv", Options = ["rbind", "idmap"] });
        }).Should().BeEmpty("\"idmap\" alone takes the container's mappings");
    }

    [Test]
    public void Checks_rootfs_propagation_and_masked_and_readonly_paths()
    {
        ErrorsAfter(c => c.Linux!.RootfsPropagation = "rsharedd")
            .Should().Equal("linux.rootfsPropagation: unknown propagation \"rsharedd\"");
        foreach (var propagation in KnownNames.RootfsPropagations)
            ErrorsAfter(c => c.Linux!.RootfsPropagation = propagation).Should().BeEmpty();
        ErrorsAfter(c => c.Linux!.MaskedPaths!.Add("proc/keys"))
            .Should().Equal("linux.maskedPaths[1]: must be an absolute path, got \"proc/keys\"");
        ErrorsAfter(c => c.Linux!.ReadonlyPaths = ["/proc/sys", "sys"])
            .Should().Equal("linux.readonlyPaths[1]: must be an absolute path, got \"sys\"");
        ErrorsAfter(c => c.Linux!.Namespaces!.RemoveAll(n => n.Type == "mount"))
            .Should().Equal("linux.maskedPaths: unable to restrict paths without a mount namespace");
    }

    [Test]
    public void Checks_devices()
    {
        ErrorsAfter(c => c.Linux!.Devices =
        [
            new LinuxDevice { Path = "/dev/fuse", Type = "c", Major = 10, Minor = 229 },
            new LinuxDevice { Path = "/dev/fifo", Type = "p" },
            new LinuxDevice { Path = "dev/sda", Type = "b", Major = 8 },
            new LinuxDevice { Path = "/dev/x", Type = "x" },
            new LinuxDevice { Path = "/dev/u", Type = "u" },
        ]).Should().Equal(
            "linux.devices[2].path: must be an absolute path, got \"dev/sda\"",
            "linux.devices[2].minor: must be set for a \"b\" device",
            "linux.devices[3].type: unknown device type \"x\" (expected c, b, u or p)",
            "linux.devices[4].major: must be set for a \"u\" device",
            "linux.devices[4].minor: must be set for a \"u\" device");
    }

    [Test]
    public void Checks_seccomp_names()
    {
        ErrorsAfter(c => c.Linux!.Seccomp = new LinuxSeccomp
        {
            DefaultAction = "SCMP_ACT_DENY",
            Architectures = ["SCMP_ARCH_X86_64", "SCMP_ARCH_Z80"],
            Flags = ["SECCOMP_FILTER_FLAG_LOG", "SECCOMP_FILTER_FLAG_FAST"],
            Syscalls =
            [
                new LinuxSyscall { Names = ["read"], Action = "SCMP_ACT_ALLOW" },
                new LinuxSyscall { Names = ["write"], Action = "SCMP_ACT_PERMIT" },
                new LinuxSyscall
                {
                    Names = ["clone"], Action = "SCMP_ACT_ALLOW",
                    Args = [new LinuxSeccompArg { Index = 6, Value = 1, Op = "SCMP_CMP_EQUAL" }],
                },
            ],
        }).Should().Equal(
            "linux.seccomp.defaultAction: unknown action \"SCMP_ACT_DENY\"",
            "linux.seccomp.architectures[1]: unknown architecture \"SCMP_ARCH_Z80\"",
            "linux.seccomp.flags[1]: unknown seccomp flag \"SECCOMP_FILTER_FLAG_FAST\"",
            "linux.seccomp.syscalls[1].action: unknown action \"SCMP_ACT_PERMIT\"",
            "linux.seccomp.syscalls[2].args[0].index: must be between 0 and 5",
            "linux.seccomp.syscalls[2].args[0].op: unknown operator \"SCMP_CMP_EQUAL\"");
    }

    [Test]
    public void Accepts_every_seccomp_name_the_spec_lists()
    {
        ErrorsAfter(c => c.Linux!.Seccomp = new LinuxSeccomp
        {
            DefaultAction = "SCMP_ACT_ALLOW",
            Architectures = [.. KnownNames.SeccompArchitectures],
            Flags = [.. KnownNames.SeccompFlags],
            ListenerPath = "/run/agent.sock",
            Syscalls =
            [
                .. KnownNames.SeccompActions.Select(a => new LinuxSyscall { Names = ["getpid"], Action = a }),
                new LinuxSyscall
                {
                    Names = ["ioctl"], Action = "SCMP_ACT_ERRNO", ErrnoRet = 1,
                    Args = [.. KnownNames.SeccompOperators.Select(op => new LinuxSeccompArg { Index = 5, Op = op })],
                },
            ],
        }).Should().BeEmpty();
    }

    [Test]
    public void Checks_seccomp_combinations_the_spec_forbids()
    {
        ErrorsAfter(c => c.Linux!.Seccomp = new LinuxSeccomp
        {
            DefaultAction = "SCMP_ACT_ALLOW",
            DefaultErrnoRet = 1,
            ListenerMetadata = "x",
            Syscalls =
            [
                new LinuxSyscall { Names = [], Action = "SCMP_ACT_ERRNO" },
                new LinuxSyscall { Names = ["mkdir"], Action = "SCMP_ACT_NOTIFY" },
                new LinuxSyscall { Names = ["chmod", ""], Action = "SCMP_ACT_KILL", ErrnoRet = 1 },
            ],
        }).Should().Equal(
            "linux.seccomp.defaultErrnoRet: is only valid with SCMP_ACT_ERRNO or SCMP_ACT_TRACE",
            "linux.seccomp.listenerMetadata: needs linux.seccomp.listenerPath",
            "linux.seccomp.syscalls[0].names: must name at least one syscall",
            "linux.seccomp.syscalls[1].action: SCMP_ACT_NOTIFY needs linux.seccomp.listenerPath",
            "linux.seccomp.syscalls[2].names[1]: must not be empty",
            "linux.seccomp.syscalls[2].errnoRet: is only valid with SCMP_ACT_ERRNO or SCMP_ACT_TRACE");
        ErrorsAfter(c => c.Linux!.Seccomp = new LinuxSeccomp { DefaultAction = "SCMP_ACT_NOTIFY", ListenerPath = "/run/a.sock" })
            .Should().Equal("linux.seccomp.defaultAction: SCMP_ACT_NOTIFY cannot be the default action");
    }

    [Test]
    public void Checks_sysctl_names()
    {
        ErrorsAfter(c => c.Linux!.Sysctl = new() { ["net.ipv4.ip_forward"] = "1", ["net/ipv4/conf/eth0.100/rp_filter"] = "0" })
            .Should().BeEmpty();
        ErrorsAfter(c => c.Linux!.Sysctl = new() { [""] = "1" })
            .Should().Equal("linux.sysctl['']: sysctl name must not be empty");
        ErrorsAfter(c => c.Linux!.Sysctl = new() { ["net/../../etc"] = "1", ["kernel..shmmax"] = "1" }).Should().Equal(
            "linux.sysctl['net/../../etc']: invalid sysctl name \"net/../../etc\"",
            "linux.sysctl['kernel..shmmax']: invalid sysctl name \"kernel..shmmax\"");
    }

    [Test]
    public void Checks_hooks()
    {
        ErrorsAfter(c => c.Hooks = new Hooks
        {
            Prestart = [new Hook { Path = "/bin/true", Timeout = 1 }],
            CreateRuntime = [new Hook { Path = "bin/hook" }],
            Poststop = [new Hook { Path = "/bin/true" }, new Hook { Path = "/bin/false", Timeout = 0 }],
        }).Should().Equal(
            "hooks.createRuntime[0].path: must be an absolute path, got \"bin/hook\"",
            "hooks.poststop[1].timeout: must be greater than zero");
    }

    [Test]
    public void Checks_personality()
    {
        ErrorsAfter(c => c.Linux!.Personality = new LinuxPersonality { Domain = "LINUX32" }).Should().BeEmpty();
        ErrorsAfter(c => c.Linux!.Personality = new LinuxPersonality { Domain = "LINUX64" })
            .Should().Equal("linux.personality.domain: unknown domain \"LINUX64\" (expected LINUX or LINUX32)");
    }

    [Test]
    public void Checks_net_devices()
    {
        ErrorsAfter(c => c.Linux!.NetDevices = new() { ["eth1"] = new() { Name = "ctr%d" } }).Should().BeEmpty();
        ErrorsAfter(c => c.Linux!.NetDevices = new() { ["a/b"] = new(), ["eth0"] = new() { Name = "a-very-long-interface" } }).Should().Equal(
            "linux.netDevices['a/b']: invalid network device name \"a/b\"",
            "linux.netDevices.eth0.name: invalid network device name \"a-very-long-interface\"");
        ErrorsAfter(c =>
        {
            c.Linux!.Namespaces!.RemoveAll(n => n.Type == "network");
            c.Linux.NetDevices = new() { ["eth1"] = new() };
        }).Should().Equal("linux.netDevices: unable to move network devices without a network namespace");
    }

    [Test]
    public void Checks_memory_policy()
    {
        ErrorsAfter(c => c.Linux!.MemoryPolicy = new LinuxMemoryPolicy { Mode = "MPOL_BIND" })
            .Should().Equal("linux.memoryPolicy.nodes: must name at least one node for MPOL_BIND");
        ErrorsAfter(c => c.Linux!.MemoryPolicy = new LinuxMemoryPolicy { Mode = "MPOL_LOCAL", Nodes = "0" })
            .Should().Equal("linux.memoryPolicy.nodes: must be empty for MPOL_LOCAL");
        ErrorsAfter(c => c.Linux!.MemoryPolicy = new LinuxMemoryPolicy { Mode = "MPOL_FIRST", Nodes = "0-", Flags = ["MPOL_F_X"] }).Should().Equal(
            "linux.memoryPolicy.nodes: invalid node list \"0-\" (expected a list like \"0-3,7\")",
            "linux.memoryPolicy.mode: unknown memory policy mode \"MPOL_FIRST\"",
            "linux.memoryPolicy.flags[0]: unknown memory policy flag \"MPOL_F_X\"");
        ErrorsAfter(c => c.Linux!.MemoryPolicy = new LinuxMemoryPolicy { Mode = "MPOL_PREFERRED" }).Should().BeEmpty();
    }

    [Test]
    public void Checks_the_intel_rdt_group_name()
    {
        ErrorsAfter(c => c.Linux!.IntelRdt = new LinuxIntelRdt { ClosId = "../escape" })
            .Should().Equal("linux.intelRdt.closID: invalid resctrl group name \"../escape\"");
    }

    [Test]
    public void Checks_resources_that_become_cgroup_file_names_and_device_rules()
    {
        ErrorsAfter(c => c.Linux!.Resources = new LinuxResources
        {
            Devices =
            [
                new LinuxDeviceCgroup { Allow = false, Access = "rwm" },
                new LinuxDeviceCgroup { Allow = true, Type = "x", Access = "rwx" },
            ],
            HugepageLimits = [new LinuxHugepageLimit { PageSize = "2MB/../x", Limit = 1 }],
            Unified = new() { ["memory.high"] = "1G", ["../cgroup.procs"] = "1" },
        }).Should().Equal(
            "linux.resources.devices[1].type: unknown device type \"x\" (expected a, c or b)",
            "linux.resources.devices[1].access: invalid access \"rwx\" (expected letters from \"rwm\")",
            "linux.resources.hugepageLimits[0].pageSize: invalid page size \"2MB/../x\"",
            "linux.resources.unified['../cgroup.procs']: invalid cgroup file name \"../cgroup.procs\"");
    }

    [Test]
    public void Names_paths_relative_to_the_exec_process_and_update_documents()
    {
        ConfigValidator.ValidateProcess(new Process { Cwd = "/" }).Select(e => e.ToString())
            .Should().Equal("args: must not be empty");
        ConfigValidator.ValidateResources(new LinuxResources { Devices = [new LinuxDeviceCgroup { Type = "z" }] }).Select(e => e.ToString())
            .Should().Equal("devices[0].type: unknown device type \"z\" (expected a, c or b)");
    }

    [Test]
    public void Reports_every_problem_with_its_path_and_message()
    {
        var errors = ConfigValidator.Validate(new Config());

        errors.Select(e => e.ToString()).Should().Equal("ociVersion: must be set", "root: must be set", "process: must be set");
        errors[1].Should().Be(new ValidationError("root", "must be set"));
    }

    /// <summary>The messages for <see cref="ValidConfig"/> after <paramref name="change"/>, as the user would read them.</summary>
    private static List<string> ErrorsAfter(Action<Config> change)
    {
        var config = Fixtures.ParseConfig(ValidConfig);
        change(config);
        return ConfigValidator.Validate(config).Select(e => e.ToString()).ToList();
    }
}
