using Google.Protobuf;
using Runcs.Runtime;
using Runcs.Runtime.Container;

namespace Runcs.Shim.Commands;

/// <summary>The binary's entry: flags, then start, delete, -v, -info, or the daemon.</summary>
public static class ShimMain
{
    public const string RuntimeName = "io.containerd.runcs.v2";

    public static int Run(string[] args)
    {
        ShimFlags flags;
        try
        {
            flags = ShimFlags.Parse(args);
        }
        catch (ArgumentException e)
        {
            Console.Error.WriteLine(e.Message);
            return 2;
        }
        if (flags.Version)
        {
            Console.Out.Write($"{Environment.GetCommandLineArgs()[0]}:\n  Version:  {RuntimeInfo.Version}\n  Runtime:  runcs (in-process)\n");
            return 0;
        }
        if (flags.Info)
            return Info();
        try
        {
            return flags.Action switch
            {
                "start" => StartCommand.Run(flags),
                "delete" => DeleteCommand.Run(flags),
                "" => Daemon.Run(flags),
                _ => Usage($"unknown action {flags.Action}"),
            };
        }
        catch (Exception e) when (e is IOException or RuntimeException or System.Net.Sockets.SocketException or UnauthorizedAccessException or InvalidOperationException)
        {
            Console.Error.WriteLine($"containerd-shim-runcs-v2 {flags.Action}: {e.Message}");
            return 1;
        }
    }

    private static int Usage(string why)
    {
        Console.Error.WriteLine($"{why}\nusage: containerd-shim-runcs-v2 -namespace NS -address ADDR -publish-binary BIN -id ID [-bundle DIR] [-debug] start|delete");
        return 2;
    }

    /// <summary>-info (containerd 2.x): a RuntimeInfo protobuf on stdout with the runtime's OCI features.</summary>
    private static int Info()
    {
        var features = System.Text.Json.JsonSerializer.SerializeToUtf8Bytes(RuntimeFeatures.Describe(), Spec.SpecJsonContext.Default.Features);
        var info = new Api.RuntimeInfo
        {
            Name = RuntimeName,
            Version = new Api.RuntimeVersion { Version = RuntimeInfo.Version },
            Features = new Google.Protobuf.WellKnownTypes.Any
            {
                TypeUrl = "types.containerd.io/opencontainers/runtime-spec/1/features/Features",
                Value = ByteString.CopyFrom(features),
            },
        };
        using var stdout = Console.OpenStandardOutput();
        info.WriteTo(stdout);
        return 0;
    }
}
