using Runcs.Runtime.Cgroups;
using Runcs.Runtime.State;
using Runcs.Spec;

namespace Runcs.Runtime.Container;

public sealed partial class Container
{
    /// <summary>
    /// Changes a live container's limits: the document names what changes
    /// (what `runcs update -r` reads, and what containerd sends). The merged
    /// limits are checked as a whole first; if the kernel then refuses a
    /// write, what was written is put back before the error is reported, and
    /// state.json keeps the limits in force.
    /// </summary>
    public void Update(LinuxResources update)
    {
        if (Status == ContainerStatus.Stopped)
            throw new RuntimeException("container not running");
        if (update.Devices is { Count: > 0 })
            Context.Warn($"{ResourceField.Path("devices")} is ignored: device rules are set when the container is created");
        var linux = Config.Linux ??= new Linux();
        var current = linux.Resources;
        var merged = ResourceUpdate.Merged(current, update);
        ResourceValidation.Check(merged, CgroupHost.Detect());

        var options = new ApplyOptions { IsUpdate = true, ConfigDevices = linux.Devices, Warn = Context.Warn };
        var cgroups = Cgroups;
        try
        {
            cgroups.Apply(ResourceUpdate.ToWrite(update, merged), options);
        }
        catch (RuntimeException)
        {
            RestoreQuietly(cgroups, update, current ?? new LinuxResources(), options);
            throw;
        }
        // The limits in force live in the container's own copy of its config, which later updates merge into.
        linux.Resources = merged;
        Context.Store.SaveConfig(Id, System.Text.Json.JsonSerializer.SerializeToUtf8Bytes(Config, SpecJsonContext.Compact.Config));
    }

    /// <summary>Writes the previous values of the fields the failed update touched; a failure here is only a warning.</summary>
    private void RestoreQuietly(ICgroupManager cgroups, LinuxResources update, LinuxResources previous, ApplyOptions options)
    {
        try
        {
            cgroups.Apply(ResourceUpdate.ToWrite(Touched(update, previous), previous), options with { Warn = _ => { } });
        }
        catch (RuntimeException e)
        {
            Context.Warn($"setting back the previous limits failed ({e.Message}); the cgroup may now differ from state.json");
        }
    }

    /// <summary>The previous values of the sections an update named.</summary>
    private static LinuxResources Touched(LinuxResources update, LinuxResources previous) => new()
    {
        Memory = update.Memory is null ? null : previous.Memory ?? new LinuxMemory(),
        Cpu = update.Cpu is null ? null : previous.Cpu ?? new LinuxCpu(),
        Pids = update.Pids is null ? null : previous.Pids,
        BlockIo = update.BlockIo is null ? null : previous.BlockIo,
        HugepageLimits = update.HugepageLimits is null ? null : previous.HugepageLimits,
        Network = update.Network is null ? null : previous.Network,
        Rdma = update.Rdma is null ? null : previous.Rdma,
        Unified = update.Unified is null ? null : previous.Unified?.Where(kv => update.Unified.ContainsKey(kv.Key)).ToDictionary(),
    };
}
