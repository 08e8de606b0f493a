using Runcs.Runtime.Capabilities;
using Runcs.Spec;

namespace Runcs.Runtime.Namespaces;

/// <summary>
/// What a runtime may map in a new user namespace, and when setgroups(2) must
/// be denied there.
///
/// A writer of uid_map and gid_map that holds CAP_SETUID and CAP_SETGID over
/// the parent user namespace may map any ids. Without CAP_SETGID (a rootless
/// runtime, or root with the capability dropped) the kernel takes only the
/// writer's own gid, as a single id, and only once "deny" is in
/// /proc/PID/setgroups: otherwise a process in the namespace could drop a
/// supplementary group that denies it access to a file (CVE-2014-8989).
/// Without CAP_SETUID it takes only the writer's own uid. runc denies
/// setgroups in exactly that case (a rootless runtime mapping its own gid);
/// a runtime that holds CAP_SETGID leaves setgroups allowed, so that the
/// container's processes get the groups their configuration asks for.
/// </summary>
public static class SetgroupsPolicy
{
    /// <summary>Whether the container gets a user namespace of its own (not a joined one).</summary>
    public static bool CreatesUserNamespace(Config config) =>
        config.Linux?.Namespaces?.Any(n => n.Type == "user" && string.IsNullOrEmpty(n.Path)) == true;

    /// <summary>Whether "deny" goes to the new user namespace's setgroups file before its gid_map.</summary>
    public static bool MustDeny(Config config) =>
        CreatesUserNamespace(config) && !RuntimeCapabilities.Has(RuntimeCapabilities.CapSetgid);

    /// <summary>
    /// Refuses, naming the field, maps the kernel would refuse this runtime,
    /// before anything is made.
    /// </summary>
    public static void CheckMappable(Config config)
    {
        if (!CreatesUserNamespace(config))
            return;
        if (!RuntimeCapabilities.Has(RuntimeCapabilities.CapSetuid))
            CheckOwnIdOnly(config.Linux!.UidMappings, Tmds.Linux.LibC.geteuid(), "linux.uidMappings", "CAP_SETUID", "uid");
        if (!RuntimeCapabilities.Has(RuntimeCapabilities.CapSetgid))
            CheckOwnIdOnly(config.Linux!.GidMappings, Tmds.Linux.LibC.getegid(), "linux.gidMappings", "CAP_SETGID", "gid");
    }

    /// <summary>Whether setgroups(2) is denied in the user namespace of a running process (exec must not call it there).</summary>
    public static bool IsDenied(int pid)
    {
        try
        {
            return File.ReadAllText($"/proc/{pid}/setgroups").Trim() == "deny";
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    private static void CheckOwnIdOnly(List<LinuxIdMapping>? mappings, uint own, string field, string capability, string kind)
    {
        if (mappings is [{ Size: 1 } only] && only.HostId == own)
            return;
        throw new RuntimeException(
            $"{field}: the runtime lacks {capability}, so it can map only its own {kind} ({own}) as a single id");
    }
}
