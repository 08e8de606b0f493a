namespace Runcs.Spec;

/// <summary>Checks of <c>linux.seccomp</c>: the names libseccomp knows and the combinations the spec forbids.</summary>
internal static class SeccompChecks
{
    private const string Path = "linux.seccomp";

    /// <summary>The largest syscall argument index: syscalls take at most six arguments.</summary>
    private const uint MaxArgIndex = 5;

    public static void Check(LinuxSeccomp seccomp, ValidationErrors errors)
    {
        var defaultActionPath = JsonPath.Member(Path, "defaultAction");
        CheckAction(seccomp.DefaultAction, defaultActionPath, errors);
        if (seccomp.DefaultAction == "SCMP_ACT_NOTIFY")
            errors.Add(defaultActionPath, "SCMP_ACT_NOTIFY cannot be the default action");
        if (seccomp.DefaultErrnoRet is not null && !TakesErrno(seccomp.DefaultAction))
            errors.Add(JsonPath.Member(Path, "defaultErrnoRet"), "is only valid with SCMP_ACT_ERRNO or SCMP_ACT_TRACE");

        CheckNames(seccomp.Architectures, KnownNames.SeccompArchitectures, "architecture", JsonPath.Member(Path, "architectures"), errors);
        CheckNames(seccomp.Flags, KnownNames.SeccompFlags, "seccomp flag", JsonPath.Member(Path, "flags"), errors);
        if (!string.IsNullOrEmpty(seccomp.ListenerMetadata) && string.IsNullOrEmpty(seccomp.ListenerPath))
            errors.Add(JsonPath.Member(Path, "listenerMetadata"), "needs linux.seccomp.listenerPath");

        for (var i = 0; i < (seccomp.Syscalls?.Count ?? 0); i++)
            CheckSyscall(seccomp.Syscalls![i], seccomp, JsonPath.Element(JsonPath.Member(Path, "syscalls"), i), errors);
    }

    private static void CheckSyscall(LinuxSyscall syscall, LinuxSeccomp seccomp, string path, ValidationErrors errors)
    {
        if (syscall.Names.Count == 0)
            errors.Add(JsonPath.Member(path, "names"), "must name at least one syscall");
        for (var i = 0; i < syscall.Names.Count; i++)
        {
            if (syscall.Names[i].Length == 0)
                errors.Add(JsonPath.Element(JsonPath.Member(path, "names"), i), "must not be empty");
        }

        var actionPath = JsonPath.Member(path, "action");
        CheckAction(syscall.Action, actionPath, errors);
        if (syscall.Action == "SCMP_ACT_NOTIFY" && string.IsNullOrEmpty(seccomp.ListenerPath))
            errors.Add(actionPath, "SCMP_ACT_NOTIFY needs linux.seccomp.listenerPath");
        if (syscall.ErrnoRet is not null && !TakesErrno(syscall.Action))
            errors.Add(JsonPath.Member(path, "errnoRet"), "is only valid with SCMP_ACT_ERRNO or SCMP_ACT_TRACE");

        for (var i = 0; i < (syscall.Args?.Count ?? 0); i++)
        {
            var arg = syscall.Args![i];
            var argPath = JsonPath.Element(JsonPath.Member(path, "args"), i);
            if (arg.Index > MaxArgIndex)
                errors.Add(JsonPath.Member(argPath, "index"), $"must be between 0 and {MaxArgIndex}");
            if (!KnownNames.SeccompOperators.Contains(arg.Op))
                errors.Add(JsonPath.Member(argPath, "op"), $"unknown operator \"{arg.Op}\"");
        }
    }

    private static void CheckAction(string action, string path, ValidationErrors errors)
    {
        if (!KnownNames.SeccompActions.Contains(action))
            errors.Add(path, $"unknown action \"{action}\"");
    }

    /// <summary>Only these two actions carry an errno; the spec wants an error for errnoRet on any other.</summary>
    private static bool TakesErrno(string action) => action is "SCMP_ACT_ERRNO" or "SCMP_ACT_TRACE";

    private static void CheckNames(List<string>? names, IReadOnlyList<string> known, string what, string path, ValidationErrors errors)
    {
        for (var i = 0; i < (names?.Count ?? 0); i++)
        {
            if (!known.Contains(names![i]))
                errors.Add(JsonPath.Element(path, i), $"unknown {what} \"{names[i]}\"");
        }
    }
}
