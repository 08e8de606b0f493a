using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Text;
using Tmds.Linux;

namespace Runcs.Runtime.Native;

/// <summary>
/// The parent's side of one plan run: clones the executor, answers its sync
/// requests and learns the pid of each stage it forks. A plan may fork (to
/// enter a new pid namespace); the stage that forked exits and is reaped here,
/// so Pid always names the process that goes on running the plan.
/// </summary>
public sealed partial class ExecutorSession : IDisposable
{
    private readonly Plan plan;
    private int syncFd;

    private ExecutorSession(Plan plan, int pid, int syncFd)
    {
        this.plan = plan;
        Pid = pid;
        this.syncFd = syncFd;
    }

    /// <summary>The process now running the plan.</summary>
    public int Pid { get; private set; }

    [LibraryImport("runcs_native", EntryPoint = "runcs_spawn")]
    private static unsafe partial int runcs_spawn(byte* plan, nuint len, int* syncFd);

    /// <summary>Clones a child that starts running the plan at once.</summary>
    public static unsafe ExecutorSession Start(Plan plan)
    {
        int fd = -1;
        int pid = ChildWait.Waiter.Spawn(() =>
        {
            int syncFd;
            int child;
            fixed (byte* bytes = plan.Bytes)
                child = runcs_spawn(bytes, (nuint)plan.Bytes.Length, &syncFd);
            fd = syncFd;
            return child;
        });
        if (pid < 0)
            throw new RuntimeException($"clone: {Syscalls.Describe(-pid)}");
        return new ExecutorSession(plan, pid, fd);
    }

    /// <summary>
    /// Runs the protocol until the executor reports ready (true) or closes the
    /// socket, which it does by exec'ing (false). Sync requests are answered by
    /// onSync; what it returns, if anything, is sent along as the state document.
    /// A failure reported by the executor, or an exception from onSync, ends the
    /// run: the executor is told to stop and the error is thrown.
    /// </summary>
    public bool Run(Func<SyncTag, byte[]?> onSync)
    {
        // A header and up to a path's worth of detail: the socket is SOCK_SEQPACKET, so a longer error arrives cut short.
        Span<byte> buffer = stackalloc byte[16 + 4096];
        while (true)
        {
            int n = Receive(buffer);
            if (n == 0)
                return false;
            var type = (ExecutorMessage)BinaryPrimitives.ReadUInt32LittleEndian(buffer);
            int value = BinaryPrimitives.ReadInt32LittleEndian(buffer[4..]);
            int err = BinaryPrimitives.ReadInt32LittleEndian(buffer[8..]);
            int len = (int)BinaryPrimitives.ReadUInt32LittleEndian(buffer[12..]);
            switch (type)
            {
                case ExecutorMessage.Pid:
                    // The stage that forked exits now; its child carries on.
                    ChildWait.ForExit(Pid);
                    Pid = value;
                    break;
                case ExecutorMessage.Sync:
                    AnswerSync((SyncTag)value, onSync);
                    break;
                case ExecutorMessage.Ready:
                    return true;
                case ExecutorMessage.Error:
                    var detail = Encoding.UTF8.GetString(buffer.Slice(16, Math.Min(len, n - 16)));
                    var step = value >= 0 && value < plan.Steps.Count ? plan.Steps[value] : null;
                    throw new PlanFailedException(step, err, detail);
                default:
                    throw new RuntimeException($"container init sent an unknown message {type}");
            }
        }
    }

    private void AnswerSync(SyncTag tag, Func<SyncTag, byte[]?> onSync)
    {
        byte[]? payload;
        try
        {
            payload = onSync(tag);
        }
        catch
        {
            Reply(1, null);
            throw;
        }
        Reply(0, payload);
    }

    private unsafe void Reply(uint status, byte[]? payload)
    {
        var message = new byte[8 + (payload?.Length ?? 0)];
        BinaryPrimitives.WriteUInt32LittleEndian(message, status);
        BinaryPrimitives.WriteUInt32LittleEndian(message.AsSpan(4), (uint)(payload?.Length ?? 0));
        payload?.CopyTo(message, 8);
        fixed (byte* p = message)
            LibC.send(syncFd, p, message.Length, LibC.MSG_NOSIGNAL);
    }

    private unsafe int Receive(Span<byte> buffer)
    {
        while (true)
        {
            fixed (byte* p = buffer)
            {
                var n = LibC.recv(syncFd, p, buffer.Length, 0);
                if (n >= 0)
                    return (int)n;
            }
            var errno = Syscalls.LastErrno;
            if (errno != LibC.EINTR)
                throw new RuntimeException($"read from container init: {Syscalls.Describe(errno)}");
        }
    }

    /// <summary>Waits for the process and returns its raw wait status.</summary>
    public int WaitForExit() => ChildWait.ForExit(Pid);

    /// <summary>Kills and reaps the process: used when setting up failed half-way.</summary>
    public void Abort()
    {
        LibC.kill(Pid, LibC.SIGKILL);
        ChildWait.ForExit(Pid);
    }

    public void Dispose()
    {
        if (syncFd >= 0)
        {
            LibC.close(syncFd);
            syncFd = -1;
        }
    }
}
