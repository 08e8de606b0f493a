using Runcs.Runtime.Cgroups;
using Runcs.Runtime.Container;
using Runcs.Runtime.Namespaces;
using Runcs.Runtime.Native;
using Runcs.Runtime.Rootfs;
using Runcs.Spec;

namespace Runcs.Runtime.Tests;

/// <summary>
/// What a config compiles to: the order of the init's operations is where
/// containers are made or broken, and it can be checked without root.
/// </summary>
public class InitPlanTests
{
    private static readonly CgroupLayout Hybrid = CgroupLayoutTests.HybridLayout();

    internal static Plan Compile(Action<Config>? edit = null, IReadOnlyDictionary<int, DetachedMount>? detachedMounts = null, bool setgroupsDenied = false)
    {
        var config = ExampleConfig.Create(rootless: false);
        config.Process!.Terminal = false;
        edit?.Invoke(config);
        using var namespaces = NamespaceSetup.FromConfig(config.Linux!.Namespaces);
        return InitPlan.Compile(new InitPlanInput
        {
            Config = config,
            Bundle = "/bundle",
            Rootfs = "/bundle/rootfs",
            Namespaces = namespaces,
            CgroupLayout = Hybrid,
            CgroupPaths = CgroupPath.Resolve(Hybrid, null, "c1", false),
            StateDirFd = 42,
            TrampolineFd = 77,
            DetachedMounts = detachedMounts ?? new Dictionary<int, DetachedMount>(),
            SetgroupsDenied = setgroupsDenied,
        });
    }

    internal static int IndexOf(Plan plan, PlanOp op, int from = 0) =>
        plan.Steps.Select((s, i) => (s, i)).Skip(from).First(x => x.s.Op == op).i;

    private static int LastIndexOf(Plan plan, PlanOp op) =>
        plan.Steps.Select((s, i) => (s, i)).Last(x => x.s.Op == op).i;

    [Test]
    public void The_init_closes_the_runtimes_descriptors_first_and_execs_last()
    {
        var plan = Compile();
        plan.Steps[0].Op.Should().Be(PlanOp.CloseExcept);
        plan.Steps[^1].Op.Should().Be(PlanOp.Execve);
        plan.Steps[^1].Text(0).Should().Be("sh");
    }

    [Test]
    public void The_process_and_start_hooks_are_exec_d_through_the_sealed_trampoline()
    {
        var plan = Compile(c => c.Hooks = new Spec.Hooks { StartContainer = [new Hook { Path = "/bin/true" }] });
        plan.Steps[^1].Ints[2].Should().Be(77, "execve goes through the trampoline (CVE-2019-5736)");
        plan.Steps.Single(s => s.Op == PlanOp.Hook).Ints[3].Should().Be(77);
        plan.Steps[0].Ints.Should().Contain(77, "the trampoline descriptor survives the closing of the runtime's");
    }

    [Test]
    public void Namespaces_are_created_and_the_process_forked_before_any_mount()
    {
        var plan = Compile();
        var unshare = IndexOf(plan, PlanOp.Unshare);
        var flags = plan.Steps[unshare].Ints[0];
        flags.Should().Be(NamespaceKind.CLONE_NEWPID | NamespaceKind.CLONE_NEWNET | NamespaceKind.CLONE_NEWIPC | NamespaceKind.CLONE_NEWUTS | NamespaceKind.CLONE_NEWNS);
        IndexOf(plan, PlanOp.Sync).Should().BeLessThan(unshare, "cgroups are joined before namespaces are made");
        IndexOf(plan, PlanOp.Fork).Should().BeGreaterThan(unshare).And.BeLessThan(IndexOf(plan, PlanOp.Mount));
    }

    [Test]
    public void The_root_is_pivoted_after_every_mount_and_device_and_before_masking()
    {
        var plan = Compile();
        var pivot = IndexOf(plan, PlanOp.PivotRoot);
        var mountsBeforePivot = plan.Steps.Take(pivot).Count(s => s.Op == PlanOp.Mount);
        mountsBeforePivot.Should().BeGreaterThan(7);
        LastIndexOf(plan, PlanOp.Mknod).Should().BeLessThan(pivot);
        IndexOf(plan, PlanOp.MaskPath).Should().BeGreaterThan(pivot);
        IndexOf(plan, PlanOp.ReadonlyPath).Should().BeLessThan(IndexOf(plan, PlanOp.MaskPath), "runc makes paths read-only before masking");
        IndexOf(plan, PlanOp.RemountRootReadonly).Should().BeGreaterThan(pivot);
    }

    [Test]
    public void A_missing_cwd_is_created_in_the_new_root_before_pivot_root_and_the_readonly_remount()
    {
        var plan = Compile(c => { c.Process!.Cwd = "/work/dir"; c.Root!.Readonly = true; });
        var mkdir = IndexOf(plan, PlanOp.MkdirInRoot);
        plan.Steps[mkdir].Text(0).Should().Be("/work/dir");
        mkdir.Should().BeGreaterThan(IndexOf(plan, PlanOp.Mknod), "after the mounts and devices, so the directory lands in them")
            .And.BeLessThan(IndexOf(plan, PlanOp.PivotRoot))
            .And.BeLessThan(IndexOf(plan, PlanOp.RemountRootReadonly));
        Compile(c => c.Process!.Cwd = "/").Steps.Should().NotContain(s => s.Op == PlanOp.MkdirInRoot, "/ always exists");
    }

    [Test]
    public void No_pivot_moves_the_root_instead()
    {
        var config = ExampleConfig.Create(false);
        config.Process!.Terminal = false;
        using var ns = NamespaceSetup.FromConfig(config.Linux!.Namespaces);
        var plan = InitPlan.Compile(new InitPlanInput
        {
            Config = config, Bundle = "/b", Rootfs = "/b/rootfs", Namespaces = ns, CgroupLayout = Hybrid,
            CgroupPaths = CgroupPath.Resolve(Hybrid, null, "c1", false), StateDirFd = 3, NoPivot = true, TrampolineFd = 77,
        });
        plan.Steps.Should().Contain(s => s.Op == PlanOp.MoveRoot).And.NotContain(s => s.Op == PlanOp.PivotRoot);
    }

    [Test]
    public void Hook_syncs_appear_only_for_the_hooks_in_the_config_and_before_pivot_root()
    {
        Compile().Steps.Count(s => s.Op == PlanOp.Sync).Should().Be(1, "only the id maps and cgroups sync");
        var plan = Compile(c => c.Hooks = new Spec.Hooks
        {
            CreateRuntime = [new Hook { Path = "/bin/true" }],
            CreateContainer = [new Hook { Path = "/bin/true" }],
            StartContainer = [new Hook { Path = "/bin/true" }],
        });
        var syncs = plan.Steps.Where(s => s.Op == PlanOp.Sync).Select(s => (SyncTag)s.Ints[0]).ToList();
        syncs.Should().Equal(SyncTag.IdMapsAndCgroups, SyncTag.CreateRuntimeHooks, SyncTag.CreateContainerHooks, SyncTag.StartHookState);
        var pivot = IndexOf(plan, PlanOp.PivotRoot);
        plan.Steps.Take(pivot).Count(s => s.Op == PlanOp.Sync).Should().Be(3);
        IndexOf(plan, PlanOp.Hook).Should().BeGreaterThan(IndexOf(plan, PlanOp.WaitExecFifo), "startContainer hooks run after start");
    }

    [Test]
    public void The_command_is_looked_up_before_the_init_reports_ready_and_waits_for_start()
    {
        var plan = Compile();
        var lookup = IndexOf(plan, PlanOp.LookupExec);
        var ready = IndexOf(plan, PlanOp.Ready);
        var wait = IndexOf(plan, PlanOp.WaitExecFifo);
        lookup.Should().BeLessThan(ready);
        ready.Should().BeLessThan(wait);
        plan.Steps[wait].Ints[0].Should().Be(42);
        plan.Steps[0].Ints.Should().Contain(42, "the state directory descriptor survives the closing of the runtime's");
    }

    [Test]
    public void Capabilities_are_dropped_in_the_kernels_order_around_the_uid_change()
    {
        var plan = Compile(c => c.Process!.User = new User { Uid = 1000, Gid = 1000, AdditionalGids = [5] });
        var bounding = IndexOf(plan, PlanOp.CapBoundingKeep);
        var groups = IndexOf(plan, PlanOp.SetGroups);
        var uid = LastIndexOf(plan, PlanOp.SetResUid);
        var capset = IndexOf(plan, PlanOp.CapSet);
        var ambient = IndexOf(plan, PlanOp.CapAmbient);
        bounding.Should().BeLessThan(groups);
        groups.Should().BeLessThan(uid);
        uid.Should().BeLessThan(capset);
        capset.Should().BeLessThan(ambient);
        plan.Steps[uid].Ints[0].Should().Be(1000);
        plan.Steps[groups].Ints.Should().Equal(5L);
        plan.Steps[bounding].Ints[0].Should().Be((1L << 29) | (1L << 5) | (1L << 10), "AUDIT_WRITE, KILL and NET_BIND_SERVICE");
    }

    [Test]
    public void With_setgroups_denied_the_process_keeps_its_groups_and_additional_gids_are_refused()
    {
        Compile(setgroupsDenied: false).Steps.Should().Contain(s => s.Op == PlanOp.SetGroups);
        Compile(setgroupsDenied: true).Steps.Should().NotContain(s => s.Op == PlanOp.SetGroups, "setgroups(2) would fail with EPERM");
        var act = () => Compile(c => c.Process!.User = new User { AdditionalGids = [5] }, setgroupsDenied: true);
        act.Should().Throw<RuntimeException>().WithMessage("process.user.additionalGids: cannot set additional groups*");
    }

    [Test]
    public void Mount_options_become_flags_data_and_a_remount_for_bind_mounts()
    {
        var plan = Compile(c => c.Mounts!.Add(new Mount { Destination = "data", Source = "shared", Options = ["rbind", "ro", "nosuid"] }));
        var binds = plan.Steps.Where(s => s.Op == PlanOp.Mount && s.Text(1) == "/data").ToList();
        binds.Should().HaveCount(2);
        binds[0].Text(0).Should().Be("/bundle/shared", "a relative bind source is relative to the bundle");
        binds[0].Ints[0].Should().Be(4096 | 16384, "MS_BIND|MS_REC first");
        binds[1].Ints[0].Should().Be(1 | 2 | 32 | 4096 | 16384, "then MS_RDONLY|MS_NOSUID as a remount");
        var dev = plan.Steps.First(s => s.Op == PlanOp.Mount && s.Text(1) == "/dev");
        dev.Text(3).Should().Be("mode=755,size=65536k");
        dev.Ints[0].Should().Be(2 | (1 << 24), "nosuid,strictatime");
    }

    [Test]
    public void Sysctls_hostname_and_oom_score_adj_are_in_the_plan()
    {
        var plan = Compile(c =>
        {
            c.Linux!.Sysctl = new() { ["net.ipv4.ip_forward"] = "1" };
            c.Process!.OomScoreAdj = -5;
        });
        plan.Steps.Should().Contain(s => s.Op == PlanOp.WriteFileInRoot && s.Text(0) == "/proc/sys/net/ipv4/ip_forward" && s.Text(1) == "1");
        plan.Steps.Should().Contain(s => s.Op == PlanOp.WriteFile && s.Text(0) == "/proc/self/oom_score_adj" && s.Text(1) == "-5");
        plan.Steps.Should().Contain(s => s.Op == PlanOp.SetHostname && s.Text(0) == "runcs");
    }

    [Test]
    public void Given_stdio_descriptors_become_0_1_and_2_first_thing()
    {
        var config = ExampleConfig.Create(false);
        config.Process!.Terminal = false;
        using var ns = NamespaceSetup.FromConfig(config.Linux!.Namespaces);
        var plan = InitPlan.Compile(new InitPlanInput
        {
            Config = config, Bundle = "/b", Rootfs = "/b/rootfs", Namespaces = ns, CgroupLayout = Hybrid,
            CgroupPaths = CgroupPath.Resolve(Hybrid, null, "c1", false), StateDirFd = 3, Stdio = [10, 11, 12], TrampolineFd = 77,
        });
        plan.Steps.Skip(1).Take(3).Select(s => (s.Op, s.Ints[0], s.Ints[1])).Should().Equal(
            (PlanOp.Dup2, 10L, 0L), (PlanOp.Dup2, 11L, 1L), (PlanOp.Dup2, 12L, 2L));
    }

    [Test]
    public void A_terminal_needs_a_console_socket()
    {
        var act = () => Compile(c => c.Process!.Terminal = true);
        act.Should().Throw<RuntimeException>().WithMessage("*console socket*");
    }
}
