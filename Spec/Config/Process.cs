using System.Text.Json.Serialization;

namespace Runcs.Spec;

/// <summary>
/// The process to run: config.json's <c>process</c>, and the whole of the process.json that <c>exec --process</c> reads.
/// </summary>
public sealed class Process
{
    /// <summary>Give the process a pseudo-terminal as stdio (its master goes to <c>--console-socket</c>).</summary>
    [JsonPropertyName("terminal")]
    public bool Terminal { get; set; }

    /// <summary>Initial terminal size; ignored unless <see cref="Terminal"/> is set.</summary>
    [JsonPropertyName("consoleSize")]
    public Box? ConsoleSize { get; set; }

    /// <summary>Who the process runs as. Go reads a missing user as uid 0, gid 0, and so do we.</summary>
    [JsonPropertyName("user")]
    public User User { get; set; } = new();

    /// <summary>argv; args[0] is looked up in the container's PATH when it has no slash.</summary>
    [JsonPropertyName("args")]
    public List<string>? Args { get; set; }

    /// <summary>Environment as "NAME=value" strings.</summary>
    [JsonPropertyName("env")]
    public List<string>? Env { get; set; }

    /// <summary>Working directory inside the container; must be absolute.</summary>
    [JsonPropertyName("cwd")]
    public string Cwd { get; set; } = "";

    [JsonPropertyName("capabilities")]
    public LinuxCapabilities? Capabilities { get; set; }

    [JsonPropertyName("rlimits")]
    public List<PosixRlimit>? Rlimits { get; set; }

    /// <summary>Set PR_SET_NO_NEW_PRIVS, so setuid binaries and file capabilities cannot raise privileges.</summary>
    [JsonPropertyName("noNewPrivileges")]
    public bool NoNewPrivileges { get; set; }

    /// <summary>AppArmor profile to switch to on exec.</summary>
    [JsonPropertyName("apparmorProfile")]
    public string? ApparmorProfile { get; set; }

    /// <summary>Value for /proc/self/oom_score_adj, -1000..1000.</summary>
    [JsonPropertyName("oomScoreAdj")]
    public int? OomScoreAdj { get; set; }

    [JsonPropertyName("scheduler")]
    public Scheduler? Scheduler { get; set; }

    /// <summary>SELinux label to exec the process with.</summary>
    [JsonPropertyName("selinuxLabel")]
    public string? SelinuxLabel { get; set; }

    [JsonPropertyName("ioPriority")]
    public IoPriority? IoPriority { get; set; }

    [JsonPropertyName("execCPUAffinity")]
    public CpuAffinity? ExecCpuAffinity { get; set; }
}

/// <summary>A terminal size in characters.</summary>
public sealed class Box
{
    [JsonPropertyName("height")]
    public uint Height { get; set; }

    [JsonPropertyName("width")]
    public uint Width { get; set; }
}

/// <summary>The ids the process runs with, as numbers: the runtime never looks names up in the container's /etc/passwd.</summary>
public sealed class User
{
    [JsonPropertyName("uid")]
    public uint Uid { get; set; }

    [JsonPropertyName("gid")]
    public uint Gid { get; set; }

    /// <summary>umask to set before exec; when absent the runtime's default (0022) applies.</summary>
    [JsonPropertyName("umask")]
    public uint? Umask { get; set; }

    /// <summary>Supplementary groups (setgroups).</summary>
    [JsonPropertyName("additionalGids")]
    public List<uint>? AdditionalGids { get; set; }
}

/// <summary>Capability sets of the process, each a list of names such as "CAP_KILL".</summary>
public sealed class LinuxCapabilities
{
    [JsonPropertyName("bounding")]
    public List<string>? Bounding { get; set; }

    [JsonPropertyName("effective")]
    public List<string>? Effective { get; set; }

    [JsonPropertyName("inheritable")]
    public List<string>? Inheritable { get; set; }

    [JsonPropertyName("permitted")]
    public List<string>? Permitted { get; set; }

    [JsonPropertyName("ambient")]
    public List<string>? Ambient { get; set; }
}

/// <summary>One setrlimit(2) call.</summary>
public sealed class PosixRlimit
{
    /// <summary>Resource name, e.g. "RLIMIT_NOFILE" (see <see cref="Rlimits.Known"/>).</summary>
    [JsonPropertyName("type")]
    public string Type { get; set; } = "";

    [JsonPropertyName("hard")]
    public ulong Hard { get; set; }

    [JsonPropertyName("soft")]
    public ulong Soft { get; set; }
}

/// <summary>sched_setattr(2) parameters for the process.</summary>
public sealed class Scheduler
{
    /// <summary>"SCHED_OTHER", "SCHED_FIFO", "SCHED_RR", "SCHED_BATCH", "SCHED_ISO", "SCHED_IDLE" or "SCHED_DEADLINE".</summary>
    [JsonPropertyName("policy")]
    public string Policy { get; set; } = "";

    /// <summary>Nice value (-20..19) for SCHED_OTHER and SCHED_BATCH.</summary>
    [JsonPropertyName("nice")]
    public int Nice { get; set; }

    /// <summary>Static priority for SCHED_FIFO and SCHED_RR.</summary>
    [JsonPropertyName("priority")]
    public int Priority { get; set; }

    /// <summary>"SCHED_FLAG_*" names.</summary>
    [JsonPropertyName("flags")]
    public List<string>? Flags { get; set; }

    /// <summary>SCHED_DEADLINE runtime, in nanoseconds.</summary>
    [JsonPropertyName("runtime")]
    public ulong Runtime { get; set; }

    /// <summary>SCHED_DEADLINE deadline, in nanoseconds.</summary>
    [JsonPropertyName("deadline")]
    public ulong Deadline { get; set; }

    /// <summary>SCHED_DEADLINE period, in nanoseconds.</summary>
    [JsonPropertyName("period")]
    public ulong Period { get; set; }
}

/// <summary>ioprio_set(2) parameters for the process.</summary>
public sealed class IoPriority
{
    /// <summary>"IOPRIO_CLASS_RT", "IOPRIO_CLASS_BE" or "IOPRIO_CLASS_IDLE".</summary>
    [JsonPropertyName("class")]
    public string Class { get; set; } = "";

    /// <summary>Priority within the class, 0 (highest) to 7.</summary>
    [JsonPropertyName("priority")]
    public int Priority { get; set; }
}

/// <summary>CPU lists ("0-3,7") for a process joining the container with <c>exec</c>.</summary>
public sealed class CpuAffinity
{
    /// <summary>Affinity while the runtime moves the process into the container's cgroup.</summary>
    [JsonPropertyName("initial")]
    public string? Initial { get; set; }

    /// <summary>Affinity set just before the user's program is executed.</summary>
    [JsonPropertyName("final")]
    public string? Final { get; set; }
}
