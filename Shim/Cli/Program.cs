using Runcs.Shim.Commands;

namespace Runcs.ShimCli;

/// <summary>containerd-shim-runcs-v2: everything is in the shim library; this is only the entry point.</summary>
public static class Program
{
    public static int Main(string[] args) => ShimMain.Run(args);
}
