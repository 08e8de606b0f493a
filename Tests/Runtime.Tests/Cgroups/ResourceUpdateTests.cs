using Runcs.Runtime.Cgroups;
using Runcs.Spec;

namespace Runcs.Runtime.Tests.Cgroups;

/// <summary>What `update` keeps in state.json and what it writes to the cgroup.</summary>
public class ResourceUpdateTests
{
    private static LinuxResources Current() => new()
    {
        Memory = new() { Limit = 100, Swap = 200, Reservation = 50 },
        Cpu = new() { Shares = 512, Quota = 20000, Period = 100000, Cpus = "0" },
        Pids = new() { Limit = 10 },
        BlockIo = new() { ThrottleReadBpsDevice = [new() { Major = 8, Minor = 0, Rate = 1 }] },
        Unified = new() { ["memory.high"] = "1G" },
    };

    [Test]
    public void An_update_changes_what_it_names_and_keeps_the_rest()
    {
        var update = new LinuxResources
        {
            Cpu = new() { Period = 50000 },
            BlockIo = new() { ThrottleReadBpsDevice = [new() { Major = 8, Minor = 0, Rate = 2 }, new() { Major = 8, Minor = 16, Rate = 3 }] },
            Unified = new() { ["pids.max"] = "5" },
        };
        var merged = ResourceUpdate.Merged(Current(), update);
        merged.Cpu!.Period.Should().Be(50000);
        merged.Cpu.Quota.Should().Be(20000);
        merged.Cpu.Cpus.Should().Be("0");
        merged.Memory!.Limit.Should().Be(100);
        merged.Pids!.Limit.Should().Be(10);
        merged.BlockIo!.ThrottleReadBpsDevice!.Select(d => (d.Minor, d.Rate)).Should().Equal((0L, 2UL), (16L, 3UL));
        merged.Unified.Should().Equal(new Dictionary<string, string> { ["memory.high"] = "1G", ["pids.max"] = "5" });
    }

    [Test]
    public void What_is_written_includes_the_values_that_share_a_file_with_the_named_ones()
    {
        var update = new LinuxResources { Cpu = new() { Period = 50000 }, Memory = new() { Limit = 150 } };
        var write = ResourceUpdate.ToWrite(update, ResourceUpdate.Merged(Current(), update));
        write.Cpu!.Quota.Should().Be(20000, "cpu.max holds quota and period together");
        write.Cpu.Shares.Should().BeNull("shares were not named");
        write.Memory!.Swap.Should().Be(200, "memory and memory+swap are ordered against each other");
        write.Memory.Reservation.Should().BeNull();
        write.Pids.Should().BeNull();
    }

    [Test]
    public void Lifting_the_memory_limit_without_a_word_on_swap_lifts_swap_too()
    {
        var merged = ResourceUpdate.Merged(Current(), new LinuxResources { Memory = new() { Limit = -1 } });
        merged.Memory!.Swap.Should().Be(0, "unset swap with unlimited memory is written as no swap limit");
    }

    [Test]
    public void Device_rules_are_never_written_by_an_update()
    {
        var update = new LinuxResources { Devices = [new() { Allow = true, Access = "rwm" }] };
        ResourceUpdate.ToWrite(update, ResourceUpdate.Merged(Current(), update)).Devices.Should().BeNull();
    }
}
