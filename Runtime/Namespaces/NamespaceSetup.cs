using Runcs.Runtime.Native;
using Runcs.Spec;

namespace Runcs.Runtime.Namespaces;

/// <summary>
/// Which namespaces a process gets, new or joined, and the first stage of a plan
/// that puts it there. Joined namespaces are opened here, in the runtime, so a
/// bad path is reported before anything is cloned; the executor inherits the
/// descriptors and setns()es into them.
/// </summary>
public sealed class NamespaceSetup : IDisposable
{
    private readonly List<(NamespaceKind Kind, int Fd)> joined = [];
    private bool disposed;

    private NamespaceSetup(IReadOnlySet<NamespaceKind> created)
    {
        Created = created;
    }

    /// <summary>Namespaces the process gets new ones of.</summary>
    public IReadOnlySet<NamespaceKind> Created { get; }

    public IEnumerable<NamespaceKind> Joined => joined.Select(j => j.Kind);

    public bool Has(NamespaceKind kind) => Created.Contains(kind) || joined.Any(j => j.Kind == kind);

    /// <summary>From config.json's linux.namespaces.</summary>
    public static NamespaceSetup FromConfig(IReadOnlyList<LinuxNamespace>? namespaces)
    {
        var created = new HashSet<NamespaceKind>();
        var setup = new NamespaceSetup(created);
        try
        {
            for (int i = 0; i < (namespaces?.Count ?? 0); i++)
            {
                var ns = namespaces![i];
                var kind = NamespaceKind.FromSpecName(ns.Type)
                    ?? throw new RuntimeException($"linux.namespaces[{i}].type: unknown namespace type \"{ns.Type}\"");
                if (string.IsNullOrEmpty(ns.Path))
                    created.Add(kind);
                else
                    setup.joined.Add((kind, OpenNamespace(ns.Path, $"linux.namespaces[{i}].path")));
            }
        }
        catch
        {
            setup.Dispose();
            throw;
        }
        return setup;
    }

    /// <summary>
    /// Every namespace of a running process that differs from the runtime's own,
    /// for exec and for hooks that run inside a container. (Entering the user
    /// namespace one is already in is an error, so same ones are skipped.)
    /// </summary>
    public static NamespaceSetup JoinAllOf(int pid)
    {
        var setup = new NamespaceSetup(new HashSet<NamespaceKind>());
        try
        {
            foreach (var kind in NamespaceKind.JoinOrder)
            {
                var path = $"/proc/{pid}/ns/{kind.ProcName}";
                if (!File.Exists(path))
                    continue; // a kernel without this namespace type
                if (SameFile(path, $"/proc/self/ns/{kind.ProcName}"))
                    continue;
                setup.joined.Add((kind, OpenNamespace(path, "namespace")));
            }
        }
        catch
        {
            setup.Dispose();
            throw;
        }
        return setup;
    }

    private static bool SameFile(string a, string b)
    {
        try
        {
            return new FileInfo(a).LinkTarget == new FileInfo(b).LinkTarget;
        }
        catch (IOException)
        {
            return false;
        }
    }

    /// <summary>
    /// A stage that enters the joined namespaces and forks into them (the pid
    /// namespace takes effect for children). Non-dumpable from the start, so no
    /// process of the container can open our /proc files while we are still
    /// the runtime (CVE-2019-5736). With joinCgroups it first lets the runtime
    /// put it in the container's cgroups, which the forked child inherits.
    /// </summary>
    public void EmitJoinStage(PlanBuilder plan, bool joinCgroups = false)
    {
        plan.Prctl(Prctl.PR_SET_DUMPABLE, 0, "make the process non-dumpable");
        if (joinCgroups)
            plan.Sync(SyncTag.IdMapsAndCgroups);
        foreach (var (kind, fd) in joined.OrderBy(j => j.Kind.JoinRank))
            plan.SetNs(fd, kind.CloneFlag, $"enter the {kind.SpecName} namespace");
        plan.Fork("fork into the namespaces");
    }

    private static int OpenNamespace(string path, string field)
    {
        var fd = FileDescriptors.Open(path, Tmds.Linux.LibC.O_RDONLY | Tmds.Linux.LibC.O_CLOEXEC);
        if (fd < 0)
            throw new RuntimeException($"{field}: open {path}: {Syscalls.Describe(-fd)}");
        return fd;
    }

    /// <summary>
    /// The first stage: become non-dumpable (no one may open our /proc files or
    /// ptrace us, CVE-2019-5736), enter or create the user namespace, let the
    /// runtime write id maps and cgroups, enter the other joined namespaces,
    /// create the new ones, and fork, so the next stage is inside the new pid
    /// and time namespaces that unshare() only sets up for children.
    /// </summary>
    public void EmitFirstStage(PlanBuilder plan, IReadOnlyDictionary<string, LinuxTimeOffset>? timeOffsets)
    {
        plan.Prctl(Prctl.PR_SET_PDEATHSIG, 9, "set the parent death signal");
        plan.Prctl(Prctl.PR_SET_DUMPABLE, 0, "make the process non-dumpable");

        var userJoin = joined.FirstOrDefault(j => j.Kind == NamespaceKind.User);
        if (userJoin.Kind is not null)
            plan.SetNs(userJoin.Fd, NamespaceKind.CLONE_NEWUSER, "enter the user namespace");
        else if (Created.Contains(NamespaceKind.User))
            plan.Unshare(NamespaceKind.CLONE_NEWUSER, "create the user namespace");

        plan.Sync(SyncTag.IdMapsAndCgroups);
        if (Has(NamespaceKind.User))
        {
            plan.SetResGid(0);
            plan.SetResUid(0);
        }

        foreach (var (kind, fd) in joined.Where(j => j.Kind != NamespaceKind.User).OrderBy(j => j.Kind.JoinRank))
            plan.SetNs(fd, kind.CloneFlag, $"enter the {kind.SpecName} namespace");

        int flags = Created.Where(k => k != NamespaceKind.User).Aggregate(0, (f, k) => f | k.CloneFlag);
        if (flags != 0)
            plan.Unshare(flags, $"create namespaces ({string.Join(", ", Created.Where(k => k != NamespaceKind.User).Select(k => k.SpecName))})");

        if (Created.Contains(NamespaceKind.Time) && timeOffsets is { Count: > 0 })
        {
            var offsets = string.Join("", timeOffsets.Select(o => $"{o.Key} {o.Value.Secs} {o.Value.Nanosecs}\n"));
            plan.WriteFile("/proc/self/timens_offsets", offsets, "set the time namespace offsets");
        }
        plan.Fork("fork into the new namespaces");
        // The parent death signal does not survive fork().
        plan.Prctl(Prctl.PR_SET_PDEATHSIG, 9, "set the parent death signal");
    }

    /// <summary>
    /// The parent closes its copies once the executor has been cloned; the
    /// executor closes its own after setns().
    /// </summary>
    public void Dispose()
    {
        if (disposed)
            return;
        disposed = true;
        foreach (var (_, fd) in joined)
            Tmds.Linux.LibC.close(fd);
    }
}
