using System.Runtime.InteropServices;

namespace Runcs.Runtime.Seccomp;

/// <summary>
/// A seccomp architecture: libseccomp's name for it, the AUDIT_ARCH_* value the
/// kernel puts in seccomp_data.arch, and its syscall table. x86_64 and x32 share
/// one AUDIT_ARCH value; x32's system calls carry bit 30 (__X32_SYSCALL_BIT).
/// </summary>
public sealed record SeccompArch(string Name, uint AuditArch, SyscallTable Table, bool Is32Bit)
{
    /// <summary>Bit 30 of an x32 system call number.</summary>
    public const uint X32SyscallBit = 0x40000000;

    // AUDIT_ARCH_* from linux/audit.h: the ELF machine, 64-bit and little-endian flags.
    private const uint Audit64Bit = 0x80000000, AuditLittleEndian = 0x40000000;

    public static readonly SeccompArch X86_64 = new("SCMP_ARCH_X86_64", 62 | Audit64Bit | AuditLittleEndian, SyscallTables.X86_64, false);
    public static readonly SeccompArch X86 = new("SCMP_ARCH_X86", 3 | AuditLittleEndian, SyscallTables.X86, true);
    public static readonly SeccompArch X32 = new("SCMP_ARCH_X32", 62 | Audit64Bit | AuditLittleEndian, SyscallTables.X32, true);
    public static readonly SeccompArch Aarch64 = new("SCMP_ARCH_AARCH64", 183 | Audit64Bit | AuditLittleEndian, SyscallTables.Aarch64, false);
    public static readonly SeccompArch Arm = new("SCMP_ARCH_ARM", 40 | AuditLittleEndian, SyscallTables.Arm, true);

    /// <summary>The architectures runcs has syscall tables for.</summary>
    public static IReadOnlyList<SeccompArch> All { get; } = [X86_64, X86, X32, Aarch64, Arm];

    public static SeccompArch? FromName(string name) => All.FirstOrDefault(a => a.Name == name);

    /// <summary>The architecture of the running runtime, which is the container's native one.</summary>
    public static SeccompArch? Native => RuntimeInformation.ProcessArchitecture switch
    {
        Architecture.X64 => X86_64,
        Architecture.Arm64 => Aarch64,
        _ => null,
    };

    /// <summary>
    /// The architectures whose system calls a process on this host can make:
    /// the native one and its compat ABIs (an x86_64 kernel runs i386 and x32
    /// programs, an arm64 kernel 32-bit ARM ones). A filter rule for any other
    /// architecture could never match.
    /// </summary>
    public static IReadOnlyList<SeccompArch> RunnableOn(SeccompArch native) =>
        native == X86_64 ? [X86_64, X86, X32] : native == Aarch64 ? [Aarch64, Arm] : [native];

    /// <summary>x32 shares x86_64's AUDIT_ARCH; its numbers are told apart by bit 30.</summary>
    public bool IsX32 => this == X32;
}
