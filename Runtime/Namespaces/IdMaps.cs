using System.Text;
using Runcs.Runtime.Native;
using Runcs.Spec;
using Tmds.Linux;

namespace Runcs.Runtime.Namespaces;

/// <summary>
/// Writes a new user namespace's uid_map and gid_map from the runtime, which
/// holds the privilege to map any host id. Each file takes one write().
/// </summary>
public static unsafe class IdMaps
{
    /// <summary>
    /// The maps of the user namespace of process pid. With denySetgroups,
    /// "deny" goes to /proc/PID/setgroups first: the kernel takes it only
    /// before gid_map is written (see <see cref="SetgroupsPolicy"/>). The
    /// field names are what errors name: the container's linux.uidMappings,
    /// or an id-mapped mount's mounts[i].uidMappings.
    /// </summary>
    public static void Write(int pid, IReadOnlyList<LinuxIdMapping>? uidMappings, IReadOnlyList<LinuxIdMapping>? gidMappings,
        bool denySetgroups = false, string uidField = "linux.uidMappings", string gidField = "linux.gidMappings")
    {
        if (uidMappings is { Count: > 0 })
            WriteOne($"/proc/{pid}/uid_map", Format(uidMappings), uidField);
        if (denySetgroups)
            WriteOne($"/proc/{pid}/setgroups", "deny", gidField);
        if (gidMappings is { Count: > 0 })
            WriteOne($"/proc/{pid}/gid_map", Format(gidMappings), gidField);
    }

    public static string Format(IEnumerable<LinuxIdMapping> mappings) =>
        string.Concat(mappings.Select(m => $"{m.ContainerId} {m.HostId} {m.Size}\n"));

    private static void WriteOne(string path, string text, string field)
    {
        var bytes = Encoding.ASCII.GetBytes(text);
        int fd = FileDescriptors.Open(path, LibC.O_WRONLY | LibC.O_CLOEXEC);
        if (fd < 0)
            throw new RuntimeException($"{field}: open {path}: {Syscalls.Describe(-fd)}");
        try
        {
            fixed (byte* p = bytes)
            {
                if (LibC.write(fd, p, bytes.Length) != bytes.Length)
                    throw new RuntimeException($"{field}: write {path}: {Syscalls.Describe(Syscalls.LastErrno)}");
            }
        }
        finally
        {
            LibC.close(fd);
        }
    }
}
