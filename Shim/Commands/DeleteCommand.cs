using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Runcs.Runtime;
using Runcs.Runtime.Container;
using Runcs.Runtime.State;
using Runcs.Shim.Api;
using Runcs.Shim.Rootfs;

namespace Runcs.Shim.Commands;

/// <summary>
/// `delete`: containerd runs it when a shim died (or never answered) to
/// clean up after it: force-delete the container in the runtime's state
/// (killing what is left, removing cgroups), unmount the rootfs, remove the
/// dead shim's socket, and print a DeleteResponse (protobuf, on stdout) that
/// reports the container as killed (128+SIGKILL), as the runc shim does.
/// </summary>
public static class DeleteCommand
{
    public static int Run(ShimFlags flags)
    {
        var bundle = flags.Bundle.Length > 0 ? flags.Bundle : Directory.GetCurrentDirectory();
        var context = new RuntimeContext(flags.StateRoot()) { Warn = m => Console.Error.WriteLine(m) };
        uint pid = 0;
        try
        {
            using (context.Store.Lock(flags.Id))
            {
                var container = Container.Load(context, flags.Id);
                pid = (uint)container.Record.Pid;
                container.Delete(force: true);
            }
        }
        catch (ContainerNotFoundException)
        {
            // Never created, or already removed.
        }
        catch (RuntimeException e)
        {
            Console.Error.WriteLine($"delete container {flags.Id}: {e.Message}");
        }
        RootfsMounts.Unmount(bundle);
        try
        {
            ShimSocket.RemoveIfDead(ShimSocket.Address(flags.Address, flags.Namespace, ShimSocket.GroupingOf(bundle, flags.Id)));
        }
        catch (IOException e)
        {
            Console.Error.WriteLine($"remove the shim socket: {e.Message}");
        }
        var response = new DeleteResponse { Pid = pid, ExitStatus = 128 + 9, ExitedAt = Timestamp.FromDateTime(DateTime.UtcNow) };
        using var stdout = Console.OpenStandardOutput();
        response.WriteTo(stdout);
        return 0;
    }
}
