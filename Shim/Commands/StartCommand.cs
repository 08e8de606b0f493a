using System.Net.Sockets;
using Runcs.Runtime.Native;
using Runcs.Shim.Io;
using Runcs.Shim.Native;

namespace Runcs.Shim.Commands;

/// <summary>
/// `start`: what containerd runs (in the bundle directory) to get a shim for
/// a new container. Makes the shim's socket, writes its address to
/// BUNDLE/address, starts the long-lived daemon (this binary again, no verb)
/// in a new session with the listening socket as descriptor 3 and no
/// inherited stdio, prints the address and exits. When the container belongs
/// to a group whose shim already answers, that shim's address is the answer.
/// </summary>
public static class StartCommand
{
    public static int Run(ShimFlags flags)
    {
        var bundle = Directory.GetCurrentDirectory();
        var address = ShimSocket.Address(flags.Address, flags.Namespace, ShimSocket.GroupingOf(bundle, flags.Id));
        int listener;
        try
        {
            listener = ShimSocket.Listen(address);
        }
        catch (SocketException e) when (e.SocketErrorCode == SocketError.AddressAlreadyInUse)
        {
            if (ShimSocket.Answers(address))
                return Answer(address); // the group's shim serves this container too
            File.Delete(ShimSocket.PathOf(address)); // a dead shim's socket
            listener = ShimSocket.Listen(address);
        }
        try
        {
            File.WriteAllText(Path.Combine(bundle, "address"), address);
            SpawnDaemon(flags, listener);
        }
        catch
        {
            File.Delete(ShimSocket.PathOf(address));
            throw;
        }
        finally
        {
            Fd.Close(ref listener);
        }
        DrainStdin();
        return Answer(address);
    }

    private static int Answer(string address)
    {
        File.WriteAllText(Path.Combine(Directory.GetCurrentDirectory(), "address"), address);
        Console.Out.Write(address);
        return 0;
    }

    /// <summary>The daemon: a new session, /dev/null for stdio, the listener as descriptor 3, the same environment (TTRPC_ADDRESS).</summary>
    private static void SpawnDaemon(ShimFlags flags, int listener)
    {
        int socket = Fd.DupAbove(listener, 10);
        try
        {
            var self = Environment.ProcessPath ?? throw new InvalidOperationException("cannot find this binary's path");
            List<string> args = [self, "-namespace", flags.Namespace, "-id", flags.Id, "-address", flags.Address, "-publish-binary", flags.PublishBinary];
            if (flags.Debug)
                args.Add("-debug");
            var env = Environment.GetEnvironmentVariables().Cast<System.Collections.DictionaryEntry>().Select(e => $"{e.Key}={e.Value}").ToList();
            DetachedSpawn.Run([socket], plan => plan.Execve(args, env), "the shim daemon");
        }
        finally
        {
            Fd.Close(ref socket);
        }
    }

    /// <summary>containerd writes the runtime options to our stdin; read them so its writer never meets a closed pipe.</summary>
    private static void DrainStdin()
    {
        if (Tmds.Linux.LibC.isatty(0) == 1)
            return;
        using var stdin = Console.OpenStandardInput();
        stdin.CopyTo(Stream.Null);
    }
}
