using System.Text.Json.Serialization;

namespace Runcs.Spec;

/// <summary>A seccomp filter in libseccomp terms: a default action and per-syscall rules, compiled to BPF by the runtime.</summary>
public sealed class LinuxSeccomp
{
    /// <summary>Action for syscalls no rule matches: one of the "SCMP_ACT_*" names.</summary>
    [JsonPropertyName("defaultAction")]
    public string DefaultAction { get; set; } = "";

    /// <summary>errno for a default action of SCMP_ACT_ERRNO or SCMP_ACT_TRACE; EPERM when absent.</summary>
    [JsonPropertyName("defaultErrnoRet")]
    public uint? DefaultErrnoRet { get; set; }

    /// <summary>"SCMP_ARCH_*" names the filter also accepts besides the native one.</summary>
    [JsonPropertyName("architectures")]
    public List<string>? Architectures { get; set; }

    /// <summary>"SECCOMP_FILTER_FLAG_*" names passed to seccomp(2).</summary>
    [JsonPropertyName("flags")]
    public List<string>? Flags { get; set; }

    /// <summary>Unix socket that receives the notify fd when a rule uses SCMP_ACT_NOTIFY.</summary>
    [JsonPropertyName("listenerPath")]
    public string? ListenerPath { get; set; }

    /// <summary>Opaque string passed on to the listener.</summary>
    [JsonPropertyName("listenerMetadata")]
    public string? ListenerMetadata { get; set; }

    [JsonPropertyName("syscalls")]
    public List<LinuxSyscall>? Syscalls { get; set; }
}

/// <summary>A rule: the syscalls it names get <see cref="Action"/> when all <see cref="Args"/> conditions hold.</summary>
public sealed class LinuxSyscall
{
    [JsonPropertyName("names")]
    public List<string> Names { get; set; } = [];

    [JsonPropertyName("action")]
    public string Action { get; set; } = "";

    /// <summary>errno for SCMP_ACT_ERRNO or SCMP_ACT_TRACE; EPERM when absent.</summary>
    [JsonPropertyName("errnoRet")]
    public uint? ErrnoRet { get; set; }

    [JsonPropertyName("args")]
    public List<LinuxSeccompArg>? Args { get; set; }
}

/// <summary>A condition on one syscall argument.</summary>
public sealed class LinuxSeccompArg
{
    /// <summary>Argument position, 0..5.</summary>
    [JsonPropertyName("index")]
    public uint Index { get; set; }

    [JsonPropertyName("value")]
    public ulong Value { get; set; }

    /// <summary>Second operand; the expected value when <see cref="Op"/> is SCMP_CMP_MASKED_EQ (<see cref="Value"/> is then the mask).</summary>
    [JsonPropertyName("valueTwo")]
    public ulong ValueTwo { get; set; }

    /// <summary>One of the "SCMP_CMP_*" names.</summary>
    [JsonPropertyName("op")]
    public string Op { get; set; } = "";
}
