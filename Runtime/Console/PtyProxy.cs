using Runcs.Runtime.Native;
using Tmds.Linux;

namespace Runcs.Runtime.Console;

/// <summary>
/// `run` in the foreground with process.terminal: copies our stdin to the
/// container's pty and its output to our stdout, with our terminal (when
/// stdin is one) in raw mode so keys reach the container as typed, and
/// window size changes passed on.
/// </summary>
public sealed unsafe class PtyProxy : IDisposable
{
    private readonly int master;
    private readonly termios saved;
    private readonly bool restoreTerminal;
    private readonly Thread output;

    private PtyProxy(int master)
    {
        this.master = master;
        termios t;
        if (LibC.isatty(0) == 1 && LibC.tcgetattr(0, &t) == 0)
        {
            saved = t;
            restoreTerminal = true;
            MakeRaw(&t);
            LibC.tcsetattr(0, (int)LibC.TCSANOW, &t);
        }
        Resize();
        new Thread(() => Copy(0, master)) { IsBackground = true, Name = "pty input" }.Start();
        output = new Thread(() => Copy(master, 1)) { IsBackground = true, Name = "pty output" };
        output.Start();
    }

    public static PtyProxy Start(int master) => new(master);

    /// <summary>Gives the container's terminal our window size.</summary>
    public void Resize()
    {
        winsize ws;
        if (LibC.ioctl(0, LibC.TIOCGWINSZ, &ws) == 0)
            LibC.ioctl(master, LibC.TIOCSWINSZ, &ws);
    }

    /// <summary>Waits until the container's side of the pty is closed and its output copied.</summary>
    public void WaitForOutput() => output.Join(TimeSpan.FromSeconds(5));

    private static void Copy(int from, int to)
    {
        var buffer = new byte[32 * 1024];
        fixed (byte* p = buffer)
        {
            while (true)
            {
                long n = LibC.read(from, p, buffer.Length);
                if (n < 0 && Syscalls.LastErrno == LibC.EINTR)
                    continue;
                if (n <= 0)
                    return; // EOF, or EIO once the pty's other side is gone
                for (long done = 0; done < n;)
                {
                    long w = LibC.write(to, p + done, (size_t)(ulong)(n - done));
                    if (w < 0 && Syscalls.LastErrno == LibC.EINTR)
                        continue;
                    if (w <= 0)
                        return;
                    done += w;
                }
            }
        }
    }

    /// <summary>cfmakeraw(3).</summary>
    private static void MakeRaw(termios* t)
    {
        t->c_iflag &= ~(uint)(LibC.IGNBRK | LibC.BRKINT | LibC.PARMRK | LibC.ISTRIP | LibC.INLCR | LibC.IGNCR | LibC.ICRNL | LibC.IXON);
        t->c_oflag &= ~(uint)LibC.OPOST;
        t->c_lflag &= ~(uint)(LibC.ECHO | LibC.ECHONL | LibC.ICANON | LibC.ISIG | LibC.IEXTEN);
        t->c_cflag &= ~(uint)(LibC.CSIZE | LibC.PARENB);
        t->c_cflag |= (uint)LibC.CS8;
    }

    public void Dispose()
    {
        if (restoreTerminal)
        {
            var t = saved;
            LibC.tcsetattr(0, (int)LibC.TCSANOW, &t);
        }
        LibC.close(master);
    }
}
