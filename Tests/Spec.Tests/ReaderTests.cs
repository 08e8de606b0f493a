using System.Diagnostics;
using System.Runtime.Versioning;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Runcs.Spec.Tests;

public class ReaderTests
{
    [Test]
    public void Reads_the_config_that_runc_spec_writes()
    {
        var config = SpecReader.ReadConfig(Fixtures.PathOf("runc-spec.json"));

        config.OciVersion.Should().Be("1.0.2-dev");
        config.Process!.Terminal.Should().BeTrue();
        config.Process.User.Uid.Should().Be(0);
        config.Process.Args.Should().Equal("sh");
        config.Process.Cwd.Should().Be("/");
        config.Process.Capabilities!.Bounding.Should().Equal("CAP_AUDIT_WRITE", "CAP_KILL", "CAP_NET_BIND_SERVICE");
        config.Process.Capabilities.Inheritable.Should().BeNull();
        config.Process.Rlimits.Should().ContainSingle().Which.Should().BeEquivalentTo(new PosixRlimit { Type = "RLIMIT_NOFILE", Hard = 1024, Soft = 1024 });
        config.Process.NoNewPrivileges.Should().BeTrue();
        config.Root.Should().BeEquivalentTo(new Root { Path = "rootfs", Readonly = true });
        config.Hostname.Should().Be("runc");
        config.Mounts!.Select(m => m.Destination).Should().Equal("/proc", "/dev", "/dev/pts", "/dev/shm", "/dev/mqueue", "/sys", "/sys/fs/cgroup");
        config.Mounts![2].Options!.Should().Contain("newinstance");
        config.Linux!.Resources!.Devices.Should().ContainSingle().Which.Should().BeEquivalentTo(new LinuxDeviceCgroup { Allow = false, Access = "rwm" });
        config.Linux.Namespaces!.Select(n => n.Type).Should().Equal("pid", "network", "ipc", "uts", "mount");
        config.Linux.MaskedPaths.Should().Contain("/proc/kcore");
        config.Linux.ReadonlyPaths.Should().Contain("/proc/sys");
        ConfigValidator.Validate(config).Should().BeEmpty();
    }

    [TestCase]
    [TestCase("--rootless")]
    public void Reads_and_accepts_what_the_installed_runc_generates(params string[] flags)
    {
        var dir = Directory.CreateTempSubdirectory("runcs-spec-");
        try
        {
            RunRuncSpec(dir.FullName, flags);

            var config = SpecReader.ReadConfig(Path.Combine(dir.FullName, "config.json"));

            config.Process!.Args.Should().NotBeEmpty();
            ConfigValidator.Validate(config).Should().BeEmpty();
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    [Test]
    public void Reads_every_field_of_a_1_3_config()
    {
        var config = SpecReader.ReadConfig(Fixtures.PathOf("config-1.3.json"));

        var process = config.Process!;
        process.ConsoleSize.Should().BeEquivalentTo(new Box { Height = 25, Width = 80 });
        process.User.Should().BeEquivalentTo(new User { Uid = 1000, Gid = 1000, Umask = 18, AdditionalGids = [5, 10] });
        process.Rlimits![0].Hard.Should().Be(ulong.MaxValue);
        process.OomScoreAdj.Should().Be(-500);
        process.Scheduler.Should().BeEquivalentTo(new Scheduler
        {
            Policy = "SCHED_DEADLINE", Flags = ["SCHED_FLAG_RESET_ON_FORK"], Runtime = 10000000, Deadline = 20000000, Period = 30000000,
        });
        process.IoPriority.Should().BeEquivalentTo(new IoPriority { Class = "IOPRIO_CLASS_BE", Priority = 4 });
        process.ExecCpuAffinity.Should().BeEquivalentTo(new CpuAffinity { Initial = "0", Final = "0-3,7" });
        process.SelinuxLabel.Should().Be("system_u:system_r:container_t:s0:c1,c2");

        config.Domainname.Should().Be("example.org");
        config.Mounts![1].UidMappings.Should().ContainSingle().Which.Should().BeEquivalentTo(new LinuxIdMapping { ContainerId = 0, HostId = 100000, Size = 65536 });
        config.Mounts[1].GidMappings.Should().HaveCount(1);
        config.Hooks!.CreateContainer![0].Timeout.Should().Be(5);
        config.Hooks.Poststop![0].Args.Should().Equal("cleanup.sh", "-f");
        config.Annotations.Should().Contain("com.example.key1", "value1");

        var linux = config.Linux!;
        linux.Sysctl.Should().Contain("net.ipv4.ip_forward", "1");
        linux.CgroupsPath.Should().Be("/myRuntime/myContainer");
        linux.Devices![0].Should().BeEquivalentTo(new LinuxDevice { Path = "/dev/fuse", Type = "c", Major = 10, Minor = 229, FileMode = 438, Uid = 0, Gid = 0 });
        linux.Devices[1].Major.Should().BeNull();
        linux.NetDevices.Should().ContainKey("eth1").WhoseValue.Name.Should().Be("container_eth1");
        linux.NetDevices!["ens4"].Name.Should().BeNull();
        linux.RootfsPropagation.Should().Be("rslave");
        linux.MountLabel.Should().StartWith("system_u:object_r");
        linux.IntelRdt.Should().BeEquivalentTo(new LinuxIntelRdt
        {
            ClosId = "guaranteed_group", Schemata = ["L3:0=7f0;1=1f", "MB:0=20;1=70"], L3CacheSchema = "L3:0=7f0;1=1f",
            MemBwSchema = "MB:0=20;1=70", EnableMonitoring = true,
        });
        linux.MemoryPolicy.Should().BeEquivalentTo(new LinuxMemoryPolicy { Mode = "MPOL_INTERLEAVE", Nodes = "0-3,7", Flags = ["MPOL_F_STATIC_NODES"] });
        linux.Personality!.Domain.Should().Be("LINUX32");
        linux.TimeOffsets!["boottime"].Should().BeEquivalentTo(new LinuxTimeOffset { Secs = -86400, Nanosecs = 500 });

        var seccomp = linux.Seccomp!;
        seccomp.DefaultErrnoRet.Should().Be(1);
        seccomp.ListenerPath.Should().Be("/run/seccomp-agent.socket");
        seccomp.ListenerMetadata.Should().Be("profile=default");
        seccomp.Syscalls![2].Args![0].Should().BeEquivalentTo(new LinuxSeccompArg { Index = 0, Value = 2114060288, ValueTwo = 0, Op = "SCMP_CMP_MASKED_EQ" });
        seccomp.Syscalls[4].ErrnoRet.Should().Be(38);

        var resources = linux.Resources!;
        resources.Memory!.Limit.Should().Be(536870912);
        resources.Memory.KernelTcp.Should().Be(-1);
        resources.Memory.CheckBeforeUpdate.Should().BeTrue();
        resources.Cpu!.Burst.Should().Be(1000000);
        resources.Cpu.Cpus.Should().Be("2-3");
        resources.Cpu.Idle.Should().Be(0);
        resources.Pids!.Limit.Should().Be(32771);
        resources.BlockIo!.WeightDevice![0].LeafWeight.Should().Be(300);
        resources.BlockIo.ThrottleWriteIopsDevice![0].Should().BeEquivalentTo(new LinuxThrottleDevice { Major = 8, Minor = 16, Rate = 30 });
        resources.HugepageLimits![0].PageSize.Should().Be("2MB");
        resources.Network!.ClassId.Should().Be(1048577);
        resources.Network.Priorities![0].Name.Should().Be("eth0");
        resources.Rdma!["mlx5_1"].HcaObjects.Should().Be(10000);
        resources.Unified.Should().Contain("memory.high", "1G");

        ConfigValidator.Validate(config).Should().BeEmpty();
    }

    [Test]
    public void Writing_and_reading_back_a_config_loses_nothing()
    {
        var config = SpecReader.ReadConfig(Fixtures.PathOf("config-1.3.json"));

        var written = JsonSerializer.Serialize(config, SpecJsonContext.Compact.Config);
        var again = JsonSerializer.Serialize(Fixtures.ParseConfig(written), SpecJsonContext.Compact.Config);

        again.Should().Be(written);
        written.Should().NotContain("null", "absent members are left out, not written as null");
    }

    [Test]
    public void Ignores_unknown_members_at_every_depth()
    {
        var original = File.ReadAllText(Fixtures.PathOf("config-1.3.json"));
        var noisy = JsonNode.Parse(original)!;
        AddUnknownMembers(noisy);

        var expected = JsonSerializer.Serialize(Fixtures.ParseConfig(original), SpecJsonContext.Compact.Config);
        var actual = JsonSerializer.Serialize(Fixtures.ParseConfig(noisy.ToJsonString()), SpecJsonContext.Compact.Config);

        actual.Should().Be(expected);
        noisy.ToJsonString().Should().Contain("\"x-future\"", "the test must have added unknown members");
    }

    [Test]
    public void Matches_member_names_case_insensitively_like_go()
    {
        var config = Fixtures.ParseConfig("""{"OciVersion": "1.0.0", "PROCESS": {"Args": ["sh"], "cwd": "/"}}""");

        config.OciVersion.Should().Be("1.0.0");
        config.Process!.Args.Should().Equal("sh");
    }

    [TestCase("""{"process": {"args": [1]}}""", "process.args[0]: expected string")]
    [TestCase("""{"process": {"args": ["sh", null]}}""", "process.args[1]: expected string")]
    [TestCase("""{"process": {"args": "sh"}}""", "process.args: expected array")]
    [TestCase("""{"process": {"cwd": null}}""", "process.cwd: expected string")]
    [TestCase("""{"process": {"terminal": "yes"}}""", "process.terminal: expected boolean")]
    [TestCase("""{"process": {"user": null}}""", "process.user: expected object")]
    [TestCase("""{"process": {"user": {"uid": -1}}}""", "process.user.uid: expected unsigned 32-bit integer")]
    [TestCase("""{"process": {"user": {"gid": 4294967296}}}""", "process.user.gid: expected unsigned 32-bit integer")]
    [TestCase("""{"process": {"oomScoreAdj": 1.5}}""", "process.oomScoreAdj: expected 32-bit integer")]
    [TestCase("""{"process": 5}""", "process: expected object")]
    [TestCase("""{"mounts": {}}""", "mounts: expected array")]
    [TestCase("""{"mounts": [{"destination": "/a"}, null]}""", "mounts[1]: expected object")]
    [TestCase("""{"mounts": [{"destination": "/a", "type": 1}]}""", "mounts[0].type: expected string")]
    [TestCase("""{"mounts": [{"destination": "/a", "options": ["ro", 7]}]}""", "mounts[0].options[1]: expected string")]
    [TestCase("""{"annotations": {"io.k8s.id": 1}}""", "annotations['io.k8s.id']: expected string")]
    [TestCase("""{"linux": {"namespaces": [{"type": "pid"}, {"type": "uts"}, {"type": 5}]}}""", "linux.namespaces[2].type: expected string")]
    [TestCase("""{"linux": {"sysctl": {"kernel.shmmax": null}}}""", "linux.sysctl['kernel.shmmax']: expected string")]
    [TestCase("""{"linux": {"resources": {"memory": {"limit": "1G"}}}}""", "linux.resources.memory.limit: expected 64-bit integer")]
    [TestCase("""{"linux": {"resources": {"blockIO": {"weight": 70000}}}}""", "linux.resources.blockIO.weight: expected unsigned 16-bit integer")]
    [TestCase("""{"linux": {"resources": {"rdma": {"mlx5_1": {"hcaHandles": true}}}}}""", "linux.resources.rdma.mlx5_1.hcaHandles: expected unsigned 32-bit integer")]
    [TestCase("""{"linux": {"resources": {"rdma": {"mlx5.1": {"hcaObjects": "9"}}}}}""", "linux.resources.rdma['mlx5.1'].hcaObjects: expected unsigned 32-bit integer")]
    [TestCase("""{"linux": {"netDevices": {"eth0": {"name": ["x"]}}}}""", "linux.netDevices.eth0.name: expected string")]
    [TestCase("""{"linux": {"seccomp": {"syscalls": [{"names": ["read"], "args": [{"value": -1}]}]}}}""", "linux.seccomp.syscalls[0].args[0].value: expected unsigned 64-bit integer")]
    [TestCase("""{"linux": {"timeOffsets": {"boottime": {"secs": "1"}}}}""", "linux.timeOffsets.boottime.secs: expected 64-bit integer")]
    public void Names_the_path_and_the_expected_type_of_a_mistyped_value(string json, string message)
    {
        Fixtures.ConfigReadError(json).Should().Be($"/b/config.json: {message}");
    }

    [TestCase("{\n  \"ociVersion\": \"1.0.0\",\n  \"process\": {,\n}", "invalid JSON at line 3, column 15")]
    [TestCase("{\"ociVersion\": \"1.0.0\",}", "invalid JSON at line 1, column 24")]
    [TestCase("{} {}", "invalid JSON at line 1, column 4")]
    [TestCase("{\"a\": 1 // comment\n}", "invalid JSON at line 1, column 9")]
    [TestCase("", "empty JSON document")]
    [TestCase(" \n ", "empty JSON document")]
    [TestCase("null", "expected a JSON object")]
    [TestCase("[{}]", "expected a JSON object")]
    [TestCase("\"config\"", "expected a JSON object")]
    public void Names_the_position_of_a_syntax_error_or_a_document_that_is_not_an_object(string json, string message)
    {
        Fixtures.ConfigReadError(json).Should().Be($"/b/config.json: {message}");
    }

    [Test]
    public void Skips_a_utf8_byte_order_mark()
    {
        var bytes = Encoding.UTF8.GetPreamble().Concat(Encoding.UTF8.GetBytes("""{"ociVersion": "1.2.0"}""")).ToArray();

        SpecReader.Parse(bytes, "config.json", SpecJsonContext.Compact.Config).OciVersion.Should().Be("1.2.0");
    }

    [Test]
    public void Says_when_the_file_does_not_exist()
    {
        var act = () => SpecReader.ReadConfig("/nonexistent-bundle/config.json");

        act.Should().Throw<SpecException>().WithMessage("/nonexistent-bundle/config.json: no such file or directory");
    }

    [Test]
    public void Says_when_the_path_is_a_directory()
    {
        var dir = Directory.CreateTempSubdirectory("runcs-spec-");
        try
        {
            var act = () => SpecReader.ReadConfig(dir.FullName);

            act.Should().Throw<SpecException>().WithMessage($"{dir.FullName}: is a directory");
        }
        finally
        {
            dir.Delete();
        }
    }

    [Test]
    [SupportedOSPlatform("linux")]
    public void Says_when_the_file_cannot_be_read()
    {
        Assume.That(Environment.UserName, Is.Not.EqualTo("root"), "root reads files whatever their mode");
        var file = Path.GetTempFileName();
        try
        {
            File.SetUnixFileMode(file, UnixFileMode.None);

            var act = () => SpecReader.ReadConfig(file);

            act.Should().Throw<SpecException>().WithMessage($"{file}: permission denied");
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Test]
    public void Reads_an_exec_process_json_with_paths_relative_to_it()
    {
        var file = Path.GetTempFileName();
        try
        {
            File.WriteAllText(file, """{"args": ["ls", "-l"], "cwd": "/tmp", "env": ["A=b"], "terminal": false}""");
            SpecReader.ReadProcess(file).Args.Should().Equal("ls", "-l");

            File.WriteAllText(file, """{"args": ["ls", false]}""");
            var act = () => SpecReader.ReadProcess(file);
            act.Should().Throw<SpecException>().WithMessage($"{file}: args[1]: expected string");
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Test]
    public void Reads_update_resources_from_a_stream()
    {
        var resources = SpecReader.ReadResources(Stream("""{"memory": {"limit": 1048576}, "pids": {"limit": 10}, "cpu": {"cpus": "0-1"}}"""));

        resources.Memory!.Limit.Should().Be(1048576);
        resources.Memory.Swap.Should().BeNull("members left out mean: leave the current value");
        resources.Pids!.Limit.Should().Be(10);
        resources.Cpu!.Cpus.Should().Be("0-1");

        var act = () => SpecReader.ReadResources(Stream("""{"memory": {"limit": "lots"}}"""));
        act.Should().Throw<SpecException>().WithMessage("stdin: memory.limit: expected 64-bit integer");
    }

    [Test]
    public void Reads_the_features_that_runc_prints()
    {
        var features = SpecReader.Read(Fixtures.PathOf("runc-features.json"), SpecJsonContext.Default.Features);

        features.OciVersionMin.Should().Be("1.0.0");
        features.Hooks.Should().Contain("createRuntime");
        features.MountOptions.Should().Contain("rbind");
        features.Linux!.Namespaces.Should().Contain("cgroup");
        features.Linux.Capabilities.Should().Contain("CAP_SYS_ADMIN");
        features.Linux.Cgroup!.V2.Should().BeTrue();
        features.Linux.Seccomp!.Actions.Should().Contain("SCMP_ACT_NOTIFY");
        features.Annotations.Should().ContainKey("org.opencontainers.runc.version");
    }

    private static MemoryStream Stream(string text) => new(Encoding.UTF8.GetBytes(text));

    /// <summary>Members of these objects are data (map keys), not fields, so nothing can be unknown there.</summary>
    private static readonly HashSet<string> Maps = ["annotations", "sysctl", "unified", "rdma", "netDevices", "timeOffsets"];

    /// <summary>Adds an unknown scalar, array and object member to every object of the document, however deep.</summary>
    private static void AddUnknownMembers(JsonNode? node, bool isMap = false)
    {
        switch (node)
        {
            case JsonObject obj:
                foreach (var (name, child) in obj.ToList())
                    AddUnknownMembers(child, !isMap && Maps.Contains(name));
                if (isMap)
                    break;
                obj["x-future"] = new JsonObject { ["nested"] = new JsonArray(1, "two", new JsonObject { ["three"] = 3 }) };
                obj["x-future-flag"] = true;
                break;
            case JsonArray array:
                foreach (var child in array)
                    AddUnknownMembers(child);
                break;
        }
    }

    private static void RunRuncSpec(string dir, string[] flags)
    {
        var info = new ProcessStartInfo("runc") { WorkingDirectory = dir, RedirectStandardError = true };
        info.ArgumentList.Add("spec");
        foreach (var flag in flags)
            info.ArgumentList.Add(flag);
        System.Diagnostics.Process runc;
        try
        {
            runc = System.Diagnostics.Process.Start(info)!;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            Assert.Ignore("runc is not installed");
            return;
        }
        runc.WaitForExit();
        runc.ExitCode.Should().Be(0, runc.StandardError.ReadToEnd());
    }
}
