using Runcs.Spec;

namespace Runcs.Runtime.Seccomp;

/// <summary>A rule for one system call: its action when every condition holds (no conditions: always).</summary>
public sealed record SeccompRule(uint Action, IReadOnlyList<ArgCondition> Conditions);

/// <summary>The rules of one architecture, by system call number.</summary>
public sealed class ArchRules(SeccompArch arch)
{
    public SeccompArch Arch { get; } = arch;

    /// <summary>Rules per system call, in the profile's order.</summary>
    public SortedDictionary<uint, List<SeccompRule>> BySyscall { get; } = [];

    /// <summary>
    /// The highest system call number the profile names for this architecture,
    /// whatever its action: anything above it is newer than the profile.
    /// </summary>
    public uint? Highest { get; set; }
}

/// <summary>
/// linux.seccomp resolved against the syscall tables: return values instead of
/// action names, numbers instead of names, per architecture. Reading it this
/// way follows runc (and libseccomp) where the spec is silent:
/// <list type="bullet">
/// <item>the native architecture is always included; names the host cannot
/// run are ignored with a warning (no such system call can reach the filter);</item>
/// <item>names no table knows are ignored with one warning (runc logs them);</item>
/// <item>a rule with the default action is dropped: it changes nothing;</item>
/// <item>several conditions on the same argument are alternatives, one rule
/// each (runc does this because libseccomp cannot AND them); otherwise a
/// rule's conditions must all hold;</item>
/// <item>an unconditional rule decides its system call whatever the
/// conditional ones say (libseccomp keeps only it); conditional rules are
/// tried in the profile's order, the first that matches decides.</item>
/// </list>
/// </summary>
public sealed class SeccompProfile
{
    private const string Path = "linux.seccomp";

    public required uint DefaultAction { get; init; }

    /// <summary>
    /// Whether system calls newer than the profile fail with ENOSYS rather than
    /// the default action, so programs fall back to older calls (clone3 →
    /// clone). Not needed when the default already lets them run, or already
    /// answers ENOSYS.
    /// </summary>
    public required bool EnosysForNewer { get; init; }

    public required IReadOnlyList<ArchRules> Arches { get; init; }

    /// <summary>SECCOMP_FILTER_FLAG_* to load the filter with.</summary>
    public required uint Flags { get; init; }

    /// <summary>Some rule answers SCMP_ACT_NOTIFY: the filter is loaded with a listener.</summary>
    public bool UsesNotify => (Flags & SeccompFlags.NewListener) != 0;

    /// <param name="warn">problems the user should see (an architecture this host cannot run, a flag that does not apply)</param>
    /// <param name="debug">
    /// system call names no table knows: a debug message, not a warning, as in runc (libseccomp
    /// ignores them too). Docker's and podman's default profiles name several (recv, send, timerfd on
    /// x86_64), and a warning on stderr would land in every container's log, since create's stderr
    /// is the container's. Null: use warn.
    /// </param>
    public static SeccompProfile Resolve(LinuxSeccomp config, SeccompArch native, Action<string> warn, Action<string>? debug = null)
    {
        uint defaultAction = SeccompAction.ReturnValue(config.DefaultAction, config.DefaultErrnoRet)
            ?? throw new RuntimeException($"{Path}.defaultAction: unknown action \"{config.DefaultAction}\"");
        var arches = Architectures(config.Architectures, native, warn);

        var unknown = new List<string>();
        bool usesNotify = false;
        var syscalls = config.Syscalls ?? [];
        for (int i = 0; i < syscalls.Count; i++)
        {
            var entry = syscalls[i];
            var path = $"{Path}.syscalls[{i}]";
            uint action = SeccompAction.ReturnValue(entry.Action, entry.ErrnoRet)
                ?? throw new RuntimeException($"{path}.action: unknown action \"{entry.Action}\"");
            var rules = SplitConditions(entry, action, path);
            usesNotify |= action == SeccompAction.UserNotif;

            foreach (var name in entry.Names)
            {
                bool known = false;
                foreach (var arch in arches)
                {
                    if (!arch.Arch.Table.TryGet(name, out var number))
                        continue;
                    known = true;
                    arch.Highest = Math.Max(arch.Highest ?? 0, number);
                    if (action == defaultAction)
                        continue;
                    if (!arch.BySyscall.TryGetValue(number, out var list))
                        arch.BySyscall[number] = list = [];
                    list.AddRange(rules);
                }
                if (!known && !unknown.Contains(name))
                    unknown.Add(name);
            }
        }
        if (unknown.Count > 0)
            (debug ?? warn)($"{Path}: ignoring system calls unknown on {string.Join(", ", arches.Select(a => a.Arch.Table.Name))}: {string.Join(", ", unknown)}");

        return new SeccompProfile
        {
            DefaultAction = defaultAction,
            EnosysForNewer = !SeccompAction.IsPermissive(defaultAction) && defaultAction != (SeccompAction.Errno | SeccompAction.ENOSYS),
            Arches = arches,
            Flags = FilterFlags(config.Flags, usesNotify, warn),
        };
    }

    private static List<ArchRules> Architectures(IReadOnlyList<string>? names, SeccompArch native, Action<string> warn)
    {
        var runnable = SeccompArch.RunnableOn(native);
        var arches = new List<ArchRules> { new(native) };
        for (int i = 0; i < (names?.Count ?? 0); i++)
        {
            var arch = SeccompArch.FromName(names![i]);
            if (arch is null || !runnable.Contains(arch))
            {
                warn($"{Path}.architectures[{i}]: {names[i]} cannot run on this {native.Table.Name} host, ignoring it");
                continue;
            }
            if (arches.All(a => a.Arch != arch))
                arches.Add(new ArchRules(arch));
        }
        return arches;
    }

    /// <summary>The entry's conditions as rules: one rule of them all, or one rule per condition when an argument repeats.</summary>
    private static List<SeccompRule> SplitConditions(LinuxSyscall entry, uint action, string path)
    {
        var args = entry.Args ?? [];
        var conditions = args.Select((arg, i) => ArgCondition.FromConfig(arg, $"{path}.args[{i}]")).ToList();
        if (conditions.Any(c => c.Index is < 0 or > 5))
            throw new RuntimeException($"{path}.args: argument index must be between 0 and 5");
        bool repeats = conditions.GroupBy(c => c.Index).Any(g => g.Count() > 1);
        return repeats
            ? conditions.Select(c => new SeccompRule(action, [c])).ToList()
            : [new SeccompRule(action, conditions)];
    }

    private static uint FilterFlags(IReadOnlyList<string>? names, bool usesNotify, Action<string> warn)
    {
        uint flags = usesNotify ? SeccompFlags.NewListener : 0;
        for (int i = 0; i < (names?.Count ?? 0); i++)
        {
            if (!SeccompFlags.Known.TryGetValue(names![i], out var flag))
                throw new RuntimeException($"{Path}.flags[{i}]: unknown seccomp flag \"{names[i]}\"");
            if (flag == SeccompFlags.WaitKillableRecv && !usesNotify)
            {
                warn($"{Path}.flags[{i}]: {names[i]} only applies to SCMP_ACT_NOTIFY rules, ignoring it");
                continue;
            }
            flags |= flag;
        }
        // A listener with TSYNC makes seccomp(2) refuse the pair unless a failed sync answers ESRCH.
        if ((flags & (SeccompFlags.Tsync | SeccompFlags.NewListener)) == (SeccompFlags.Tsync | SeccompFlags.NewListener))
            flags |= SeccompFlags.TsyncEsrch;
        return flags;
    }
}
