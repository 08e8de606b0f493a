using System.Runtime.InteropServices;
using Tmds.Linux;

namespace Runcs.Runtime.Process;

/// <summary>
/// While a foreground `run` or `exec` waits for its process, the signals it
/// receives go on to that process, as with runc; a window-size change goes to
/// the terminal proxy instead.
/// </summary>
public sealed class SignalForwarder : IDisposable
{
    private static readonly int[] Forwarded = [1, 2, 3, 10, 12, 15]; // HUP INT QUIT USR1 USR2 TERM
    private readonly List<PosixSignalRegistration> registrations = [];

    public SignalForwarder(int pid, Action onWindowChange)
    {
        foreach (var signal in Forwarded)
        {
            registrations.Add(PosixSignalRegistration.Create((PosixSignal)signal, context =>
            {
                context.Cancel = true;
                LibC.kill(pid, signal);
            }));
        }
        registrations.Add(PosixSignalRegistration.Create(PosixSignal.SIGWINCH, context =>
        {
            context.Cancel = true;
            onWindowChange();
        }));
    }

    public void Dispose()
    {
        foreach (var r in registrations)
            r.Dispose();
    }
}
