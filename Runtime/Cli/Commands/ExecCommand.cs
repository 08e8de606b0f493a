using CommandLine;
using Runcs.Runtime;
using Runcs.Runtime.Container;
using Runcs.Runtime.Process;
using Runcs.Spec;
using SpecProcess = Runcs.Spec.Process;

namespace Runcs.Cli.Commands;

[Verb("exec", HelpText = "execute new process inside the container")]
public sealed class ExecCommand : Command, IPassThroughArguments
{
    public override string Name => "exec";

    public override string ErrorPrefix => "exec failed: ";

    /// <summary>runc exits 255 when exec itself fails, so callers tell it from the process's own status.</summary>
    public override int FailureExitCode => 255;

    [Option("console-socket", HelpText = "path to an AF_UNIX socket which will receive a file descriptor referencing the master end of the console's pseudoterminal")]
    public string? ConsoleSocket { get; set; }

    [Option("cwd", HelpText = "current working directory in the container")]
    public string? Cwd { get; set; }

    [Option('e', "env", HelpText = "set environment variables")]
    public IEnumerable<string> Env { get; set; } = [];

    [Option('t', "tty", HelpText = "allocate a pseudo-TTY")]
    public bool Tty { get; set; }

    [Option('u', "user", HelpText = "UID (format: <uid>[:<gid>])")]
    public string? User { get; set; }

    [Option('g', "additional-gids", HelpText = "additional gids")]
    public IEnumerable<string> AdditionalGids { get; set; } = [];

    [Option('p', "process", HelpText = "path to the process.json")]
    public string? ProcessFile { get; set; }

    [Option('d', "detach", HelpText = "detach from the container's process")]
    public bool Detach { get; set; }

    [Option("pid-file", HelpText = "specify the file to write the process id to")]
    public string? PidFile { get; set; }

    [Option("process-label", HelpText = "set the asm process label for the process commonly used with selinux")]
    public string? ProcessLabel { get; set; }

    [Option("apparmor", HelpText = "set the apparmor profile for the process")]
    public string? Apparmor { get; set; }

    [Option("no-new-privs", HelpText = "set the no new privileges value for the process")]
    public bool NoNewPrivs { get; set; }

    [Option('c', "cap", HelpText = "add a capability to the bounding set for the process")]
    public IEnumerable<string> Caps { get; set; } = [];

    [Option("preserve-fds", Default = 0, HelpText = "Pass N additional file descriptors to the container (stdio + $LISTEN_FDS + N in total)")]
    public int PreserveFds { get; set; }

    [Option("cgroup", HelpText = "run the process in an (existing) sub-cgroup(s). Format is [<controller>:]<cgroup>.")]
    public IEnumerable<string> Cgroups { get; set; } = [];

    [Option("ignore-paused", HelpText = "allow exec in a paused container")]
    public bool IgnorePaused { get; set; }

    [Value(0, MetaName = "container-id command [args...]")]
    public IEnumerable<string> Args { get; set; } = [];

    public override string? CheckArguments()
    {
        var n = Args.Count();
        if (n < 1)
            return $"runcs: \"{Name}\" requires a minimum of 1 argument(s)";
        return n < 2 && ProcessFile is null ? "exec: no command given (COMMAND, or --process FILE)" : null;
    }

    public override int Execute(CliContext context)
    {
        var id = Args.First();
        var container = Container.Load(context.Runtime, id);
        var process = ProcessFile is not null ? ReadProcessFile(ProcessFile) : FromFlags(container);
        var options = new ExecOptions
        {
            Process = process,
            PidFile = PidFile,
            ConsoleSocket = ConsoleSocket,
            PreserveFds = PreserveFds + SocketActivation.ListenFds(),
            SubCgroups = Cgroups.ToList(),
            IgnorePaused = IgnorePaused,
            Detached = Detach,
        };
        if (Detach)
        {
            using var detached = container.Exec(options);
            return 0;
        }
        return container.ExecForeground(options);
    }

    private static SpecProcess ReadProcessFile(string path)
    {
        var process = SpecReader.ReadProcess(path);
        if (ConfigValidator.ValidateProcess(process) is { Count: > 0 } errors)
            throw new RuntimeException($"{path}: {errors[0]}");
        return process;
    }

    /// <summary>The container's own process with the command and the flags applied, as runc builds it.</summary>
    private SpecProcess FromFlags(Container container)
    {
        var process = container.Context.Store.LoadProcess(container.Id);
        process.Args = Args.Skip(1).ToList();
        process.Terminal = Tty;
        if (Cwd is not null)
            process.Cwd = Cwd;
        if (Apparmor is not null)
            process.ApparmorProfile = Apparmor;
        if (ProcessLabel is not null)
            process.SelinuxLabel = ProcessLabel;
        if (NoNewPrivs)
            process.NoNewPrivileges = true;
        process.Env = [.. process.Env ?? [], .. Env];
        foreach (var cap in Caps)
        {
            process.Capabilities ??= new LinuxCapabilities();
            process.Capabilities.Bounding = [.. process.Capabilities.Bounding ?? [], cap];
            process.Capabilities.Effective = [.. process.Capabilities.Effective ?? [], cap];
            process.Capabilities.Permitted = [.. process.Capabilities.Permitted ?? [], cap];
        }
        if (User is not null)
            ApplyUser(process, User, container.Record.Rootfs);
        foreach (var gid in AdditionalGids)
        {
            if (!uint.TryParse(gid, out var number))
                throw new RuntimeException($"--additional-gids {gid}: not a number");
            process.User.AdditionalGids = [.. process.User.AdditionalGids ?? [], number];
        }
        return process;
    }

    /// <summary>"uid[:gid]", numbers (as runc) or names from the container's /etc/passwd and /etc/group.</summary>
    private static void ApplyUser(SpecProcess process, string spec, string rootfs)
    {
        var parts = spec.Split(':', 2);
        if (uint.TryParse(parts[0], out var uid))
        {
            process.User.Uid = uid;
        }
        else
        {
            var user = Passwd.Users(rootfs).FirstOrDefault(u => u.Name == parts[0])
                ?? throw new RuntimeException($"unable to find user {parts[0]}: no matching entries in the container's /etc/passwd");
            process.User.Uid = user.Uid;
            process.User.Gid = user.Gid;
        }
        if (parts.Length > 1)
        {
            if (uint.TryParse(parts[1], out var gid))
                process.User.Gid = gid;
            else
                process.User.Gid = Passwd.Groups(rootfs).FirstOrDefault(g => g.Name == parts[1]) is { Name: not null } group
                    ? group.Gid
                    : throw new RuntimeException($"unable to find group {parts[1]}: no matching entries in the container's /etc/group");
        }
    }
}
