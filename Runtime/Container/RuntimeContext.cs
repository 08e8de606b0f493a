using Runcs.Runtime.State;

namespace Runcs.Runtime.Container;

/// <summary>
/// What every operation shares: the state root and where warnings and debug
/// messages go. The CLI makes one from its global flags; the shim makes one
/// for its containers.
/// </summary>
public sealed class RuntimeContext(string root)
{
    public StateStore Store { get; } = new(root);

    /// <summary>--systemd-cgroup: refused until the systemd driver exists.</summary>
    public bool SystemdCgroup { get; init; }

    public Action<string> Warn { get; init; } = _ => { };

    public Action<string> Debug { get; init; } = _ => { };

    /// <summary>True when Debug goes somewhere: saves building messages nobody reads.</summary>
    public bool DebugEnabled { get; init; }
}
