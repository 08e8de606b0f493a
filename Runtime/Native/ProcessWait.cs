using Tmds.Linux;

namespace Runcs.Runtime.Native;

/// <summary>Waiting on processes that may not be our children, through pidfds.</summary>
public static unsafe class ProcessWait
{
    /// <summary>True when the process exited (or never existed) within the timeout.</summary>
    public static bool ForExit(int pid, TimeSpan timeout)
    {
        int pidfd = Syscalls.PidfdOpen(pid);
        if (pidfd < 0)
            return true; // ESRCH: already gone
        try
        {
            var pfd = new pollfd { fd = pidfd, events = (short)LibC.POLLIN };
            var deadline = Environment.TickCount64 + (long)timeout.TotalMilliseconds;
            while (true)
            {
                var left = (int)Math.Max(0, deadline - Environment.TickCount64);
                int ready = LibC.poll(&pfd, (ulong_t)1UL, left);
                if (ready > 0)
                    return true;
                if (ready == 0)
                    return false;
                if (Syscalls.LastErrno != LibC.EINTR)
                    return false;
            }
        }
        finally
        {
            LibC.close(pidfd);
        }
    }
}
