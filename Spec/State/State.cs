using System.Text.Json.Serialization;

namespace Runcs.Spec;

/// <summary>
/// The OCI state of a container: what <c>state</c> reports and what hooks receive on stdin.
/// </summary>
public sealed class State
{
    /// <summary>Spec version the state is written against (<see cref="SpecVersion.Current"/> for states we write).</summary>
    [JsonPropertyName("ociVersion")]
    public string OciVersion { get; set; } = "";

    [JsonPropertyName("id")]
    public string Id { get; set; } = "";

    /// <summary>"creating", "created", "running" or "stopped" (see <see cref="OciStatus"/>).</summary>
    [JsonPropertyName("status")]
    public string Status { get; set; } = "";

    /// <summary>Host pid of the container's init; 0 once it is gone.</summary>
    [JsonPropertyName("pid")]
    public int Pid { get; set; }

    /// <summary>Absolute path of the bundle directory.</summary>
    [JsonPropertyName("bundle")]
    public string Bundle { get; set; } = "";

    [JsonPropertyName("annotations")]
    public Dictionary<string, string>? Annotations { get; set; }
}

/// <summary>The values of <see cref="State.Status"/>.</summary>
public static class OciStatus
{
    public const string Creating = "creating";
    public const string Created = "created";
    public const string Running = "running";
    public const string Stopped = "stopped";
}

/// <summary>
/// What the runtime sends to <c>linux.seccomp.listenerPath</c> along with the seccomp notify fd (SCM_RIGHTS).
/// </summary>
public sealed class ContainerProcessState
{
    [JsonPropertyName("ociVersion")]
    public string OciVersion { get; set; } = "";

    /// <summary>Names of the passed fds, in SCM_RIGHTS order; the notify fd is named <see cref="SeccompFdName"/>.</summary>
    [JsonPropertyName("fds")]
    public List<string> Fds { get; set; } = [];

    /// <summary>Host pid of the process the filter was installed in.</summary>
    [JsonPropertyName("pid")]
    public int Pid { get; set; }

    /// <summary><c>linux.seccomp.listenerMetadata</c>, passed through.</summary>
    [JsonPropertyName("metadata")]
    public string? Metadata { get; set; }

    [JsonPropertyName("state")]
    public State State { get; set; } = new();

    /// <summary>The name the spec gives the seccomp notify fd in <see cref="Fds"/>.</summary>
    public const string SeccompFdName = "seccompFd";
}
