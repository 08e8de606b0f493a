namespace Runcs.Runtime.Seccomp;

/// <summary>
/// The system call numbers of one ABI, by name. The tables themselves
/// (Tables/*.g.cs) are generated from the kernel's headers by
/// scripts/gen-syscall-tables.sh.
/// </summary>
public sealed class SyscallTable
{
    private readonly Dictionary<string, uint> numbers;

    public SyscallTable(string name, IReadOnlyList<(string Name, long Number)> syscalls)
    {
        Name = name;
        numbers = new Dictionary<string, uint>(syscalls.Count, StringComparer.Ordinal);
        foreach (var (syscall, number) in syscalls)
            numbers[syscall] = (uint)number;
    }

    /// <summary>The ABI's name, as in the generated file ("x86_64", "x32", ...).</summary>
    public string Name { get; }

    public int Count => numbers.Count;

    /// <summary>Every system call of the ABI, in no particular order.</summary>
    public IEnumerable<(string Name, uint Number)> All => numbers.Select(n => (n.Key, n.Value));

    public bool TryGet(string syscall, out uint number) => numbers.TryGetValue(syscall, out number);
}
