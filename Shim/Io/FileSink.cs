using Tmds.Linux;

namespace Runcs.Shim.Io;

/// <summary>
/// A file:// log: stdout and stderr both append to one file (the runc shim's
/// behaviour); whole chunks are written under a lock so lines of the two
/// streams do not tear, and the file closes when both streams have ended.
/// </summary>
internal sealed class FileSink : IOutputSink
{
    private readonly Lock writeLock = new();
    private int fd;
    private int users;

    private FileSink(int fd, int users)
    {
        this.fd = fd;
        this.users = users;
    }

    /// <param name="users">How many streams will write here (each calls Release once).</param>
    public static FileSink Open(string path, int users)
    {
        var dir = Path.GetDirectoryName(path);
        if (!string.IsNullOrEmpty(dir))
            Directory.CreateDirectory(dir);
        return new FileSink(Fd.Open(path, LibC.O_WRONLY | LibC.O_CREAT | LibC.O_APPEND, 0x1a4 /* 0644 */), users);
    }

    public bool Write(byte[] buffer, int count)
    {
        lock (writeLock)
            return Fd.WriteAll(fd, buffer, count);
    }

    public void Release()
    {
        lock (writeLock)
        {
            if (--users == 0)
                Fd.Close(ref fd);
        }
    }
}
