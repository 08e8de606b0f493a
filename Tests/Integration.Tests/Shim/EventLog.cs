using System.Diagnostics;
using Runcs.Integration.Tests.Support;

namespace Runcs.Integration.Tests.Shim;

/// <summary>`ctr events` running in the background: the topics containerd received while it ran, in order.</summary>
public sealed class EventLog : IDisposable
{
    private readonly Process watcher;
    private readonly string file;

    public EventLog(PrivateContainerd containerd)
    {
        file = Path.Combine(TestRootfs.RunDirectory, Guid.NewGuid().ToString("N") + ".events");
        watcher = Process.Start("/bin/sh", ["-c", $"exec ctr --address {containerd.Socket} --namespace {containerd.Namespace} events > {file}"])!;
        Thread.Sleep(300); // subscribed
    }

    /// <summary>Stops listening (after a moment for the last events) and returns "/tasks/..." topics about the container.</summary>
    public List<string> TaskTopics(string containerId)
    {
        Thread.Sleep(300);
        Dispose();
        return File.ReadAllLines(file).Where(l => l.Contains($"\"container_id\":\"{containerId}\""))
            .Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries).FirstOrDefault(w => w.StartsWith("/tasks/")))
            .OfType<string>().ToList();
    }

    public void Dispose()
    {
        if (!watcher.HasExited)
        {
            watcher.Kill();
            watcher.WaitForExit();
        }
    }
}
