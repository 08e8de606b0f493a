using CommandLine;
using Runcs.Runtime.State;

namespace Runcs.Cli;

/// <summary>runc's global flags; they come before the command, as every caller passes them.</summary>
public sealed class GlobalOptions
{
    [Option("root", Default = StateStore.DefaultRoot, HelpText = "root directory for storage of container state (this should be located in tmpfs)")]
    public string Root { get; set; } = StateStore.DefaultRoot;

    [Option("log", HelpText = "set the log file to write runcs logs to (default is '/dev/stderr')")]
    public string? Log { get; set; }

    [Option("log-format", Default = "text", HelpText = "set the log format ('text' (default), or 'json')")]
    public string LogFormat { get; set; } = "text";

    [Option("debug", HelpText = "enable debug logging")]
    public bool Debug { get; set; }

    [Option("systemd-cgroup", HelpText = "enable systemd cgroup support (not supported by runcs yet)")]
    public bool SystemdCgroup { get; set; }

    [Option("criu", Hidden = true, HelpText = "path to the criu binary used for checkpoint and restore (accepted for compatibility)")]
    public string? Criu { get; set; }

    [Option("rootless", Default = "auto", HelpText = "ignore cgroup permission errors ('true', 'false', or 'auto')")]
    public string Rootless { get; set; } = "auto";
}
