namespace Runcs.Spec;

/// <summary>
/// A bundle or input document could not be read. The message is one line naming the file and, where it applies,
/// the JSON path of the bad value: "/b/config.json: process.args[0]: expected string".
/// </summary>
public sealed class SpecException : Exception
{
    public SpecException(string message) : base(message) { }

    public SpecException(string message, Exception innerException) : base(message, innerException) { }
}
