namespace Runcs.Shim.Reaping;

/// <summary>How a child ended: its raw wait status and when it was reaped.</summary>
public readonly record struct ChildExit(int Pid, int RawStatus, DateTime At)
{
    /// <summary>The exit code containerd reports: the status, or 128+N for signal N.</summary>
    public uint ExitCode => (RawStatus & 0x7f) == 0 ? (uint)((RawStatus >> 8) & 0xff) : 128u + (uint)(RawStatus & 0x7f);
}
