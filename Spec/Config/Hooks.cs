using System.Text.Json.Serialization;

namespace Runcs.Spec;

/// <summary>Programs run at points of the container's lifecycle, each list in order.</summary>
public sealed class Hooks
{
    /// <summary>Deprecated by the spec in favour of the three below; runc still runs them, in the runtime namespace, after createRuntime.</summary>
    [JsonPropertyName("prestart")]
    public List<Hook>? Prestart { get; set; }

    /// <summary>Run in the runtime namespace once the container's namespaces exist, before pivot_root.</summary>
    [JsonPropertyName("createRuntime")]
    public List<Hook>? CreateRuntime { get; set; }

    /// <summary>Run in the container namespace, before pivot_root.</summary>
    [JsonPropertyName("createContainer")]
    public List<Hook>? CreateContainer { get; set; }

    /// <summary>Run in the container namespace by <c>start</c>, just before the user process is executed.</summary>
    [JsonPropertyName("startContainer")]
    public List<Hook>? StartContainer { get; set; }

    /// <summary>Run in the runtime namespace after the user process started.</summary>
    [JsonPropertyName("poststart")]
    public List<Hook>? Poststart { get; set; }

    /// <summary>Run in the runtime namespace after the container is deleted.</summary>
    [JsonPropertyName("poststop")]
    public List<Hook>? Poststop { get; set; }
}

/// <summary>One hook: an executable with its argv and environment; it gets the container state on stdin.</summary>
public sealed class Hook
{
    /// <summary>Absolute path of the executable, in the namespace the hook runs in.</summary>
    [JsonPropertyName("path")]
    public string Path { get; set; } = "";

    /// <summary>Full argv, argv[0] included.</summary>
    [JsonPropertyName("args")]
    public List<string>? Args { get; set; }

    [JsonPropertyName("env")]
    public List<string>? Env { get; set; }

    /// <summary>Seconds before the hook is killed and the operation fails; must be greater than zero when set.</summary>
    [JsonPropertyName("timeout")]
    public int? Timeout { get; set; }
}
