using Runcs.Shim.Api;
using Runcs.Shim.Ttrpc;

namespace Runcs.Integration.Tests.Shim;

/// <summary>A live shim spoken to directly over ttrpc, as containerd would, with bad input.</summary>
public class BadInputTests : ShimTest
{
    private const string Service = "containerd.task.v2.Task";

    [Test]
    public void Bad_frames_unknown_methods_and_ids_get_ttrpc_errors_and_the_shim_keeps_serving()
    {
        var id = NewId();
        RunDetached(id, "sleep", "1000");
        var address = File.ReadAllText(Path.Combine(Containerd.BundleOf(id), "address"));
        using var client = TtrpcClient.Connect(address, TimeSpan.FromSeconds(10));

        client.SendRaw(101, MessageType.Request, [0xff, 0xff, 0xff, 0xff, 0x0f]).Status.Code.Should().Be((int)StatusCode.InvalidArgument);

        var unknown = () => client.Call(Service, "Frobnicate", new StateRequest { Id = id });
        unknown.Should().Throw<TtrpcException>().Where(e => e.Code == StatusCode.Unimplemented);

        var missing = () => client.Call(Service, "State", new StateRequest { Id = "no-such-container" });
        missing.Should().Throw<TtrpcException>().Where(e => e.Code == StatusCode.NotFound);

        var duplicate = () => client.Call(Service, "Create", new CreateTaskRequest { Id = id, Bundle = Containerd.BundleOf(id) });
        duplicate.Should().Throw<TtrpcException>().Where(e => e.Code == StatusCode.AlreadyExists);

        var checkpoint = () => client.Call(Service, "Checkpoint", new CheckpointTaskRequest { Id = id, Path = "/tmp/nowhere" });
        checkpoint.Should().Throw<TtrpcException>().Where(e => e.Code == StatusCode.Unimplemented, "checkpoint/restore is not built");

        var state = client.Call(Service, "State", new StateRequest { Id = id }, StateResponse.Parser);
        state.Status.Should().Be(Status.Running);
        state.Pid.Should().Be((uint)Task(id)!.Value.Pid);
        Remove(id);
    }

    [Test]
    public void Update_changes_the_limits_of_the_running_container()
    {
        // ctr 1.6 has no `task update`; containerd's CRI sends this call: the OCI LinuxResources as JSON.
        var id = NewId();
        RunDetached(id, "sleep", "1000");
        var address = File.ReadAllText(Path.Combine(Containerd.BundleOf(id), "address"));
        using var client = TtrpcClient.Connect(address, TimeSpan.FromSeconds(10));
        var resources = new Google.Protobuf.WellKnownTypes.Any
        {
            TypeUrl = "types.containerd.io/opencontainers/runtime-spec/1/LinuxResources",
            Value = Google.Protobuf.ByteString.CopyFromUtf8("""{"memory": {"limit": 33554432}, "pids": {"limit": 64}}"""),
        };
        client.Call(Service, "Update", new UpdateTaskRequest { Id = id, Resources = resources });

        var layout = Runcs.Runtime.Cgroups.CgroupLayout.Detect();
        if (layout.Mode == Runcs.Runtime.Cgroups.CgroupMode.V2)
        {
            var dir = Path.Combine(layout.Unified!.MountPoint, Containerd.Namespace, id);
            File.ReadAllText(Path.Combine(dir, "memory.max")).Trim().Should().Be("33554432");
            File.ReadAllText(Path.Combine(dir, "pids.max")).Trim().Should().Be("64");
        }
        else
        {
            var memory = Path.Combine(layout.Hierarchies.First(h => h.Has("memory")).MountPoint, Containerd.Namespace, id);
            File.ReadAllText(Path.Combine(memory, "memory.limit_in_bytes")).Trim().Should().Be("33554432");
        }
        var bad = () => client.Call(Service, "Update", new UpdateTaskRequest { Id = id, Resources = new() { Value = Google.Protobuf.ByteString.CopyFromUtf8("{not json") } });
        bad.Should().Throw<TtrpcException>().Where(e => e.Code == StatusCode.InvalidArgument);
        Remove(id);
    }
}
