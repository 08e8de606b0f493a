namespace Runcs.Runtime.Namespaces;

/// <summary>A namespace type as the spec names it, with the kernel's flag and /proc name.</summary>
public sealed record NamespaceKind(string SpecName, int CloneFlag, string ProcName)
{
    public const int CLONE_NEWTIME = 0x00000080;
    public const int CLONE_NEWNS = 0x00020000;
    public const int CLONE_NEWCGROUP = 0x02000000;
    public const int CLONE_NEWUTS = 0x04000000;
    public const int CLONE_NEWIPC = 0x08000000;
    public const int CLONE_NEWUSER = 0x10000000;
    public const int CLONE_NEWPID = 0x20000000;
    public const int CLONE_NEWNET = 0x40000000;

    public static readonly NamespaceKind User = new("user", CLONE_NEWUSER, "user");
    public static readonly NamespaceKind Ipc = new("ipc", CLONE_NEWIPC, "ipc");
    public static readonly NamespaceKind Uts = new("uts", CLONE_NEWUTS, "uts");
    public static readonly NamespaceKind Network = new("network", CLONE_NEWNET, "net");
    public static readonly NamespaceKind Pid = new("pid", CLONE_NEWPID, "pid");
    public static readonly NamespaceKind Cgroup = new("cgroup", CLONE_NEWCGROUP, "cgroup");
    public static readonly NamespaceKind Time = new("time", CLONE_NEWTIME, "time");
    public static readonly NamespaceKind Mount = new("mount", CLONE_NEWNS, "mnt");

    /// <summary>
    /// The order namespaces are joined in: user first (it decides what the
    /// others may do), mount last (entering it changes what paths mean).
    /// </summary>
    public static readonly NamespaceKind[] JoinOrder = [User, Ipc, Uts, Network, Pid, Cgroup, Time, Mount];

    public int JoinRank => Array.IndexOf(JoinOrder, this);

    public static NamespaceKind? FromSpecName(string name) => JoinOrder.FirstOrDefault(k => k.SpecName == name);
}
