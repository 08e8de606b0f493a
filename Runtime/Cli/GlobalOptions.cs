using Runcs.Runtime.State;

namespace Runcs.Cli;

/// <summary>
/// runc's global flags. They come before the command, as every caller passes
/// them, and are read by ArgumentSplitter on the way to the command (which
/// CommandLineParser parses): a second parser pass over them cost more start-up
/// time than the rest of `runcs state`.
/// </summary>
public sealed class GlobalOptions
{
    /// <summary>--root: the state directory (in tmpfs).</summary>
    public string Root { get; set; } = StateStore.DefaultRoot;

    /// <summary>--log: the log file; stderr without it.</summary>
    public string? Log { get; set; }

    /// <summary>--log-format: text or json.</summary>
    public string LogFormat { get; set; } = "text";

    public bool Debug { get; set; }

    /// <summary>--systemd-cgroup: refused until the systemd driver exists.</summary>
    public bool SystemdCgroup { get; set; }

    /// <summary>--criu: accepted for compatibility (checkpoint is not built).</summary>
    public string? Criu { get; set; }

    /// <summary>--rootless: true, false or auto.</summary>
    public string Rootless { get; set; } = "auto";

    public bool Help { get; set; }

    public bool Version { get; set; }
}
