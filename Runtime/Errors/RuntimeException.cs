namespace Runcs.Runtime;

/// <summary>
/// An error the user sees as one line: what was being done, on what, and why.
/// The CLI prints Message and exits with the command's failure code.
/// </summary>
public class RuntimeException(string message, Exception? inner = null) : Exception(message, inner);
