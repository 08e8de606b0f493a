using Runcs.Spec;

namespace Runcs.Runtime.Seccomp;

/// <summary>A compiled filter: what OP_SECCOMP hands to seccomp(2).</summary>
public sealed record SeccompFilter(byte[] Program, int Instructions, uint Flags)
{
    public bool HasListener => (Flags & SeccompFlags.NewListener) != 0;

    /// <summary>The filter as a file: the flags (4 bytes, little-endian), then the program.</summary>
    public byte[] ToBytes() => [.. BitConverter.GetBytes(Flags), .. Program];

    public static SeccompFilter FromBytes(byte[] bytes) =>
        new(bytes[4..], (bytes.Length - 4) / 8, BitConverter.ToUInt32(bytes, 0));
}

/// <summary>
/// Compiles linux.seccomp to a classic BPF program, without libseccomp:
/// <code>
///   load arch; one jeq per architecture; otherwise kill (a foreign ABI)
///   per architecture: load nr; a binary search over ranges of system call
///     numbers that share an outcome (at most ~log2(ranges) jumps for any call);
///     the shared returns; then one chain per system call with argument
///     conditions, its rules in order, the default last.
/// </code>
/// Consecutive numbers with the same outcome form one range, so a profile that
/// allows 360 system calls searches about 100 ranges, not 360 numbers, and the
/// numbers above the newest one the profile names form one range answering
/// ENOSYS (see <see cref="SeccompProfile.EnosysForNewer"/>).
/// </summary>
public static class SeccompCompiler
{
    public static SeccompFilter Compile(LinuxSeccomp config, SeccompArch native, Action<string> warn, Action<string>? debug = null) =>
        Compile(SeccompProfile.Resolve(config, native, warn, debug));

    /// <summary>Compiles for the architecture runcs runs on.</summary>
    public static SeccompFilter CompileNative(LinuxSeccomp config, Action<string> warn, Action<string>? debug = null) =>
        Compile(config, SeccompArch.Native ?? throw new RuntimeException(
            $"linux.seccomp: no seccomp support on {System.Runtime.InteropServices.RuntimeInformation.ProcessArchitecture}"), warn, debug);

    public static SeccompFilter Compile(SeccompProfile profile)
    {
        var asm = new BpfAssembler();
        asm.Load(ArgCondition.ArchOffset);
        var groups = profile.Arches.GroupBy(a => a.Arch.AuditArch).ToList();
        var entries = groups.Select(_ => asm.NewLabel()).ToList();
        for (int i = 0; i < groups.Count; i++)
        {
            var next = asm.NewLabel();
            asm.Jump(BpfOp.JeqK, groups[i].Key, entries[i], next);
            asm.Mark(next);
        }
        // An ABI the profile does not cover (libseccomp's "bad arch" action).
        asm.Return(SeccompAction.KillThread);

        for (int i = 0; i < groups.Count; i++)
        {
            asm.Mark(entries[i]);
            asm.Load(ArgCondition.NrOffset);
            new ArchDispatch(asm, profile).Emit(groups[i].ToList());
        }

        var program = asm.Assemble();
        if (program.Length > BpfOp.MaxInstructions)
            throw new RuntimeException($"linux.seccomp: the compiled filter has {program.Length} instructions, more than the kernel's {BpfOp.MaxInstructions}");
        return new SeccompFilter(BpfAssembler.Encode(program), program.Length, profile.Flags);
    }

    /// <summary>What a range of system call numbers leads to.</summary>
    private abstract record Outcome;

    private sealed record Return(uint Value) : Outcome;

    /// <summary>A system call whose rules have argument conditions.</summary>
    private sealed record Chain(uint Number, SeccompArch Arch, IReadOnlyList<SeccompRule> Rules) : Outcome;

    /// <summary>The code of one AUDIT_ARCH value (x86_64 and x32 share one).</summary>
    private sealed class ArchDispatch(BpfAssembler asm, SeccompProfile profile)
    {
        private readonly Dictionary<uint, BpfAssembler.Label> returns = [];
        private readonly List<(BpfAssembler.Label Label, Chain Chain)> chains = [];

        public void Emit(IReadOnlyList<ArchRules> arches)
        {
            var ranges = Ranges(arches);
            if (ranges.Count == 1)
                asm.JumpTo(LabelOf(ranges[0].Outcome));
            else
                EmitSearch(ranges, 0, ranges.Count - 1, asm.NewLabel());

            foreach (var (value, label) in returns)
            {
                asm.Mark(label);
                asm.Return(value);
            }
            foreach (var (label, chain) in chains)
            {
                asm.Mark(label);
                foreach (var rule in chain.Rules)
                {
                    var next = asm.NewLabel();
                    foreach (var condition in rule.Conditions)
                        condition.Emit(asm, next, chain.Arch.Is32Bit);
                    asm.Return(rule.Action);
                    asm.Mark(next);
                }
                asm.Return(profile.DefaultAction);
            }
        }

        /// <summary>One node of the search: numbers from ranges[mid].Start go right, the others left.</summary>
        private void EmitSearch(List<(uint Start, Outcome Outcome)> ranges, int first, int last, BpfAssembler.Label here)
        {
            asm.Mark(here);
            int mid = (first + last + 1) / 2;
            var left = first == mid - 1 ? LabelOf(ranges[first].Outcome) : asm.NewLabel();
            var right = mid == last ? LabelOf(ranges[last].Outcome) : asm.NewLabel();
            asm.Jump(BpfOp.JgeK, ranges[mid].Start, right, left);
            if (first < mid - 1)
                EmitSearch(ranges, first, mid - 1, left);
            if (mid < last)
                EmitSearch(ranges, mid, last, right);
        }

        private BpfAssembler.Label LabelOf(Outcome outcome)
        {
            if (outcome is Return r)
            {
                if (!returns.TryGetValue(r.Value, out var label))
                    returns[r.Value] = label = asm.NewLabel();
                return label;
            }
            var chain = (Chain)outcome;
            var existing = chains.FindIndex(c => c.Chain == chain);
            if (existing >= 0)
                return chains[existing].Label;
            var newLabel = asm.NewLabel();
            chains.Add((newLabel, chain));
            return newLabel;
        }

        /// <summary>
        /// The number line of this AUDIT_ARCH cut into ranges with one outcome
        /// each, as (first number, outcome) in ascending order. On x86_64 the
        /// numbers with bit 30 set are x32's; an ABI the profile does not list
        /// gets the foreign-ABI kill.
        /// </summary>
        private List<(uint Start, Outcome Outcome)> Ranges(IReadOnlyList<ArchRules> arches)
        {
            var points = new SortedDictionary<uint, Outcome>();
            if (arches[0].Arch.AuditArch == SeccompArch.X86_64.AuditArch)
            {
                var x86_64 = arches.FirstOrDefault(a => !a.Arch.IsX32);
                var x32 = arches.FirstOrDefault(a => a.Arch.IsX32);
                AddPoints(points, x86_64, 0, SeccompArch.X32SyscallBit - 1);
                AddPoints(points, x32, SeccompArch.X32SyscallBit, uint.MaxValue);
            }
            else
            {
                AddPoints(points, arches[0], 0, uint.MaxValue);
            }

            var ranges = new List<(uint Start, Outcome Outcome)>();
            foreach (var (start, outcome) in points)
                if (ranges.Count == 0 || ranges[^1].Outcome != outcome)
                    ranges.Add((start, outcome));
            return ranges;
        }

        private void AddPoints(SortedDictionary<uint, Outcome> points, ArchRules? arch, uint first, uint last)
        {
            var fallback = new Return(profile.DefaultAction);
            if (arch is null)
            {
                points[first] = new Return(SeccompAction.KillThread);
                return;
            }
            points[first] = fallback;
            // Every named number starts a range, and the number after it goes back to the default...
            foreach (var number in arch.BySyscall.Keys)
                if (number < last)
                    points.TryAdd(number + 1, fallback);
            foreach (var (number, rules) in arch.BySyscall)
                points[number] = OutcomeOf(number, arch.Arch, rules);
            // ...until the numbers newer than the profile.
            if (profile.EnosysForNewer && arch.Highest is uint highest && highest < last)
                points[highest + 1] = new Return(SeccompAction.Errno | SeccompAction.ENOSYS);
        }

        private static Outcome OutcomeOf(uint number, SeccompArch arch, List<SeccompRule> rules)
        {
            var unconditional = rules.FirstOrDefault(r => r.Conditions.Count == 0);
            if (unconditional is not null)
                return new Return(unconditional.Action);
            return new Chain(number, arch, rules);
        }
    }
}
