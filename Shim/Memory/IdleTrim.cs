namespace Runcs.Shim.Memory;

/// <summary>
/// A shim spends nearly all its life waiting, one per container, so what it
/// holds between calls is what every container pays. Creating a container
/// allocates briefly (the config's JSON, plans, protobuf messages); a moment
/// after the last call, an aggressive full collection compacts the heap and
/// gives the freed pages back to the kernel. Never on a call's path.
/// </summary>
public sealed class IdleTrim : IDisposable
{
    private static readonly TimeSpan Quiet = TimeSpan.FromMilliseconds(200);
    private readonly Timer timer;

    public IdleTrim() => timer = new Timer(_ => Trim(), null, Timeout.Infinite, Timeout.Infinite);

    /// <summary>A call finished: trim once nothing else has happened for a moment.</summary>
    public void Poke() => timer.Change(Quiet, Timeout.InfiniteTimeSpan);

    private static void Trim() => GC.Collect(2, GCCollectionMode.Aggressive, blocking: true, compacting: true);

    public void Dispose() => timer.Dispose();
}
