namespace Runcs.Spec;

/// <summary>Checks of <c>process</c>: what execve, setresuid, capset, setrlimit and sched_setattr would refuse.</summary>
internal static class ProcessChecks
{
    /// <summary>The largest value of the kernel's winsize fields (unsigned short).</summary>
    private const uint MaxConsoleDimension = ushort.MaxValue;

    /// <summary>(uid_t)-1 means "leave unchanged" to setresuid and friends, so it cannot be anyone's id.</summary>
    private const uint InvalidId = uint.MaxValue;

    public static void Check(Process process, string path, ValidationErrors errors)
    {
        if (process.Args is null || process.Args.Count == 0)
            errors.Add(JsonPath.Member(path, "args"), "must not be empty");
        CheckCwd(process.Cwd, JsonPath.Member(path, "cwd"), errors);
        if (process.ConsoleSize is { } box)
            CheckConsoleSize(box, JsonPath.Member(path, "consoleSize"), errors);
        CheckUser(process.User, JsonPath.Member(path, "user"), errors);
        if (process.Capabilities is { } capabilities)
            CheckCapabilities(capabilities, JsonPath.Member(path, "capabilities"), errors);
        if (process.Rlimits is { } rlimits)
            CheckRlimits(rlimits, JsonPath.Member(path, "rlimits"), errors);
        if (process.OomScoreAdj is < -1000 or > 1000)
            errors.Add(JsonPath.Member(path, "oomScoreAdj"), "must be between -1000 and 1000");
        if (process.Scheduler is { } scheduler)
            CheckScheduler(scheduler, JsonPath.Member(path, "scheduler"), errors);
        if (process.IoPriority is { } ioPriority)
            CheckIoPriority(ioPriority, JsonPath.Member(path, "ioPriority"), errors);
        if (process.ExecCpuAffinity is { } affinity)
        {
            var affinityPath = JsonPath.Member(path, "execCPUAffinity");
            CheckCpuList(affinity.Initial, JsonPath.Member(affinityPath, "initial"), errors);
            CheckCpuList(affinity.Final, JsonPath.Member(affinityPath, "final"), errors);
        }
    }

    private static void CheckCwd(string cwd, string path, ValidationErrors errors)
    {
        if (cwd.Length == 0)
            errors.Add(path, "must not be empty");
        else if (!cwd.StartsWith('/'))
            errors.Add(path, $"must be an absolute path, got \"{cwd}\"");
    }

    private static void CheckConsoleSize(Box box, string path, ValidationErrors errors)
    {
        if (box.Height > MaxConsoleDimension)
            errors.Add(JsonPath.Member(path, "height"), $"must be at most {MaxConsoleDimension}");
        if (box.Width > MaxConsoleDimension)
            errors.Add(JsonPath.Member(path, "width"), $"must be at most {MaxConsoleDimension}");
    }

    private static void CheckUser(User user, string path, ValidationErrors errors)
    {
        if (user.Uid == InvalidId)
            errors.Add(JsonPath.Member(path, "uid"), $"{user.Uid} is not a valid user id");
        if (user.Gid == InvalidId)
            errors.Add(JsonPath.Member(path, "gid"), $"{user.Gid} is not a valid group id");
        for (var i = 0; i < (user.AdditionalGids?.Count ?? 0); i++)
        {
            if (user.AdditionalGids![i] == InvalidId)
                errors.Add(JsonPath.Element(JsonPath.Member(path, "additionalGids"), i), $"{InvalidId} is not a valid group id");
        }
        if (user.Umask > 511)
            errors.Add(JsonPath.Member(path, "umask"), $"must be at most 511 (0777), got {user.Umask}");
    }

    private static void CheckCapabilities(LinuxCapabilities capabilities, string path, ValidationErrors errors)
    {
        CheckCapabilitySet(capabilities.Bounding, JsonPath.Member(path, "bounding"), errors);
        CheckCapabilitySet(capabilities.Effective, JsonPath.Member(path, "effective"), errors);
        CheckCapabilitySet(capabilities.Inheritable, JsonPath.Member(path, "inheritable"), errors);
        CheckCapabilitySet(capabilities.Permitted, JsonPath.Member(path, "permitted"), errors);
        CheckCapabilitySet(capabilities.Ambient, JsonPath.Member(path, "ambient"), errors);
    }

    private static void CheckCapabilitySet(List<string>? names, string path, ValidationErrors errors)
    {
        for (var i = 0; i < (names?.Count ?? 0); i++)
        {
            if (!Capabilities.Known.ContainsKey(names![i]))
                errors.Add(JsonPath.Element(path, i), $"unknown capability \"{names[i]}\"");
        }
    }

    private static void CheckRlimits(List<PosixRlimit> rlimits, string path, ValidationErrors errors)
    {
        var seen = new HashSet<string>();
        for (var i = 0; i < rlimits.Count; i++)
        {
            var rlimit = rlimits[i];
            var rlimitPath = JsonPath.Element(path, i);
            if (!Rlimits.Known.ContainsKey(rlimit.Type))
                errors.Add(JsonPath.Member(rlimitPath, "type"), $"unknown resource limit \"{rlimit.Type}\"");
            else if (!seen.Add(rlimit.Type))
                errors.Add(JsonPath.Member(rlimitPath, "type"), $"\"{rlimit.Type}\" is given more than once");
            if (rlimit.Soft > rlimit.Hard)
                errors.Add(JsonPath.Member(rlimitPath, "soft"), $"{rlimit.Soft} is above the hard limit {rlimit.Hard}");
        }
    }

    /// <summary>The combinations sched_setattr(2) accepts, as runc checks them.</summary>
    private static void CheckScheduler(Scheduler scheduler, string path, ValidationErrors errors)
    {
        var policy = scheduler.Policy;
        if (policy.Length == 0)
            errors.Add(JsonPath.Member(path, "policy"), "must be set");
        else if (!KnownNames.SchedulerPolicies.Contains(policy))
            errors.Add(JsonPath.Member(path, "policy"), $"unknown scheduling policy \"{policy}\"");
        if (policy is "SCHED_OTHER" or "SCHED_BATCH" && (scheduler.Nice is < -20 or > 19))
            errors.Add(JsonPath.Member(path, "nice"), $"must be between -20 and 19 for {policy}");
        if (scheduler.Priority != 0 && policy is not ("SCHED_FIFO" or "SCHED_RR"))
            errors.Add(JsonPath.Member(path, "priority"), "is only valid with SCHED_FIFO or SCHED_RR");
        if ((scheduler.Runtime != 0 || scheduler.Deadline != 0 || scheduler.Period != 0) && policy != "SCHED_DEADLINE")
            errors.Add(path, "runtime, deadline and period are only valid with SCHED_DEADLINE");
        for (var i = 0; i < (scheduler.Flags?.Count ?? 0); i++)
        {
            if (!KnownNames.SchedulerFlags.Contains(scheduler.Flags![i]))
                errors.Add(JsonPath.Element(JsonPath.Member(path, "flags"), i), $"unknown scheduler flag \"{scheduler.Flags[i]}\"");
        }
    }

    private static void CheckIoPriority(IoPriority ioPriority, string path, ValidationErrors errors)
    {
        if (!KnownNames.IoPriorityClasses.Contains(ioPriority.Class))
            errors.Add(JsonPath.Member(path, "class"), $"unknown I/O priority class \"{ioPriority.Class}\"");
        if (ioPriority.Priority is < 0 or > 7)
            errors.Add(JsonPath.Member(path, "priority"), "must be between 0 and 7");
    }

    private static void CheckCpuList(string? list, string path, ValidationErrors errors)
    {
        if (!string.IsNullOrEmpty(list) && !CpuList.IsValid(list))
            errors.Add(path, $"invalid CPU list \"{list}\" (expected a list like \"0-3,7\")");
    }
}
