namespace Runcs.Runtime.State;

/// <summary>The runtime-spec statuses, plus runc's "paused".</summary>
public enum ContainerStatus
{
    Creating,
    Created,
    Running,
    Paused,
    Stopped,
}

public static class ContainerStatusNames
{
    public static string Name(this ContainerStatus status) => status switch
    {
        ContainerStatus.Creating => "creating",
        ContainerStatus.Created => "created",
        ContainerStatus.Running => "running",
        ContainerStatus.Paused => "paused",
        _ => "stopped",
    };
}
