using Microsoft.Win32.SafeHandles;
using Tmds.Linux;

namespace Runcs.Runtime.Native;

/// <summary>A close-on-exec pipe whose ends can be handed to a plan and then closed here.</summary>
public sealed unsafe class Pipe : IDisposable
{
    private Pipe(int readFd, int writeFd)
    {
        ReadFd = readFd;
        WriteFd = writeFd;
    }

    public int ReadFd { get; private set; }

    public int WriteFd { get; private set; }

    public static Pipe Create()
    {
        int* fds = stackalloc int[2];
        if (LibC.pipe2(fds, LibC.O_CLOEXEC) < 0)
            throw new RuntimeException($"pipe: {Syscalls.Describe(Syscalls.LastErrno)}");
        return new Pipe(fds[0], fds[1]);
    }

    public void CloseRead() => Close(ReadFd, fd => ReadFd = fd);

    public void CloseWrite() => Close(WriteFd, fd => WriteFd = fd);

    /// <summary>Reads the read end to EOF in the background; the pipe owns the descriptor until then.</summary>
    public Task<string> ReadToEndAsync()
    {
        var handle = new SafeFileHandle(ReadFd, ownsHandle: true);
        ReadFd = -1;
        return Task.Run(() =>
        {
            using var stream = new FileStream(handle, FileAccess.Read, 1);
            using var reader = new StreamReader(stream);
            return reader.ReadToEnd();
        });
    }

    /// <summary>Writes everything to the write end, then closes it. A reader that went away is not an error.</summary>
    public void WriteAllAndClose(byte[] data)
    {
        fixed (byte* p = data)
        {
            int done = 0;
            while (done < data.Length)
            {
                long n = LibC.write(WriteFd, p + done, data.Length - done);
                if (n <= 0 && Syscalls.LastErrno != LibC.EINTR)
                    break;
                if (n > 0)
                    done += (int)n;
            }
        }
        CloseWrite();
    }

    private static void Close(int fd, Action<int> set)
    {
        if (fd >= 0)
            LibC.close(fd);
        set(-1);
    }

    public void Dispose()
    {
        CloseRead();
        CloseWrite();
    }
}
