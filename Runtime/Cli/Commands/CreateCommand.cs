using CommandLine;
using Runcs.Runtime.Container;
using Runcs.Runtime.Process;

namespace Runcs.Cli.Commands;

/// <summary>Flags create and run share.</summary>
public abstract class CreateFlags : Command
{
    [Option('b', "bundle", HelpText = "path to the root of the bundle directory, defaults to the current directory")]
    public string Bundle { get; set; } = ".";

    [Option("console-socket", HelpText = "path to an AF_UNIX socket which will receive a file descriptor referencing the master end of the console's pseudoterminal")]
    public string? ConsoleSocket { get; set; }

    [Option("pid-file", HelpText = "specify the file to write the process id to")]
    public string? PidFile { get; set; }

    [Option("no-pivot", HelpText = "do not use pivot root to jail process inside rootfs. This should be used whenever the rootfs is on top of a ramdisk")]
    public bool NoPivot { get; set; }

    [Option("no-new-keyring", HelpText = "do not create a new session keyring for the container. This will cause the container to inherit the calling processes session key")]
    public bool NoNewKeyring { get; set; }

    [Option("preserve-fds", Default = 0, HelpText = "Pass N additional file descriptors to the container (stdio + $LISTEN_FDS + N in total)")]
    public int PreserveFds { get; set; }

    [Value(0, MetaName = "container-id", HelpText = "your name for the instance of the container")]
    public IEnumerable<string> Args { get; set; } = [];

    public override string? CheckArguments() => RequireExactly(1, Args);

    protected CreateOptions Options() => new()
    {
        Id = Args.First(),
        Bundle = Bundle,
        PidFile = PidFile,
        ConsoleSocket = ConsoleSocket,
        NoPivot = NoPivot,
        NoNewKeyring = NoNewKeyring,
        PreserveFds = PreserveFds + SocketActivation.ListenFds(),
    };
}

[Verb("create", HelpText = "create a container")]
public sealed class CreateCommand : CreateFlags
{
    public override string Name => "create";

    public override string ErrorPrefix => "runcs create failed: ";

    public override int Execute(CliContext context)
    {
        using var created = Container.Create(context.Runtime, Options());
        return 0;
    }
}
