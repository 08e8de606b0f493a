using System.Runtime.InteropServices;
using Runcs.Runtime.Native;
using Tmds.Linux;

namespace Runcs.Runtime.Cgroups.Bpf;

/// <summary>
/// Loads a device filter program and attaches it to a cgroup v2 directory with
/// the bpf(2) system call. The runtime does this itself (not the container's
/// init), before any process joins the cgroup. The attachment keeps the
/// program alive after our descriptors close, and ends when the cgroup is
/// removed.
/// </summary>
public static unsafe partial class DeviceFilter
{
    private const int BPF_PROG_LOAD = 5;
    private const int BPF_PROG_ATTACH = 8;
    private const int BPF_PROG_TYPE_CGROUP_DEVICE = 15;
    private const int BPF_CGROUP_DEVICE = 6;
    /// <summary>Lets other programs (a container manager's own) stay attached beside ours; all must allow.</summary>
    private const int BPF_F_ALLOW_MULTI = 2;

    private static readonly byte[] License = "Apache-2.0\0"u8.ToArray();
    private static readonly byte[] ProgramName = "runcs_devices\0"u8.ToArray();

    [LibraryImport("libc", EntryPoint = "syscall", SetLastError = true)]
    private static partial long syscall3(long number, long arg1, void* arg2, long arg3);

    private static long SysBpf => RuntimeInformation.ProcessArchitecture switch
    {
        Architecture.X64 => 321,
        Architecture.Arm64 => 280,
        var other => throw new RuntimeException($"eBPF device filter: unsupported architecture {other}"),
    };

    public static void Attach(string cgroupDir, IReadOnlyList<BpfInstruction> program)
    {
        using var prog = new OwnedFd(Load(program));
        using var cgroup = new OwnedFd(FileDescriptors.Open(cgroupDir, LibC.O_RDONLY | LibC.O_DIRECTORY | LibC.O_CLOEXEC));
        if (cgroup.Fd < 0)
            throw ResourceField.Error("devices", $"open {cgroupDir}: {Syscalls.Describe(-cgroup.Fd)}");
        // union bpf_attr for BPF_PROG_ATTACH: target_fd, attach_bpf_fd, attach_type, attach_flags.
        var attr = stackalloc uint[5];
        attr[0] = (uint)cgroup.Fd;
        attr[1] = (uint)prog.Fd;
        attr[2] = BPF_CGROUP_DEVICE;
        attr[3] = BPF_F_ALLOW_MULTI;
        attr[4] = 0;
        if (syscall3(SysBpf, BPF_PROG_ATTACH, attr, 5 * sizeof(uint)) < 0)
            throw ResourceField.Error("devices", $"attach the eBPF device filter to {cgroupDir}: {Syscalls.Describe(Syscalls.LastErrno)}");
    }

    private static int Load(IReadOnlyList<BpfInstruction> program)
    {
        var code = BpfInstruction.Encode(program);
        // union bpf_attr for BPF_PROG_LOAD, up to expected_attach_type (72 bytes); the kernel zero-fills the rest.
        var attr = stackalloc byte[72];
        new Span<byte>(attr, 72).Clear();
        fixed (byte* insns = code)
        fixed (byte* license = License)
        {
            *(uint*)(attr + 0) = BPF_PROG_TYPE_CGROUP_DEVICE;
            *(uint*)(attr + 4) = (uint)program.Count;
            *(ulong*)(attr + 8) = (ulong)insns;
            *(ulong*)(attr + 16) = (ulong)license;
            ProgramName.AsSpan(0, Math.Min(ProgramName.Length, 16)).CopyTo(new Span<byte>(attr + 48, 16));
            *(uint*)(attr + 68) = BPF_CGROUP_DEVICE;
            long fd = syscall3(SysBpf, BPF_PROG_LOAD, attr, 72);
            if (fd < 0)
                throw ResourceField.Error("devices", $"load the eBPF device filter: {Syscalls.Describe(Syscalls.LastErrno)}");
            return (int)fd; // close-on-exec: the kernel opens BPF objects with O_CLOEXEC
        }
    }
}
