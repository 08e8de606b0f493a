namespace Runcs.Runtime.Process;

/// <summary>
/// systemd socket activation: descriptors passed to the runtime with LISTEN_FDS
/// go on to the container's process from fd 3, before --preserve-fds ones, as with runc.
/// </summary>
public static class SocketActivation
{
    public static int ListenFds() =>
        int.TryParse(System.Environment.GetEnvironmentVariable("LISTEN_FDS"), out var n) && n > 0 ? n : 0;
}
