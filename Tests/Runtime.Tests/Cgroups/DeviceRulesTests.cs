using Runcs.Runtime.Cgroups;
using Runcs.Runtime.Cgroups.Bpf;
using Runcs.Runtime.Cgroups.Devices;
using Runcs.Runtime.Cgroups.V1;
using Runcs.Spec;

namespace Runcs.Runtime.Tests.Cgroups;

/// <summary>
/// Device rules: what a config means (the v1 devices controller's semantics),
/// how v1 is told (devices.allow/deny lines) and the eBPF program v2 gets,
/// which must decide every access the same way.
/// </summary>
public class DeviceRulesTests
{
    private static readonly LinuxDeviceCgroup DenyAll = new() { Allow = false, Access = "rwm" };

    private static DeviceCgroupModel Model(params LinuxDeviceCgroup[] rules) =>
        DeviceCgroupModel.From(ContainerDeviceRules.For(new LinuxResources { Devices = [.. rules] }, null));

    private static LinuxDeviceCgroup Rule(bool allow, string type, long? major, long? minor, string access) =>
        new() { Allow = allow, Type = type, Major = major, Minor = minor, Access = access };

    [Test]
    public void Runcs_default_config_allows_the_standard_nodes_and_mknod_and_nothing_else()
    {
        var model = Model(DenyAll);
        model.DefaultAllow.Should().BeFalse();
        model.Allows(DeviceKind.Char, 1, 3, DeviceAccess.Read | DeviceAccess.Write).Should().BeTrue("/dev/null");
        model.Allows(DeviceKind.Char, 136, 7, DeviceAccess.Read | DeviceAccess.Write).Should().BeTrue("a pty");
        model.Allows(DeviceKind.Char, 5, 2, DeviceAccess.Read).Should().BeTrue("/dev/ptmx");
        model.Allows(DeviceKind.Char, 10, 200, DeviceAccess.Write).Should().BeTrue("/dev/net/tun");
        model.Allows(DeviceKind.Block, 8, 0, DeviceAccess.Mknod).Should().BeTrue("mknod is always allowed, as runc does");
        model.Allows(DeviceKind.Char, 1, 11, DeviceAccess.Read).Should().BeFalse("/dev/kmsg was not allowed");
        model.Allows(DeviceKind.Block, 8, 0, DeviceAccess.Read).Should().BeFalse("a disk was not allowed");
    }

    [Test]
    public void The_v1_lines_are_the_ones_runc_writes_for_the_same_config()
    {
        using var tree = new FakeCgroupTree();
        var dir = tree.Cgroup("devices", "devices.allow", "devices.deny", "devices.list=a *:* rwm");
        V1Devices.Apply(dir, Model(DenyAll));
        FakeCgroupTree.Lines(dir, "devices.deny").Should().Equal("a");
        // What `cat devices.list` shows for runc 1.1.5 with this config, in the same order.
        FakeCgroupTree.Lines(dir, "devices.allow").Should().Equal(
            "b *:* m", "c *:* m", "c 1:3 rwm", "c 1:5 rwm", "c 1:7 rwm", "c 1:8 rwm", "c 1:9 rwm", "c 5:0 rwm", "c 5:2 rwm", "c 10:200 rwm", "c 136:* rwm");
    }

    [Test]
    public void A_config_that_allows_everything_leaves_an_allow_all_cgroup_alone()
    {
        using var tree = new FakeCgroupTree();
        var dir = tree.Cgroup("devices", "devices.allow", "devices.deny", "devices.list=a *:* rwm");
        V1Devices.Apply(dir, Model(new LinuxDeviceCgroup { Allow = true, Access = "rwm" }));
        FakeCgroupTree.Lines(dir, "devices.allow").Should().BeEmpty();
        FakeCgroupTree.Lines(dir, "devices.deny").Should().BeEmpty();
    }

    [Test]
    public void Allow_by_default_with_a_denied_mknod_keeps_the_denial_past_runcs_automatic_rules()
    {
        var model = Model(new LinuxDeviceCgroup { Allow = true, Access = "rwm" }, Rule(false, "c", 1, 1, "m"));
        model.DefaultAllow.Should().BeTrue();
        model.Allows(DeviceKind.Char, 1, 1, DeviceAccess.Mknod).Should().BeFalse();
        model.Allows(DeviceKind.Char, 1, 1, DeviceAccess.Read).Should().BeTrue();
        model.Allows(DeviceKind.Char, 1, 1, DeviceAccess.Read | DeviceAccess.Mknod).Should().BeFalse("a deny exception refuses any overlap, as the kernel's partial match");
        model.Exceptions.Should().Equal(new DeviceRule(DeviceKind.Char, 1, 1, DeviceAccess.Mknod, false));
    }

    [Test]
    public void Exceptions_for_one_device_add_up_but_an_access_must_fit_one_of_them()
    {
        var model = Model(DenyAll, Rule(true, "c", 10, 229, "r"), Rule(true, "c", 10, 229, "w"), Rule(true, "c", 10, 230, "r"));
        model.Allows(DeviceKind.Char, 10, 229, DeviceAccess.Read | DeviceAccess.Write).Should().BeTrue("r and w on the same device merge into rw");
        model.Allows(DeviceKind.Char, 10, 230, DeviceAccess.Read | DeviceAccess.Write).Should().BeFalse("only r was allowed");
    }

    [Test]
    public void Denying_part_of_an_allowed_wildcard_is_an_error_naming_the_rule()
    {
        var act = () => Model(DenyAll, Rule(true, "c", null, null, "rwm"), Rule(false, "c", 1, 3, "rw"));
        act.Should().Throw<RuntimeException>().WithMessage("linux.resources.devices[2]: cannot deny rule \"c 1:3 rw\" inside the earlier \"c *:* rwm\"*");
    }

    [Test]
    public void A_config_that_makes_an_automatic_rule_impossible_says_so()
    {
        var act = () => Model(new LinuxDeviceCgroup { Allow = true, Access = "rwm" }, Rule(false, "c", null, 5, "w"));
        act.Should().Throw<RuntimeException>().WithMessage("linux.resources.devices: cannot allow the rule every container gets \"c 1:5 rwm\" inside the earlier \"c *:5 w\"*");
    }

    [Test]
    public void A_standard_node_redefined_in_linux_devices_loses_its_automatic_rule_as_in_runc()
    {
        var rules = ContainerDeviceRules.For(new LinuxResources { Devices = [DenyAll] }, [new LinuxDevice { Path = "/dev/null", Type = "c", Major = 1, Minor = 3 }]);
        DeviceCgroupModel.From(rules).Allows(DeviceKind.Char, 1, 3, DeviceAccess.Read).Should().BeFalse();
    }

    [Test]
    public void Absent_type_numbers_and_access_mean_all()
    {
        var model = Model(DenyAll, new LinuxDeviceCgroup { Allow = true, Type = "b", Major = 8 });
        model.Allows(DeviceKind.Block, 8, 17, DeviceAccess.All).Should().BeTrue();
        model.Allows(DeviceKind.Block, 9, 0, DeviceAccess.Read).Should().BeFalse();
    }

    [Test]
    public void The_program_starts_by_reading_the_context_and_encodes_as_the_kernel_expects()
    {
        var program = DeviceFilterProgram.Build(Model(DenyAll));
        // r2 = *(u32 *)(r1 + 0): opcode 0x61, dst 2 and src 1 packed as 0x12.
        BpfInstruction.Encode(program)[..8].Should().Equal(0x61, 0x12, 0, 0, 0, 0, 0, 0);
        program[^1].Should().Be(BpfInstruction.Exit());
    }

    private static IEnumerable<TestCaseData> Configs()
    {
        yield return new TestCaseData((object)new[] { DenyAll }).SetName("runc's default: deny, then the automatic rules");
        yield return new TestCaseData((object)new[] { new LinuxDeviceCgroup { Allow = true, Access = "rwm" } }).SetName("allow everything");
        yield return new TestCaseData((object)new[] { new LinuxDeviceCgroup { Allow = true, Access = "rwm" }, Rule(false, "c", 1, 1, "m"), Rule(false, "b", 8, null, "rw"), Rule(false, "c", null, 6, "w") })
            .SetName("allow by default with denied exceptions");
        yield return new TestCaseData((object)new[] { DenyAll, Rule(true, "c", 10, 229, "r"), Rule(true, "b", 8, 0, "rw"), Rule(true, "c", 4095, null, "w"), Rule(false, "c", 10, 229, "r") })
            .SetName("deny by default with exceptions added and taken away");
    }

    [TestCaseSource(nameof(Configs))]
    public void The_ebpf_program_decides_every_access_as_the_devices_controller_would(LinuxDeviceCgroup[] rules)
    {
        var model = Model(rules);
        var program = BpfInstruction.Encode(DeviceFilterProgram.Build(model));
        int checkedCount = 0;
        foreach (var kind in new[] { DeviceKind.Char, DeviceKind.Block })
            foreach (var major in new long[] { 0, 1, 4, 5, 8, 10, 136, 254, 4095 })
                foreach (var minor in new long[] { 0, 1, 2, 3, 5, 6, 7, 11, 200, 229, 1048575 })
                    for (int access = 1; access <= 7; access++)
                    {
                        bool expected = model.Allows(kind, major, minor, (DeviceAccess)access);
                        BpfInterpreter.Allows(program, kind, major, minor, (DeviceAccess)access)
                            .Should().Be(expected, $"{kind} {major}:{minor} {DeviceRule.AccessString((DeviceAccess)access)}");
                        checkedCount++;
                    }
        checkedCount.Should().Be(2 * 9 * 11 * 7);
    }
}
