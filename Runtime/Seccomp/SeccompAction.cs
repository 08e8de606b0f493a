namespace Runcs.Runtime.Seccomp;

/// <summary>
/// The SECCOMP_RET_* value a filter returns for each of the spec's actions
/// (linux/seccomp.h). ERRNO and TRACE carry a 16-bit datum: the errno the
/// system call fails with, or the message number a tracer sees.
/// </summary>
public static class SeccompAction
{
    public const uint KillProcess = 0x80000000;
    public const uint KillThread = 0x00000000;
    public const uint Trap = 0x00030000;
    public const uint Errno = 0x00050000;
    public const uint UserNotif = 0x7fc00000;
    public const uint Trace = 0x7ff00000;
    public const uint Log = 0x7ffc0000;
    public const uint Allow = 0x7fff0000;

    private const uint DataMask = 0xffff;
    private const uint EPERM = 1;
    public const uint ENOSYS = 38;

    /// <summary>The action names <c>features</c> reports, sorted as runc sorts them.</summary>
    public static IReadOnlyList<string> Names { get; } =
    [
        "SCMP_ACT_ALLOW", "SCMP_ACT_ERRNO", "SCMP_ACT_KILL", "SCMP_ACT_KILL_PROCESS", "SCMP_ACT_KILL_THREAD",
        "SCMP_ACT_LOG", "SCMP_ACT_NOTIFY", "SCMP_ACT_TRACE", "SCMP_ACT_TRAP",
    ];

    /// <summary>
    /// The filter's return value for an action name; errnoRet defaults to EPERM
    /// for ERRNO and TRACE, as runc does. Null for a name that is no action.
    /// </summary>
    public static uint? ReturnValue(string action, uint? errnoRet) => action switch
    {
        "SCMP_ACT_KILL" or "SCMP_ACT_KILL_THREAD" => KillThread,
        "SCMP_ACT_KILL_PROCESS" => KillProcess,
        "SCMP_ACT_TRAP" => Trap,
        "SCMP_ACT_ERRNO" => Errno | ((errnoRet ?? EPERM) & DataMask),
        "SCMP_ACT_TRACE" => Trace | ((errnoRet ?? EPERM) & DataMask),
        "SCMP_ACT_ALLOW" => Allow,
        "SCMP_ACT_LOG" => Log,
        "SCMP_ACT_NOTIFY" => UserNotif,
        _ => null,
    };

    /// <summary>
    /// Actions that let a system call run (or leave it to a tracer): with one of
    /// these as the default, a system call newer than the profile is allowed
    /// too, so it needs no ENOSYS answer (runc decides the same way).
    /// </summary>
    public static bool IsPermissive(uint returnValue) =>
        (returnValue & 0xffff0000) is Allow or Log or Trace;

    /// <summary>Readable form of a return value, for the plan dump and tests.</summary>
    public static string Describe(uint value) => (value & 0xffff0000) switch
    {
        KillProcess => "KILL_PROCESS",
        KillThread => "KILL_THREAD",
        Trap => "TRAP",
        Errno => $"ERRNO({value & DataMask})",
        UserNotif => "NOTIFY",
        Trace => $"TRACE({value & DataMask})",
        Log => "LOG",
        Allow => "ALLOW",
        _ => $"0x{value:x8}",
    };
}
