using System.Text.Json;
using Runcs.Runtime.Cgroups;
using Runcs.Runtime.Process;
using Runcs.Runtime.State;
using Runcs.Spec;
using SpecState = Runcs.Spec.State;

namespace Runcs.Runtime.Container;

/// <summary>
/// A container that exists in the state root. The lifecycle verbs live in
/// their own files (ContainerCreate.cs, ContainerStart.cs, ...); this one
/// holds what they share: loading, the status, and the state documents.
/// </summary>
public sealed partial class Container
{
    private Config? config;

    private Container(RuntimeContext context, ContainerRecord record, Config? config = null)
    {
        Context = context;
        Record = record;
        this.config = config;
    }

    public RuntimeContext Context { get; }

    public ContainerRecord Record { get; }

    public string Id => Record.Id;

    /// <summary>The config the container was created from, parsed on first use: most commands never need it.</summary>
    public Config Config => config ??= Context.Store.LoadConfig(Id);

    public static Container Load(RuntimeContext context, string id) => new(context, context.Store.Load(id));

    public ICgroupManager Cgroups =>
        CgroupManagers.For(Enum.Parse<CgroupMode>(Record.CgroupMode), Record.CgroupPaths);

    /// <summary>
    /// The status as the kernel tells it now: a dead (or reused) init pid means
    /// stopped, a frozen cgroup paused, an exec fifo still in place means
    /// start has not happened.
    /// </summary>
    public ContainerStatus Status
    {
        get
        {
            if (!InitIsAlive())
                return ContainerStatus.Stopped;
            // A frozen container is paused even before start, as runc reports it.
            if (Cgroups.IsFrozen())
                return ContainerStatus.Paused;
            if (File.Exists(ExecFifoPath))
                return ContainerStatus.Created;
            return ContainerStatus.Running;
        }
    }

    public string ExecFifoPath => Path.Combine(Context.Store.DirectoryOf(Id), ProcessPlan.ExecFifoName);

    public bool InitIsAlive() =>
        Record.Pid > 0 && ProcStat.Read(Record.Pid) is { } stat && stat.StartTime == Record.PidStartTime && !stat.IsZombie;

    /// <summary>The OCI state hooks read on stdin (compact, runc's field order).</summary>
    public byte[] OciState(ContainerStatus status, bool withPid = true) =>
        OciStateOf(Id, status, withPid ? Record.Pid : null, Record.Bundle, Record.Annotations);

    public static byte[] OciStateOf(string id, ContainerStatus status, int? pid, string bundle, Dictionary<string, string>? annotations) =>
        JsonSerializer.SerializeToUtf8Bytes(SpecStateOf(id, status, pid, bundle, annotations), SpecJsonContext.Default.State);

    public static SpecState SpecStateOf(string id, ContainerStatus status, int? pid, string bundle, Dictionary<string, string>? annotations) => new()
    {
        OciVersion = RuntimeInfo.SpecVersion,
        Id = id,
        Status = status.Name(),
        Pid = pid ?? 0,
        Bundle = bundle,
        Annotations = annotations is { Count: > 0 } ? annotations : null,
    };

    /// <summary>What `runcs state` prints.</summary>
    public StateView View()
    {
        var status = Status;
        return new StateView
        {
            Id = Id,
            Pid = status == ContainerStatus.Stopped ? 0 : Record.Pid,
            Status = status.Name(),
            Bundle = Record.Bundle,
            Rootfs = Record.Rootfs,
            Created = GoTime.Rfc3339Nano(Record.Created),
            Owner = Record.Owner,
            Annotations = Record.Annotations is { Count: > 0 } a ? new(a.OrderBy(p => p.Key, StringComparer.Ordinal)) : null,
        };
    }
}
