namespace Runcs.Runtime.Native;

/// <summary>prctl(2) options the plans use, with the kernel's names.</summary>
public static class Prctl
{
    public const int PR_SET_PDEATHSIG = 1;
    public const int PR_SET_DUMPABLE = 4;
    public const int PR_SET_KEEPCAPS = 8;
    public const int PR_SET_CHILD_SUBREAPER = 36;
    public const int PR_SET_NO_NEW_PRIVS = 38;
}
