namespace Runcs.Shim.Io;

/// <summary>The stdio a task or exec request names: fifo paths or log URIs, and whether it wants a terminal.</summary>
public sealed record StdioPaths(string Stdin, string Stdout, string Stderr, bool Terminal);
