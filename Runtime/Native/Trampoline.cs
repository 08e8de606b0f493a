using System.Runtime.InteropServices;

namespace Runcs.Runtime.Native;

/// <summary>
/// The sealed trampoline every program started inside a container is exec'd
/// through (CVE-2019-5736; see Trampoline/trampoline.c): a plan that execs in
/// a container gets one, the parent closes its copy once the plan is cloned.
/// </summary>
public static partial class Trampoline
{
    [LibraryImport("runcs_native", EntryPoint = "runcs_trampoline_memfd")]
    private static partial int runcs_trampoline_memfd();

    public static OwnedFd Open()
    {
        int fd = runcs_trampoline_memfd();
        if (fd < 0)
            throw new RuntimeException($"create the exec trampoline (memfd): {Syscalls.Describe(-fd)}");
        return new OwnedFd(fd);
    }
}
