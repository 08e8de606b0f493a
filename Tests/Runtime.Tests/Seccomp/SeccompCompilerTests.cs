using System.Text.Json;
using Runcs.Runtime.Seccomp;
using Runcs.Spec;

namespace Runcs.Runtime.Tests.Seccomp;

/// <summary>
/// The compiled filters, run through a BPF interpreter: every operator on
/// 64-bit edge values, every action, the architecture checks, the ENOSYS
/// answer for newer system calls, and Docker's default profile.
/// </summary>
public class SeccompCompilerTests
{
    private static readonly SeccompArch Native = SeccompArch.X86_64;
    private static readonly uint AuditX86_64 = SeccompArch.X86_64.AuditArch;

    private static uint Nr(string name, SeccompArch? arch = null)
    {
        (arch ?? Native).Table.TryGet(name, out var nr).Should().BeTrue(name);
        return nr;
    }

    private static SeccompFilter Compile(LinuxSeccomp config, List<string>? warnings = null) =>
        SeccompCompiler.Compile(config, Native, w => warnings?.Add(w));

    private static uint Run(SeccompFilter filter, string syscall, params ulong[] args) =>
        BpfInterpreter.Run(filter.Program, new SyscallData(Nr(syscall), AuditX86_64, Pad(args))).Result;

    private static ulong[] Pad(ulong[] args) => [.. args, .. new ulong[6 - args.Length]];

    private static LinuxSeccomp Profile(string defaultAction, params LinuxSyscall[] rules) =>
        new() { DefaultAction = defaultAction, Syscalls = [.. rules] };

    private static LinuxSyscall Rule(string action, string[] names, params LinuxSeccompArg[] args) =>
        new() { Action = action, Names = [.. names], Args = args.Length > 0 ? [.. args] : null };

    private static readonly uint Allow = SeccompAction.Allow;
    private static readonly uint Eperm = SeccompAction.Errno | 1;

    /// <summary>Values where 32-bit halves go wrong: around 2^32, 2^63, and all ones.</summary>
    private static readonly ulong[] EdgeValues =
    [
        0, 1, 2, 0x7fffffff, 0x80000000, 0xfffffffe, 0xffffffff, 0x1_00000000, 0x1_00000001, 0x1_ffffffff,
        0xffffffff_00000000, 0x7fffffff_ffffffff, 0x80000000_00000000, 0xffffffff_fffffffe, 0xffffffff_ffffffff,
    ];

    private static bool Holds(ArgOperator op, ulong arg, ulong value, ulong valueTwo) => op switch
    {
        ArgOperator.NotEqual => arg != value,
        ArgOperator.LessThan => arg < value,
        ArgOperator.LessOrEqual => arg <= value,
        ArgOperator.Equal => arg == value,
        ArgOperator.GreaterOrEqual => arg >= value,
        ArgOperator.GreaterThan => arg > value,
        ArgOperator.MaskedEqual => (arg & value) == valueTwo,
        _ => throw new ArgumentOutOfRangeException(nameof(op)),
    };

    [TestCase("SCMP_CMP_NE", ArgOperator.NotEqual)]
    [TestCase("SCMP_CMP_LT", ArgOperator.LessThan)]
    [TestCase("SCMP_CMP_LE", ArgOperator.LessOrEqual)]
    [TestCase("SCMP_CMP_EQ", ArgOperator.Equal)]
    [TestCase("SCMP_CMP_GE", ArgOperator.GreaterOrEqual)]
    [TestCase("SCMP_CMP_GT", ArgOperator.GreaterThan)]
    public void Every_comparison_holds_exactly_on_full_64_bit_values_for_every_argument(string op, ArgOperator parsed)
    {
        for (uint index = 0; index < 6; index++)
        {
            foreach (var value in EdgeValues)
            {
                var filter = Compile(Profile("SCMP_ACT_ERRNO",
                    Rule("SCMP_ACT_ALLOW", ["mkdir"], new LinuxSeccompArg { Index = index, Op = op, Value = value })));
                foreach (var arg in EdgeValues)
                {
                    var args = new ulong[6];
                    args[index] = arg;
                    // The other arguments must not matter.
                    for (int other = 0; other < 6; other++)
                        if (other != index)
                            args[other] = ~arg;
                    var expected = Holds(parsed, arg, value, 0) ? Allow : Eperm;
                    Run(filter, "mkdir", args).Should().Be(expected, $"arg{index}=0x{arg:x} {op} 0x{value:x}");
                }
            }
        }
    }

    [Test]
    public void Masked_equal_compares_the_masked_argument_with_value_two()
    {
        ulong[] masks = [0, 0xff, 0xffffffff, 0xffffffff_00000000, 0x80000000_00000001, ulong.MaxValue];
        foreach (var mask in masks)
        {
            foreach (var expectedValue in EdgeValues.Select(v => v & mask).Distinct())
            {
                var filter = Compile(Profile("SCMP_ACT_ERRNO", Rule("SCMP_ACT_ALLOW", ["mkdir"],
                    new LinuxSeccompArg { Index = 3, Op = "SCMP_CMP_MASKED_EQ", Value = mask, ValueTwo = expectedValue })));
                foreach (var arg in EdgeValues)
                    Run(filter, "mkdir", 0, 0, 0, arg).Should().Be(Holds(ArgOperator.MaskedEqual, arg, mask, expectedValue) ? Allow : Eperm,
                        $"(0x{arg:x} & 0x{mask:x}) == 0x{expectedValue:x}");
            }
        }
    }

    [TestCase("SCMP_ACT_KILL", null, 0x00000000u)]
    [TestCase("SCMP_ACT_KILL_THREAD", null, 0x00000000u)]
    [TestCase("SCMP_ACT_KILL_PROCESS", null, 0x80000000u)]
    [TestCase("SCMP_ACT_TRAP", null, 0x00030000u)]
    [TestCase("SCMP_ACT_ERRNO", null, 0x00050001u)]
    [TestCase("SCMP_ACT_ERRNO", 13u, 0x0005000du)]
    [TestCase("SCMP_ACT_TRACE", null, 0x7ff00001u)]
    [TestCase("SCMP_ACT_TRACE", 42u, 0x7ff0002au)]
    [TestCase("SCMP_ACT_LOG", null, 0x7ffc0000u)]
    [TestCase("SCMP_ACT_NOTIFY", null, 0x7fc00000u)]
    public void Every_action_returns_its_seccomp_value(string action, uint? errnoRet, uint expected)
    {
        var rule = Rule(action, ["mkdir"]);
        rule.ErrnoRet = errnoRet;
        var filter = Compile(Profile("SCMP_ACT_ALLOW", rule));
        Run(filter, "mkdir").Should().Be(expected);
        Run(filter, "rmdir").Should().Be(Allow);
        filter.HasListener.Should().Be(action == "SCMP_ACT_NOTIFY");
    }

    [TestCase("SCMP_ACT_KILL_PROCESS", null, 0x80000000u)]
    [TestCase("SCMP_ACT_ERRNO", null, 0x00050001u)]
    [TestCase("SCMP_ACT_ERRNO", 95u, 0x0005005fu)]
    [TestCase("SCMP_ACT_TRAP", null, 0x00030000u)]
    [TestCase("SCMP_ACT_LOG", null, 0x7ffc0000u)]
    public void The_default_action_answers_every_system_call_no_rule_names(string action, uint? errnoRet, uint expected)
    {
        var config = Profile(action, Rule("SCMP_ACT_ALLOW", ["read", "write", "mkdir"]), Rule("SCMP_ACT_ALLOW", ["clone3"]));
        config.DefaultErrnoRet = errnoRet;
        var filter = Compile(config);
        foreach (var allowed in new[] { "read", "write", "mkdir", "clone3" })
            Run(filter, allowed).Should().Be(Allow);
        foreach (var other in new[] { "open", "rmdir", "getppid", "mount", "openat" })
            Run(filter, other).Should().Be(expected, other);
    }

    [Test]
    public void System_calls_newer_than_the_profile_fail_with_ENOSYS_unless_the_default_allows_them()
    {
        var enosys = SeccompAction.Errno | SeccompAction.ENOSYS;
        var denying = Compile(Profile("SCMP_ACT_ERRNO", Rule("SCMP_ACT_ALLOW", ["read", "openat"])));
        Run(denying, "openat").Should().Be(Allow);
        Run(denying, "mkdir").Should().Be(Eperm, "older than the newest call the profile names: the default");
        Run(denying, "clone3").Should().Be(enosys, "newer than every call the profile names");
        BpfInterpreter.Run(denying.Program, new SyscallData(1000, AuditX86_64, Pad([]))).Result.Should().Be(enosys);

        // The newest call named decides, whatever its action (the clone3 rule itself denies).
        var withClone3 = Compile(Profile("SCMP_ACT_ERRNO", Rule("SCMP_ACT_ALLOW", ["read"]), Rule("SCMP_ACT_ERRNO", ["clone3"])));
        Run(withClone3, "clone3").Should().Be(Eperm);
        Run(withClone3, "openat2").Should().Be(enosys);

        Run(Compile(Profile("SCMP_ACT_ALLOW", Rule("SCMP_ACT_ERRNO", ["mkdir"]))), "openat2").Should().Be(Allow);
        Run(Compile(Profile("SCMP_ACT_LOG", Rule("SCMP_ACT_ERRNO", ["mkdir"]))), "openat2").Should().Be(SeccompAction.Log);
        var kill = Compile(Profile("SCMP_ACT_KILL_PROCESS", Rule("SCMP_ACT_ALLOW", ["read", "openat"])));
        Run(kill, "write").Should().Be(SeccompAction.KillProcess);
        Run(kill, "openat2").Should().Be(enosys);
    }

    [Test]
    public void A_foreign_abi_is_killed_and_listed_compat_abis_use_their_own_numbers()
    {
        var config = Profile("SCMP_ACT_ERRNO", Rule("SCMP_ACT_ALLOW", ["mkdir", "fcntl64", "read"]), Rule("SCMP_ACT_ERRNO", ["openat"]));
        var nativeOnly = Compile(config);
        BpfInterpreter.Run(nativeOnly.Program, new SyscallData(Nr("mkdir", SeccompArch.X86), SeccompArch.X86.AuditArch, Pad([]))).Result
            .Should().Be(SeccompAction.KillThread, "i386 is not in the profile");
        BpfInterpreter.Run(nativeOnly.Program, new SyscallData(Nr("mkdir", SeccompArch.X32), AuditX86_64, Pad([]))).Result
            .Should().Be(SeccompAction.KillThread, "x32 is not in the profile");
        BpfInterpreter.Run(nativeOnly.Program, new SyscallData(Nr("read"), SeccompArch.Aarch64.AuditArch, Pad([]))).Result
            .Should().Be(SeccompAction.KillThread);

        config.Architectures = ["SCMP_ARCH_X86", "SCMP_ARCH_X32"];
        var all = Compile(config);
        foreach (var arch in new[] { SeccompArch.X86_64, SeccompArch.X86, SeccompArch.X32 })
        {
            uint audit = arch.AuditArch;
            BpfInterpreter.Run(all.Program, new SyscallData(Nr("mkdir", arch), audit, Pad([]))).Result.Should().Be(Allow, arch.Name);
            BpfInterpreter.Run(all.Program, new SyscallData(Nr("rmdir", arch), audit, Pad([]))).Result.Should().Be(Eperm, arch.Name);
        }
        BpfInterpreter.Run(all.Program, new SyscallData(Nr("fcntl64", SeccompArch.X86), SeccompArch.X86.AuditArch, Pad([]))).Result
            .Should().Be(Allow, "a name only i386 has still applies to i386");
    }

    [Test]
    public void Conditions_on_different_arguments_must_all_hold_and_repeated_ones_are_alternatives()
    {
        var both = Compile(Profile("SCMP_ACT_ERRNO", Rule("SCMP_ACT_ALLOW", ["mkdir"],
            new LinuxSeccompArg { Index = 0, Op = "SCMP_CMP_EQ", Value = 1 },
            new LinuxSeccompArg { Index = 1, Op = "SCMP_CMP_EQ", Value = 2 })));
        Run(both, "mkdir", 1, 2).Should().Be(Allow);
        Run(both, "mkdir", 1, 3).Should().Be(Eperm);
        Run(both, "mkdir", 0, 2).Should().Be(Eperm);

        var either = Compile(Profile("SCMP_ACT_ERRNO", Rule("SCMP_ACT_ALLOW", ["mkdir"],
            new LinuxSeccompArg { Index = 0, Op = "SCMP_CMP_EQ", Value = 1 },
            new LinuxSeccompArg { Index = 0, Op = "SCMP_CMP_EQ", Value = 7 })));
        Run(either, "mkdir", 1).Should().Be(Allow);
        Run(either, "mkdir", 7).Should().Be(Allow);
        Run(either, "mkdir", 2).Should().Be(Eperm);
    }

    [Test]
    public void Conditional_rules_are_tried_in_order_and_an_unconditional_rule_decides_alone()
    {
        var ordered = Compile(Profile("SCMP_ACT_ALLOW",
            Rule("SCMP_ACT_ERRNO", ["personality"], new LinuxSeccompArg { Index = 0, Op = "SCMP_CMP_GT", Value = 10 }),
            Rule("SCMP_ACT_KILL_PROCESS", ["personality"], new LinuxSeccompArg { Index = 0, Op = "SCMP_CMP_GT", Value = 5 })));
        Run(ordered, "personality", 11).Should().Be(Eperm);
        Run(ordered, "personality", 6).Should().Be(SeccompAction.KillProcess);
        Run(ordered, "personality", 5).Should().Be(Allow);

        var unconditional = Compile(Profile("SCMP_ACT_ERRNO",
            Rule("SCMP_ACT_LOG", ["personality"], new LinuxSeccompArg { Index = 0, Op = "SCMP_CMP_EQ", Value = 0 }),
            Rule("SCMP_ACT_ALLOW", ["personality"])));
        Run(unconditional, "personality", 0).Should().Be(Allow);
        Run(unconditional, "personality", 1).Should().Be(Allow);
    }

    [Test]
    public void Far_jumps_are_laid_out_through_unconditional_jumps()
    {
        // Hundreds of system calls, each with a chain of conditions: the chains end up far past 255
        // instructions from the search that jumps to them.
        var rules = Native.Table.All.OrderBy(s => s.Number).Take(300)
            .Select(s => Rule("SCMP_ACT_ALLOW", [s.Name], new LinuxSeccompArg { Index = 1, Op = "SCMP_CMP_EQ", Value = s.Number + 0x1_00000000UL }))
            .ToArray();
        var filter = Compile(Profile("SCMP_ACT_ERRNO", rules));
        filter.Instructions.Should().BeGreaterThan(1000);
        foreach (var rule in rules)
        {
            uint nr = Nr(rule.Names[0]);
            BpfInterpreter.Run(filter.Program, new SyscallData(nr, AuditX86_64, 0, nr + 0x1_00000000UL, 0, 0, 0, 0)).Result.Should().Be(Allow);
            BpfInterpreter.Run(filter.Program, new SyscallData(nr, AuditX86_64, 0, nr, 0, 0, 0, 0)).Result.Should().Be(Eperm);
        }
    }

    [Test]
    public void Names_no_table_knows_are_one_warning_and_bad_input_names_the_field()
    {
        var warnings = new List<string>();
        var filter = Compile(Profile("SCMP_ACT_ERRNO", Rule("SCMP_ACT_ALLOW", ["read", "no_such_call", "another_one"])), warnings);
        warnings.Should().ContainSingle().Which.Should().Contain("no_such_call").And.Contain("another_one");
        Run(filter, "read").Should().Be(Allow);

        var act = () => Compile(Profile("SCMP_ACT_ERRNO", Rule("SCMP_ACT_ALLOW", ["read"]), Rule("SCMP_ACT_BOGUS", ["write"])));
        act.Should().Throw<RuntimeException>().WithMessage("linux.seccomp.syscalls[1].action: unknown action \"SCMP_ACT_BOGUS\"");

        var badOp = () => Compile(Profile("SCMP_ACT_ERRNO", Rule("SCMP_ACT_ALLOW", ["read"], new LinuxSeccompArg { Op = "SCMP_CMP_XX" })));
        badOp.Should().Throw<RuntimeException>().WithMessage("linux.seccomp.syscalls[0].args[0].op: unknown operator*");

        warnings.Clear();
        var foreign = Profile("SCMP_ACT_ERRNO", Rule("SCMP_ACT_ALLOW", ["read"]));
        foreign.Architectures = ["SCMP_ARCH_PPC64LE", "SCMP_ARCH_AARCH64", "SCMP_ARCH_X86"];
        Compile(foreign, warnings);
        warnings.Should().HaveCount(2).And.AllSatisfy(w => w.Should().Contain("cannot run on this x86_64 host"));
        warnings[0].Should().StartWith("linux.seccomp.architectures[0]: SCMP_ARCH_PPC64LE");
    }

    [Test]
    public void Flags_are_passed_and_a_listener_comes_with_notify_rules()
    {
        var config = Profile("SCMP_ACT_ALLOW", Rule("SCMP_ACT_ERRNO", ["mkdir"]));
        config.Flags = ["SECCOMP_FILTER_FLAG_LOG", "SECCOMP_FILTER_FLAG_SPEC_ALLOW", "SECCOMP_FILTER_FLAG_TSYNC"];
        Compile(config).Flags.Should().Be(SeccompFlags.Log | SeccompFlags.SpecAllow | SeccompFlags.Tsync);

        var warnings = new List<string>();
        config.Flags = ["SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV"];
        Compile(config, warnings).Flags.Should().Be(0u);
        warnings.Should().ContainSingle().Which.Should().Contain("only applies to SCMP_ACT_NOTIFY");

        var notify = Profile("SCMP_ACT_ALLOW", Rule("SCMP_ACT_NOTIFY", ["mkdir"]));
        notify.ListenerPath = "/run/agent.sock";
        notify.Flags = ["SECCOMP_FILTER_FLAG_TSYNC", "SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV"];
        Compile(notify).Flags.Should().Be(SeccompFlags.NewListener | SeccompFlags.Tsync | SeccompFlags.TsyncEsrch | SeccompFlags.WaitKillableRecv,
            "the kernel refuses TSYNC with a listener unless it may answer ESRCH");
    }

    private static LinuxSeccomp DockerDefault() =>
        JsonSerializer.Deserialize(File.ReadAllText(Path.Combine(ExecutorHeaderTests.RepoRoot(), "Tests", "Fixtures", "seccomp", "docker-default-oci-amd64.json")),
            SpecJsonContext.Default.LinuxSeccomp)!;

    [Test]
    public void Dockers_default_profile_compiles_small_and_decides_common_calls_in_few_steps()
    {
        var filter = Compile(DockerDefault());
        filter.Instructions.Should().BeLessThan(1000);
        var steps = new List<int>();
        foreach (var name in new[] { "read", "write", "openat", "close", "futex", "epoll_wait", "getppid", "mmap", "execve" })
        {
            var (result, count) = BpfInterpreter.Run(filter.Program, new SyscallData(Nr(name), AuditX86_64, Pad([])));
            result.Should().Be(Allow, name);
            steps.Add(count);
        }
        steps.Max().Should().BeLessThan(16, "a binary search, not a chain of hundreds of comparisons");
    }

    [Test]
    public void Dockers_default_profile_allows_and_denies_what_docker_means_it_to()
    {
        var filter = Compile(DockerDefault());
        var eperm = SeccompAction.Errno | 1;
        Run(filter, "mount").Should().Be(eperm);
        Run(filter, "unshare").Should().Be(eperm);
        Run(filter, "kexec_load").Should().Be(eperm);
        Run(filter, "clone3").Should().Be(SeccompAction.Errno | SeccompAction.ENOSYS, "clone3 is answered ENOSYS so libc falls back to clone");
        Run(filter, "personality", 0).Should().Be(Allow);
        Run(filter, "personality", 0xffffffff).Should().Be(Allow);
        Run(filter, "personality", 1).Should().Be(eperm);
        Run(filter, "personality", 0x1_ffffffff).Should().Be(eperm, "the whole 64-bit value is compared");
        Run(filter, "socket", 1).Should().Be(Allow);
        Run(filter, "socket", 40).Should().Be(eperm, "AF_VSOCK");
        Run(filter, "clone", 0x11).Should().Be(Allow, "SIGCHLD");
        Run(filter, "clone", 0x20000).Should().Be(eperm, "CLONE_NEWNS");
        uint i386Mkdir = Nr("mkdir", SeccompArch.X86);
        BpfInterpreter.Run(filter.Program, new SyscallData(i386Mkdir, SeccompArch.X86.AuditArch, Pad([]))).Result.Should().Be(Allow);
    }
}
