using Runcs.Runtime.Capabilities;
using Runcs.Runtime.Process;
using Runcs.Runtime.Rootfs;
using Runcs.Runtime.Seccomp;
using Runcs.Spec;

namespace Runcs.Runtime;

/// <summary>
/// What `runcs features` reports: only what this build of runcs really does,
/// so that callers (containerd, podman) can rely on it.
/// </summary>
public static class RuntimeFeatures
{
    public static Features Describe() => new()
    {
        OciVersionMin = SpecVersion.Minimum,
        OciVersionMax = SpecVersion.Current,
        Hooks = [.. KnownNames.Hooks],
        MountOptions = [.. MountOptions.KnownOptions],
        Linux = new LinuxFeatures
        {
            Namespaces = [.. KnownNames.NamespaceTypes.Order(StringComparer.Ordinal)],
            Capabilities = [.. CapabilitySets.Names(CapabilitySets.LastCap >= 63 ? ulong.MaxValue : (1UL << (CapabilitySets.LastCap + 1)) - 1)],
            Cgroup = new CgroupFeatures { V1 = true, V2 = true, Systemd = false, SystemdUser = false, Rdma = true },
            Seccomp = new SeccompFeatures
            {
                Enabled = SeccompArch.Native is not null,
                Actions = [.. SeccompAction.Names],
                Operators = [.. KnownNames.SeccompOperators.Order(StringComparer.Ordinal)],
                // The architectures runcs has syscall tables for, so can write rules for.
                Archs = [.. SeccompArch.All.Select(a => a.Name).Order(StringComparer.Ordinal)],
                KnownFlags = [.. SeccompFlags.Known.Keys],
                SupportedFlags = [.. SeccompFlags.SupportedByKernel()],
            },
            // "Compiled in", in the spec's words, whatever this host runs: runcs applies both labels
            // where the host has the module (and says so clearly where it has not).
            Apparmor = new ApparmorFeatures { Enabled = true },
            Selinux = new SelinuxFeatures { Enabled = true },
            IntelRdt = new IntelRdtFeatures { Enabled = false },
            // Id-mapped bind mounts, where the kernel has MOUNT_ATTR_IDMAP (Linux 5.12).
            MountExtensions = new MountExtensionsFeatures { Idmap = new IdmapFeatures { Enabled = DetachedMounts.KernelSupportsIdMap } },
        },
        Annotations = new()
        {
            ["org.opencontainers.runcs.version"] = RuntimeInfo.Version,
        },
    };
}
