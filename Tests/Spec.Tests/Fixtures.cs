using System.Text;

namespace Runcs.Spec.Tests;

/// <summary>Access to the documents under Fixtures/ and a one-line way to parse JSON text as if it were a file.</summary>
internal static class Fixtures
{
    /// <summary>What the messages of in-memory documents call the file.</summary>
    public const string ConfigName = "/b/config.json";

    public static string PathOf(string name) => Path.Combine(TestContext.CurrentContext.TestDirectory, "Fixtures", name);

    public static Config ParseConfig(string json) =>
        SpecReader.Parse(Encoding.UTF8.GetBytes(json), ConfigName, SpecJsonContext.Default.Config);

    /// <summary>The message a user would see for <paramref name="json"/>, or null when it reads fine.</summary>
    public static string? ConfigReadError(string json)
    {
        try
        {
            ParseConfig(json);
            return null;
        }
        catch (SpecException e)
        {
            return e.Message;
        }
    }
}
