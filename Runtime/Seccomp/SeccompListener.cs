using System.Text.Json;
using Runcs.Runtime.Native;
using Runcs.Spec;

namespace Runcs.Runtime.Seccomp;

/// <summary>
/// linux.seccomp.listenerPath: for a profile with SCMP_ACT_NOTIFY rules, the
/// runtime connects to the agent listening there before the process starts;
/// the process, once its filter is loaded, sends the listener descriptor on
/// that connection (SCM_RIGHTS) with the container process state, as runc does.
/// </summary>
public static class SeccompListener
{
    /// <summary>Whether the profile needs a listener: a notify rule and a path to send it to.</summary>
    public static bool IsNeeded(LinuxSeccomp? seccomp) =>
        seccomp is { ListenerPath.Length: > 0 } && seccomp.Syscalls?.Any(s => s.Action == "SCMP_ACT_NOTIFY") == true;

    /// <summary>Connects to the agent; -1 when the profile needs none.</summary>
    public static int Connect(LinuxSeccomp? seccomp) =>
        IsNeeded(seccomp) ? UnixSocket.Connect(seccomp!.ListenerPath!, "seccomp listener socket (linux.seccomp.listenerPath)") : -1;

    /// <summary>The message sent with the listener: its name in fds, the process's host pid, the metadata and the container's state.</summary>
    public static byte[] ProcessState(LinuxSeccomp seccomp, int pid, Runcs.Spec.State state) =>
        JsonSerializer.SerializeToUtf8Bytes(new ContainerProcessState
        {
            OciVersion = RuntimeInfo.SpecVersion,
            Fds = [ContainerProcessState.SeccompFdName],
            Pid = pid,
            Metadata = string.IsNullOrEmpty(seccomp.ListenerMetadata) ? null : seccomp.ListenerMetadata,
            State = state,
        }, SpecJsonContext.Default.ContainerProcessState);
}
