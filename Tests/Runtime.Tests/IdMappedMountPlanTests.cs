using Runcs.Runtime.Native;
using Runcs.Runtime.Rootfs;
using Runcs.Spec;
using static Runcs.Runtime.Tests.InitPlanTests;

namespace Runcs.Runtime.Tests;

/// <summary>
/// Id-mapped mounts in the init plan: the runtime makes them before cloning,
/// and the init attaches them where a bind mount would go, then treats them
/// as one.
/// </summary>
public class IdMappedMountPlanTests
{
    private static readonly LinuxIdMapping[] Shift = [new LinuxIdMapping { ContainerId = 0, HostId = 100000, Size = 65536 }];

    private static void AddIdMappedMount(Config c, params string[] options) =>
        c.Mounts!.Add(new Mount { Destination = "/data", Type = "bind", Source = "/srv/data", Options = [.. options], UidMappings = [.. Shift], GidMappings = [.. Shift] });

    [Test]
    public void An_id_mapped_mount_is_attached_from_its_descriptor_then_remounted_and_propagated_like_a_bind()
    {
        Config? config = null;
        var plan = Compile(c => { AddIdMappedMount(c, "rbind", "ro", "nosuid", "rprivate"); config = c; },
            new Dictionary<int, DetachedMount> { [7] = new DetachedMount(77, IsDirectory: true) });
        config!.Mounts!.Count.Should().Be(8, "the id-mapped mount is mounts[7]");

        var attach = IndexOf(plan, PlanOp.AttachMount);
        plan.Steps[attach].Ints.Should().Equal(77L, (long)MountTarget.Directory);
        plan.Steps[attach].Text(0).Should().Be("/data");
        plan.Steps[attach].Description.Should().StartWith("mounts[7]: mount \"/srv/data\" on \"/data\"");
        plan.Steps.Should().NotContain(s => s.Op == PlanOp.Mount && s.Text(0) == "/srv/data", "the source is never bound by path");
        plan.Steps[attach + 1].Op.Should().Be(PlanOp.Mount);
        plan.Steps[attach + 1].Ints[0].Should().Be(1 | 2 | 32 | 4096 | 16384, "MS_RDONLY|MS_NOSUID as a remount of the attached mount");
        plan.Steps[attach + 2].Ints[0].Should().Be((long)(MountFlags.Private | MountFlags.Rec), "then the propagation option");
        attach.Should().BeLessThan(IndexOf(plan, PlanOp.PivotRoot));
        plan.Steps[0].Ints.Should().Contain(77L, "the descriptor survives the closing of the runtime's");
    }

    [Test]
    public void A_file_mount_is_attached_onto_a_file()
    {
        var plan = Compile(c => AddIdMappedMount(c, "bind"), new Dictionary<int, DetachedMount> { [7] = new DetachedMount(9, IsDirectory: false) });
        plan.Steps[IndexOf(plan, PlanOp.AttachMount)].Ints[1].Should().Be((long)MountTarget.File);
    }

    [Test]
    public void An_id_mapped_mount_the_runtime_did_not_make_is_an_error_not_a_plain_bind()
    {
        var act = () => Compile(c => AddIdMappedMount(c, "rbind"));
        act.Should().Throw<RuntimeException>().WithMessage("mounts[7]: the id-mapped mount was not made*");
        var option = () => Compile(c => c.Mounts!.Add(new Mount { Destination = "/data", Type = "bind", Source = "/srv", Options = ["rbind", "idmap"] }));
        option.Should().Throw<RuntimeException>().WithMessage("mounts[7]*");
    }

    [Test]
    public void Idmap_and_ridmap_are_mount_options_not_file_system_data()
    {
        var idmap = MountOptions.Parse(["rbind", "idmap"]);
        (idmap.IdMapped, idmap.IdMapRecursive, idmap.Data).Should().Be((true, false, ""));
        var ridmap = MountOptions.Parse(["ridmap", "rbind"]);
        (ridmap.IdMapped, ridmap.IdMapRecursive, ridmap.Data).Should().Be((true, true, ""));
        MountOptions.Parse(["rbind"]).IdMapped.Should().BeFalse();
        MountOptions.KnownOptions.Should().Contain(["idmap", "ridmap"]);
    }
}
