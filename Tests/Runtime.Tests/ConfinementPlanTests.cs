using Runcs.Runtime.Cgroups;
using Runcs.Runtime.Container;
using Runcs.Runtime.Namespaces;
using Runcs.Runtime.Native;
using Runcs.Spec;

namespace Runcs.Runtime.Tests;

/// <summary>Where confinement goes in a container's plan: seccomp as late as it may, the rest while privileges are held.</summary>
public class ConfinementPlanTests
{
    private static readonly CgroupLayout Hybrid = CgroupLayoutTests.HybridLayout();

    private static Plan Compile(Action<Config> edit, int listenerFd = -1, List<string>? warnings = null, List<string>? debug = null)
    {
        var config = ExampleConfig.Create(rootless: false);
        config.Process!.Terminal = false;
        config.Linux!.Seccomp = new LinuxSeccomp
        {
            DefaultAction = "SCMP_ACT_ALLOW",
            Syscalls = [new LinuxSyscall { Names = ["mkdir"], Action = "SCMP_ACT_ERRNO" }],
        };
        edit(config);
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
            SeccompListenerFd = listenerFd,
            Warn = w => warnings?.Add(w),
            Debug = d => debug?.Add(d),
        });
    }

    [Test]
    public void System_calls_unknown_on_this_host_are_a_debug_message_not_a_warning_in_the_containers_log()
    {
        // Docker's default profile names recv, send and timerfd, which x86_64 does not have. runc says
        // nothing; a warning here would reach the container's stderr (podman logs, docker logs).
        List<string> warnings = [], debug = [];
        Compile(c => c.Linux!.Seccomp!.Syscalls = [new LinuxSyscall { Names = ["recv", "getppid"], Action = "SCMP_ACT_ERRNO" }],
            warnings: warnings, debug: debug);
        warnings.Should().BeEmpty();
        debug.Should().ContainSingle(d => d.Contains("system calls unknown")).Which.Should().EndWith(": recv");
    }

    private static int IndexOf(Plan plan, PlanOp op) => plan.Steps.Select((s, i) => (s, i)).First(x => x.s.Op == op).i;

    private static int IndexOfPrctl(Plan plan, int option) =>
        plan.Steps.Select((s, i) => (s, i)).First(x => x.s.Op == PlanOp.Prctl && x.s.Ints[0] == option).i;

    [Test]
    public void With_no_new_privileges_the_filter_is_handed_to_the_trampoline_to_load_right_before_the_programs_execve()
    {
        var plan = Compile(c => c.Process!.NoNewPrivileges = true);
        var seccomp = IndexOf(plan, PlanOp.Seccomp);
        seccomp.Should().Be(plan.Steps.Count - 2, "right before execve");
        IndexOfPrctl(plan, Prctl.PR_SET_NO_NEW_PRIVS).Should().BeLessThan(seccomp);
        IndexOf(plan, PlanOp.WaitExecFifo).Should().BeLessThan(seccomp, "the runtime's own work is done first");
        plan.Steps[seccomp].Ints.Should().Equal([0L, -1L, 1L], "flags, no listener socket, handed to the trampoline");
    }

    [Test]
    public void Without_no_new_privileges_the_filter_is_loaded_while_CAP_SYS_ADMIN_is_held()
    {
        var plan = Compile(c =>
        {
            c.Process!.NoNewPrivileges = false;
            c.Process.User = new User { Uid = 1000, Gid = 1000 };
        });
        var seccomp = IndexOf(plan, PlanOp.Seccomp);
        seccomp.Should().BeLessThan(IndexOf(plan, PlanOp.SetResUid));
        seccomp.Should().BeLessThan(IndexOf(plan, PlanOp.CapSet));
        plan.Steps.Should().NotContain(s => s.Op == PlanOp.Prctl && s.Ints[0] == Prctl.PR_SET_NO_NEW_PRIVS);

        plan.Steps[seccomp].Ints[2].Should().Be(0, "the executor loads it itself");

        // Root keeping CAP_SYS_ADMIN can load it last even so, but only in the executor: the
        // trampoline's execve gives root its bounding set, which lacks CAP_SYS_ADMIN here.
        var keeping = Compile(c =>
        {
            c.Process!.NoNewPrivileges = false;
            c.Process.Capabilities!.Effective!.Add("CAP_SYS_ADMIN");
        });
        var last = IndexOf(keeping, PlanOp.Seccomp);
        last.Should().Be(keeping.Steps.Count - 2);
        keeping.Steps[last].Ints[2].Should().Be(0);

        // With CAP_SYS_ADMIN in the bounding set, the trampoline keeps it and loads the filter.
        var bounded = Compile(c =>
        {
            c.Process!.NoNewPrivileges = false;
            c.Process.Capabilities!.Effective!.Add("CAP_SYS_ADMIN");
            c.Process.Capabilities!.Bounding!.Add("CAP_SYS_ADMIN");
        });
        bounded.Steps[IndexOf(bounded, PlanOp.Seccomp)].Ints[2].Should().Be(1);

        // Anyone but root keeps capabilities through an execve only from the ambient set.
        var user = Compile(c =>
        {
            c.Process!.NoNewPrivileges = false;
            c.Process.User = new User { Uid = 1000, Gid = 1000 };
            c.Process.Capabilities!.Effective!.Add("CAP_SYS_ADMIN");
            c.Process.Capabilities!.Permitted!.Add("CAP_SYS_ADMIN");
            c.Process.Capabilities!.Bounding!.Add("CAP_SYS_ADMIN");
        });
        user.Steps[IndexOf(user, PlanOp.Seccomp)].Ints[2].Should().Be(0);
    }

    [Test]
    public void A_notify_profile_syncs_for_the_process_state_and_hands_the_listener_socket_to_the_load()
    {
        var plan = Compile(c =>
        {
            c.Linux!.Seccomp!.Syscalls![0].Action = "SCMP_ACT_NOTIFY";
            c.Linux.Seccomp.ListenerPath = "/run/agent.sock";
        }, listenerFd: 77);
        var sync = plan.Steps.Select((s, i) => (s, i)).First(x => x.s.Op == PlanOp.Sync && x.s.Ints[0] == (long)SyncTag.SeccompListenerState).i;
        var seccomp = IndexOf(plan, PlanOp.Seccomp);
        sync.Should().BeLessThan(seccomp);
        plan.Steps[seccomp].Ints.Should().Equal(8L /* NEW_LISTENER */, 77L, 1L /* the trampoline loads it and sends the listener */);
        plan.Steps[0].Ints.Should().Contain(77L, "the socket survives the opening close of descriptors");

        var noSocket = () => Compile(c =>
        {
            c.Linux!.Seccomp!.Syscalls![0].Action = "SCMP_ACT_NOTIFY";
            c.Linux.Seccomp.ListenerPath = "/run/agent.sock";
        });
        noSocket.Should().Throw<RuntimeException>().WithMessage("linux.seccomp.listenerPath*");
    }

    [Test]
    public void Scheduling_and_personality_come_before_capabilities_are_dropped()
    {
        var plan = Compile(c =>
        {
            c.Process!.Scheduler = new Scheduler { Policy = "SCHED_FIFO", Priority = 10 };
            c.Process.IoPriority = new IoPriority { Class = "IOPRIO_CLASS_RT", Priority = 2 };
            c.Linux!.Personality = new LinuxPersonality { Domain = "LINUX32" };
        });
        var bounding = IndexOf(plan, PlanOp.CapBoundingKeep);
        IndexOf(plan, PlanOp.SchedSetattr).Should().BeLessThan(bounding);
        plan.Steps[IndexOf(plan, PlanOp.SchedSetattr)].Ints.Take(4).Should().Equal(1L, 0L, 0L, 10L);
        plan.Steps[IndexOf(plan, PlanOp.IoprioSet)].Ints.Should().Equal((1L << 13) | 2);
        plan.Steps[IndexOf(plan, PlanOp.Personality)].Ints.Should().Equal(8L);
        plan.Steps.Should().NotContain(s => s.Op == PlanOp.SetAffinity, "execCPUAffinity is for exec, not the init");
    }

    [Test]
    public void Cpu_lists_become_affinity_masks()
    {
        var mask = Process.Scheduling.CpuMask("0-2,9,64", "field");
        mask.Length.Should().Be(128);
        mask[0].Should().Be(0b111);
        mask[1].Should().Be(0b10);
        mask[8].Should().Be(1);
        var bad = () => Process.Scheduling.CpuMask("3-1", "process.execCPUAffinity.final");
        bad.Should().Throw<RuntimeException>().WithMessage("process.execCPUAffinity.final: invalid CPU list \"3-1\"");
    }
}
