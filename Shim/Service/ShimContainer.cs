using Runcs.Runtime.Container;
using Runcs.Runtime.Native;

namespace Runcs.Shim.Service;

/// <summary>
/// One container the shim serves: the runtime library's container, its init
/// and exec'd processes, and whether the shim mounted its rootfs. Gate
/// serialises what changes it (start, exec, delete, an exit), which also
/// keeps its events in order: an exit is published only after the start it
/// follows.
/// </summary>
public sealed class ShimContainer(Container container, string bundle, ShimProcess init, bool mountedRootfs)
{
    public Lock Gate { get; } = new();

    public Container Container { get; } = container;

    public string Id => Container.Id;

    public string Bundle { get; } = bundle;

    public ShimProcess Init { get; } = init;

    public bool MountedRootfs { get; } = mountedRootfs;

    /// <summary>The init's channel to the runtime until start: a failure after start (startContainer hooks) arrives there.</summary>
    public ExecutorSession? InitSession { get; set; }

    public Dictionary<string, ShimProcess> Execs { get; } = [];

    /// <summary>The init, or the exec with this id.</summary>
    public ShimProcess? Find(string execId)
    {
        if (execId.Length == 0)
            return Init;
        lock (Gate)
            return Execs.GetValueOrDefault(execId);
    }
}
