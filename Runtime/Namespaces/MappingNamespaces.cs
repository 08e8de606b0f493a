using Runcs.Runtime.Native;
using Runcs.Spec;
using Tmds.Linux;

namespace Runcs.Runtime.Namespaces;

/// <summary>
/// User namespaces that exist only to carry an id mapping: MOUNT_ATTR_IDMAP
/// takes the mapping of an id-mapped mount as a user namespace descriptor.
///
/// The runtime cannot create a user namespace itself (the kernel refuses
/// unshare(CLONE_NEWUSER) in a multithreaded process), so a helper cloned
/// through the plan executor creates one and stops; the runtime writes its
/// maps, opens /proc/PID/ns/user, and lets the helper exit. The namespace
/// lives on in the descriptor. One helper per distinct mapping, as runc does.
/// </summary>
public sealed class MappingNamespaces : IDisposable
{
    /// <summary>Descriptors by mapping (or by path, for a joined namespace).</summary>
    private readonly Dictionary<string, int> byMapping = [];

    /// <summary>
    /// A user namespace descriptor with exactly these maps; owned by this object.
    /// The fields name the mapping in errors (mounts[i].uidMappings).
    /// </summary>
    public int Get(IReadOnlyList<LinuxIdMapping> uids, IReadOnlyList<LinuxIdMapping> gids, string uidField, string gidField)
    {
        var key = IdMaps.Format(uids) + "/" + IdMaps.Format(gids);
        if (!byMapping.TryGetValue(key, out var fd))
            byMapping[key] = fd = Create(uids, gids, uidField, gidField);
        return fd;
    }

    /// <summary>An existing user namespace (one the container joins), by its path; owned by this object.</summary>
    public int Open(string path, string field)
    {
        if (!byMapping.TryGetValue(path, out var fd))
        {
            fd = FileDescriptors.Open(path, LibC.O_RDONLY | LibC.O_CLOEXEC);
            if (fd < 0)
                throw new RuntimeException($"{field}: open the user namespace {path}: {Syscalls.Describe(-fd)}");
            byMapping[path] = fd;
        }
        return fd;
    }

    private static int Create(IReadOnlyList<LinuxIdMapping> uids, IReadOnlyList<LinuxIdMapping> gids, string uidField, string gidField)
    {
        var plan = new PlanBuilder();
        plan.Prctl(Prctl.PR_SET_PDEATHSIG, 9, "set the parent death signal");
        plan.Unshare(NamespaceKind.CLONE_NEWUSER, "create a user namespace for the id mapping");
        plan.Sync(SyncTag.MappingOnlyIdMaps);
        var session = ExecutorSession.Start(plan.Build());
        int fd = -1;
        try
        {
            session.Run(_ =>
            {
                IdMaps.Write(session.Pid, uids, gids, uidField: uidField, gidField: gidField);
                fd = FileDescriptors.Open($"/proc/{session.Pid}/ns/user", LibC.O_RDONLY | LibC.O_CLOEXEC);
                if (fd < 0)
                    throw new RuntimeException($"{uidField}: open /proc/{session.Pid}/ns/user: {Syscalls.Describe(-fd)}");
                return null;
            });
            return fd >= 0 ? fd : throw new RuntimeException($"{uidField}: the user namespace helper exited before its maps were written");
        }
        catch (Exception e)
        {
            if (fd >= 0)
                LibC.close(fd);
            if (e is PlanFailedException)
                throw new RuntimeException($"{uidField}: {e.Message}", e);
            throw;
        }
        finally
        {
            // The helper has exited or is told to; either way it is reaped here.
            session.Abort();
            session.Dispose();
        }
    }

    public void Dispose()
    {
        foreach (var fd in byMapping.Values)
            LibC.close(fd);
        byMapping.Clear();
    }
}
